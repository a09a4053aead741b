import { afterEach, describe, expect, it } from 'vitest';
import { sampleProject } from './fixtures/sample-projects.js';
import { openRuntime, type RuntimeUnderTest } from './helpers/runtime-under-test.js';

let t: RuntimeUnderTest | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The smallest idle timeout preferences.yaml allows; every wait below is a multiple of it. */
const IDLE = 1000;
const preferences = `engine:\n  model_timeout_ms: ${IDLE}\napprovals:\n  timeout_ms: 60000\n`;

describe('the model idle timeout', () => {
  it('does not count an approval that waits longer than the timeout', async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences,
      script: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'README.md' } }] },
        { text: 'Deleted the readme.' },
      ],
    });
    const rt = t.rt;
    rt.bus.subscribe((e) => {
      if (e.type === 'approval.requested')
        setTimeout(() => rt.approvals.answer(e.approvalId, true, 'web'), IDLE * 3);
    });
    const result = await t.run('refactor: remove the readme');
    expect(result.error).toBeNull();
    expect(result).toMatchObject({ status: 'succeeded', filesChanged: ['README.md'] });
    expect(result.reply).toContain('Deleted the readme.');
    expect(await t.repo.git('show', '--name-status', '--format=', 'HEAD')).toBe('D\tREADME.md');
  });

  it('does not count a tool that runs longer than the timeout', async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences,
      script: [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'sleep 3 && echo slept' } }] },
        { text: 'The command finished.' },
      ],
    });
    const result = await t.run('implement a check that the build sleeps');
    expect(result.error).toBeNull();
    expect(result.status).toBe('succeeded');
    const finished = t.rt.bus.log
      .read({ commandId: result.commandId })
      .find((e) => e.type === 'tool.finished');
    expect(finished).toMatchObject({ ok: true, output: expect.stringContaining('slept') });
    expect(t.model.chatRequests()).toHaveLength(2);
  });

  it('still abandons a model stream that goes silent after a tool call', async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences,
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'src/new.js', content: 'x\n' } }] },
        { stallMs: IDLE * 20, text: 'too late' },
      ],
    });
    const before = await t.repo.git('status', '--porcelain', '--untracked-files=all');
    const started = Date.now();
    const result = await t.run('implement a new module');
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(IDLE * 15);
    expect(await t.repo.git('status', '--porcelain', '--untracked-files=all')).toBe(before);
  });

  it('abandons a first reply that never comes', async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences,
      script: [{ stallMs: IDLE * 20, text: 'late' }],
    });
    const started = Date.now();
    const result = await t.run('explain the project');
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('upstream_timeout');
    expect(Date.now() - started).toBeLessThan(IDLE * 15);
  });
});
