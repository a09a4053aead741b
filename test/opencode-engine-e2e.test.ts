import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sharedOpenCodeServers } from '../src/engine/opencode/opencode-server-pool.js';
import { sampleProject } from './fixtures/sample-projects.js';
import { openRuntime, type RuntimeUnderTest } from './helpers/runtime-under-test.js';

let t: RuntimeUnderTest;
afterEach(async () => t?.close());
afterAll(async () => sharedOpenCodeServers.close());

describe('OpenCode as the engine (engine: opencode), with the real binary', () => {
  it('makes a change through OpenCode, its model calls through Ralex /v1, checked, committed', async () => {
    t = await openRuntime({ files: sampleProject(), preferences: 'engine:\n  type: opencode\n', script: [] });
    const target = join(t.repo.dir, 'src/greeting.js');
    t.model.push(
      {
        toolCalls: [
          { name: 'write', arguments: { filePath: target, content: 'export const greeting = "hello";\n' } },
        ],
      },
      { text: 'Added src/greeting.js.' },
    );
    const result = await t.run('implement a greeting module');
    expect(result, result.reply).toMatchObject({ status: 'succeeded', filesChanged: ['src/greeting.js'] });
    expect(result.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(await t.repo.read('src/greeting.js')).toContain('hello');
    // OpenCode's permission ask went through Ralex's policy: the event carries the decision.
    const started = t.rt.bus.log
      .read({ commandId: result.commandId })
      .filter((e) => e.type === 'tool.started');
    expect(started.some((e) => e.type === 'tool.started' && e.decision === 'allow')).toBe(true);
    // OpenCode's model requests reached the upstream through Ralex's own API (pass-through of openai:scripted-model).
    expect(t.model.chatRequests().every((r) => r.body?.model === 'scripted-model')).toBe(true);
  }, 120_000);

  it("OpenCode's calls through /v1 get the router's fallbacks: a failing model moves on, every hop in the result and its cost", async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences: `engine:
  type: opencode
routing:
  mode: off
  retries: 1
models:
  default: openai:scripted-model
  fallbacks: [openai:backup-model]
  overrides:
    "openai:backup-model": { input: 1, output: 2 }
`,
      script: [
        { status: 500, message: 'overloaded' },
        { status: 503, message: 'still overloaded' },
        // OpenCode's prompt (its system prompt and tool definitions) is several thousand tokens.
        { text: 'The readme says demo.', usage: { prompt_tokens: 10_000, completion_tokens: 500 } },
      ],
    });
    const result = await t.run('explain the readme');
    expect(result, result.reply).toMatchObject({ status: 'succeeded', model: 'openai:backup-model' });
    expect(result.modelHops).toEqual([
      expect.objectContaining({
        model: 'openai:scripted-model',
        action: 'retry',
        next: 'openai:scripted-model',
      }),
      expect.objectContaining({
        model: 'openai:scripted-model',
        action: 'next',
        next: 'openai:backup-model',
      }),
    ]);
    expect(t.model.chatRequests().map((r) => r.body?.model)).toEqual([
      'scripted-model',
      'scripted-model',
      'backup-model',
    ]);
    // The answer was the backup's, priced; the failed tries cost nothing.
    expect(result.cost).toBeCloseTo(0.011, 10);
    const hops = t.rt.bus.log
      .read({ commandId: result.commandId })
      .filter((e) => e.type === 'model.fallback');
    expect(hops).toHaveLength(2);
  }, 120_000);

  it('refuses through the policy what OpenCode may not do', async () => {
    t = await openRuntime({ files: sampleProject(), preferences: 'engine:\n  type: opencode\n', script: [] });
    t.model.push(
      {
        toolCalls: [
          {
            name: 'write',
            arguments: { filePath: join(t.repo.dir, '.ralex/config/security_rules.yaml'), content: 'x: 1\n' },
          },
        ],
      },
      { text: 'Could not write it.' },
    );
    const result = await t.run('implement new security rules');
    expect(result.filesChanged).toEqual([]);
    const denied = t.rt.bus.log
      .read({ commandId: result.commandId })
      .find((e) => e.type === 'tool.started' && e.decision === 'deny');
    expect(denied).toBeTruthy();
  }, 120_000);

  it("asks before every shell command OpenCode would run itself, outside Ralex's sandbox", async () => {
    t = await openRuntime({ files: sampleProject(), preferences: 'engine:\n  type: opencode\n', script: [] });
    const marker = join(t.repo.dir, 'ran.txt');
    t.model.push(
      {
        toolCalls: [{ name: 'bash', arguments: { command: `touch ${marker}`, description: 'touch a file' } }],
      },
      { text: 'Tried.' },
    );
    const asked: string[] = [];
    t.rt.bus.subscribe((e) => {
      if (e.type === 'approval.requested') {
        asked.push(e.reason);
        setTimeout(() => t.rt.approvals.answer(e.approvalId, false, 'test'), 10);
      }
    });
    await t.run('implement a touch script');
    expect(asked).toEqual([expect.stringContaining("outside Ralex's sandbox")]);
    expect(existsSync(marker)).toBe(false);
  }, 120_000);

  it('waits for an approval longer than engine.model_timeout_ms, then goes on', async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences: 'engine:\n  type: opencode\n  model_timeout_ms: 1000\napprovals:\n  timeout_ms: 60000\n',
      script: [],
    });
    t.model.push(
      {
        toolCalls: [
          { name: 'bash', arguments: { command: 'rm README.md', description: 'remove the readme' } },
        ],
      },
      { text: 'Removed the readme.' },
    );
    const rt = t.rt;
    rt.bus.subscribe((e) => {
      if (e.type === 'approval.requested')
        setTimeout(() => rt.approvals.answer(e.approvalId, true, 'web'), 3000);
    });
    const result = await t.run('refactor: remove the readme');
    expect(result, result.reply).toMatchObject({ status: 'succeeded', filesChanged: ['README.md'] });
    expect(
      rt.bus.log.read({ commandId: result.commandId }).find((e) => e.type === 'approval.resolved'),
    ).toMatchObject({ outcome: 'approved' });
  }, 120_000);
});
