import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ScriptedModelServer,
  startScriptedModelServer,
} from '../../../test/fixtures/scripted-model-server.js';
import { createTempGitRepo, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import type { EventBody } from '../../events/events.js';
import { detectOpenCode, OPENCODE_INSTALL_HINT, resolveOpenCodeBinary } from './opencode-binary.js';
import { type OpenCodeRunOptions, runOpenCode } from './opencode-engine.js';
import type { OpenCodePermissionAsk } from './opencode-permission.js';
import { toRalexToolCall } from './opencode-permission.js';
import { createOpenCodeServerPool } from './opencode-server-pool.js';

/**
 * The OpenCode engine against the real `opencode` binary (optional dependency `opencode-ai`), whose
 * provider is a scripted OpenAI-compatible server standing in for Ralex's `/v1`. Not skipped when
 * OpenCode is missing: it fails and says how to install it.
 */

const TOKEN = 'ralex-test-token';
const MODEL = 'scripted-model';
let model: ScriptedModelServer;
let home: string;
const pool = createOpenCodeServerPool();
const repos: TempGitRepo[] = [];

beforeAll(async () => {
  if (!resolveOpenCodeBinary()) {
    throw new Error(
      `The opencode binary is missing; install the optional dependency: ${OPENCODE_INSTALL_HINT}`,
    );
  }
  model = await startScriptedModelServer({ models: [MODEL], apiKey: TOKEN });
  home = await mkdtemp(join(tmpdir(), 'ralex-opencode-home-'));
});

afterAll(async () => {
  await pool.close();
  await model?.close();
  await Promise.all(repos.map((r) => r.cleanup()));
  if (home) await rm(home, { recursive: true, force: true });
});

async function repo(): Promise<TempGitRepo> {
  const r = await createTempGitRepo({ files: { 'README.md': '# demo\n' }, name: 'opencode' });
  repos.push(r);
  return r;
}

function run(dir: string, overrides: Partial<OpenCodeRunOptions>) {
  const events: EventBody[] = [];
  const asks: OpenCodePermissionAsk[] = [];
  const options: OpenCodeRunOptions = {
    projectRoot: dir,
    ralexBaseUrl: model.url,
    ralexToken: TOKEN,
    model: MODEL,
    prompt: 'Create greeting.txt saying hello.',
    signal: new AbortController().signal,
    emit: (e) => events.push(e),
    askPermission: async () => 'allow',
    server: { home, startTimeoutMs: 45_000 },
    servers: pool,
    ...overrides,
  };
  const wrapped = options.askPermission;
  options.askPermission = async (ask) => {
    asks.push(ask);
    return wrapped(ask);
  };
  return { events, asks, result: runOpenCode(options) };
}

describe('OpenCode engine (real opencode binary)', () => {
  it('is detected with its version', async () => {
    const found = await detectOpenCode();
    expect(found, found.reason).toMatchObject({ available: true });
    expect(found.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("reads, writes and runs a command with OpenCode's tools after Ralex allows each, streaming events in order", async () => {
    const r = await repo();
    const target = join(r.dir, 'greeting.txt');
    const readme = join(r.dir, 'README.md');
    const before = model.chatRequests().length;
    model.push(
      { toolCalls: [{ name: 'read', arguments: { filePath: readme } }] },
      { toolCalls: [{ name: 'write', arguments: { filePath: target, content: 'hello\n' } }] },
      { toolCalls: [{ name: 'bash', arguments: { command: 'cat greeting.txt', description: 'show it' } }] },
      { text: 'Wrote greeting.txt.', usage: { prompt_tokens: 30, completion_tokens: 7 } },
    );
    const t0 = performance.now();
    const { events, asks, result } = run(r.dir, { system: 'RALEX-SYSTEM-MARKER: keep changes small.' });
    const out = await result;
    const wallMs = Math.round(performance.now() - t0);

    expect(await r.read('greeting.txt')).toBe('hello\n');
    expect(out).toMatchObject({ text: 'Wrote greeting.txt.', finishReason: 'stop', steps: 4 });
    expect(out.toolCalls).toEqual([
      { tool: 'read', ok: true, writes: false },
      { tool: 'write', ok: true, writes: true },
      { tool: 'bash', ok: true, writes: true },
    ]);
    expect(out.outputTokens).toBeGreaterThanOrEqual(7);
    // Every permission ask reached Ralex, described as the Ralex tool call it amounts to.
    expect(asks.map((a) => [a.tool, a.callTool])).toEqual([
      ['read', 'read'],
      ['edit', 'write'],
      ['bash', 'bash'],
    ]);
    expect(asks.map((a) => toRalexToolCall(a))).toEqual([
      { tool: 'read_file', args: { path: readme } },
      { tool: 'write_file', args: { path: target, content: 'hello\n' } },
      { tool: 'run_command', args: { command: 'cat greeting.txt' } },
    ]);
    // Events in order: each tool (with Ralex's decision), then the text.
    expect(
      events.map((e) => (e.type === 'model.delta' ? e.type : `${e.type}:${'tool' in e ? e.tool : ''}`)),
    ).toEqual([
      'tool.started:read',
      'tool.finished:read',
      'tool.started:write',
      'tool.finished:write',
      'tool.started:bash',
      'tool.finished:bash',
      'model.delta',
      'model.delta',
    ]);
    expect(events[2]).toMatchObject({
      decision: 'allow',
      rule: 'ralex:ask-permission',
      input: { filePath: target, content: 'hello\n' },
    });
    expect(events[5]).toMatchObject({ ok: true, output: expect.stringContaining('hello') });
    expect(events.flatMap((e) => (e.type === 'model.delta' ? [e.text] : [])).join('')).toBe(
      'Wrote greeting.txt.',
    );
    // OpenCode called the provider with Ralex's token (the server demands it), the model and the system text.
    const requests = model.chatRequests().slice(before);
    expect(requests).toHaveLength(4);
    expect(requests[0]?.body?.model).toBe(MODEL);
    expect(JSON.stringify(requests[0]?.body?.messages)).toContain('RALEX-SYSTEM-MARKER');
    const tools = (requests[0]?.body?.tools ?? []).map((t) => t.function.name);
    expect(tools).toEqual(expect.arrayContaining(['write', 'edit', 'bash', 'read']));
    expect(tools).not.toContain('question');

    const lease = await pool.acquire(
      { provider: { baseUrl: model.url, apiKey: TOKEN }, home, startTimeoutMs: 45_000 },
      MODEL,
    );
    console.info(
      `[opencode] serve start ${lease.server.startupMs} ms; first run ${wallMs} ms; server peak RSS ${Math.round((lease.server.peakRssKiB() ?? 0) / 1024)} MiB`,
    );
    lease.release();
  }, 90_000);

  it('a denied permission leaves the file unwritten and the model is told why', async () => {
    const r = await repo();
    const target = join(r.dir, 'secret.txt');
    let toolResult = '';
    model.push(
      { toolCalls: [{ name: 'write', arguments: { filePath: target, content: 'nope\n' } }] },
      (request) => {
        const last = request.body?.messages?.at(-1);
        toolResult = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content);
        return { text: 'Understood, I left it alone.' };
      },
    );
    const t0 = performance.now();
    const { events, asks, result } = run(r.dir, {
      askPermission: async () => ({
        allowed: false,
        decision: { decision: 'deny', rule: 'test:no-writes', reason: 'Writes are off in this test.' },
        output: { text: 'Refused by the test policy.' },
      }),
    });
    const out = await result;
    const wallMs = Math.round(performance.now() - t0);

    expect(existsSync(target)).toBe(false);
    expect(await r.git('status', '--porcelain')).toBe('');
    expect(asks).toHaveLength(1);
    expect(toolResult).toContain('Refused by the test policy.');
    expect(out.text).toBe('Understood, I left it alone.');
    expect(out.toolCalls).toEqual([{ tool: 'write', ok: false, writes: false }]);
    expect(events.slice(0, 2)).toMatchObject([
      { type: 'tool.started', tool: 'write', decision: 'deny', rule: 'test:no-writes' },
      { type: 'tool.finished', tool: 'write', ok: false },
    ]);

    // The same session continues (as a retry after failed checks would); the result is this run's only.
    model.push({ text: 'Still here.', usage: { prompt_tokens: 50, completion_tokens: 3 } });
    const t1 = performance.now();
    const again = await run(r.dir, { sessionId: out.sessionId, prompt: 'Are you there?' }).result;
    const continuedMs = Math.round(performance.now() - t1);
    expect(again).toMatchObject({
      sessionId: out.sessionId,
      text: 'Still here.',
      outputTokens: 3,
      toolCalls: [],
    });
    expect(JSON.stringify(model.chatRequests().at(-1)?.body?.messages)).toContain(
      'Understood, I left it alone.',
    );
    console.info(
      `[opencode] new-project run with a denial ${wallMs} ms; continued session ${continuedMs} ms`,
    );
  }, 30_000);

  it('cancellation while a command waits for approval aborts the session without running it', async () => {
    const r = await repo();
    model.push({
      toolCalls: [{ name: 'bash', arguments: { command: 'echo ran > ran.txt', description: 'mark' } }],
    });
    const controller = new AbortController();
    let asked: OpenCodePermissionAsk | null = null;
    const { result } = run(r.dir, {
      signal: controller.signal,
      askPermission: (ask) => {
        asked = ask;
        setTimeout(() => controller.abort(), 50);
        return new Promise((resolve) => controller.signal.addEventListener('abort', () => resolve('allow')));
      },
    });
    const t0 = performance.now();
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(asked).toMatchObject({ tool: 'bash', detail: 'echo ran > ran.txt' });
    expect(toRalexToolCall(asked as unknown as OpenCodePermissionAsk)).toEqual({
      tool: 'run_command',
      args: { command: 'echo ran > ran.txt' },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(existsSync(join(r.dir, 'ran.txt'))).toBe(false);
  }, 30_000);
});
