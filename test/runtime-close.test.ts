import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openRuntime, type RuntimeUnderTest } from './helpers/runtime-under-test.js';

let t: RuntimeUnderTest | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('closing a runtime', () => {
  it('waits for tracked background work before the database closes', async () => {
    t = await openRuntime({ files: { 'README.md': '# demo\n' } });
    const rt = t.rt;
    let wroteAfterClose = false;
    let closed = false;
    void rt.track(
      (async () => {
        await sleep(150);
        wroteAfterClose = closed;
        // The store is still open: background work may record what it did.
        rt.sessions.create({ id: 'ses_late', title: 'late', now: rt.clock().toISOString() });
      })(),
    );
    await t.close();
    closed = true;
    t = undefined;
    expect(wroteAfterClose).toBe(false);
  });

  it('leaves no timer behind that would keep a CLI process alive', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    t = await openRuntime({ files: { 'README.md': '# demo\n' } });
    await t.run('list files');
    await t.rt.close();
    // A `ralex run` exits when its runtime is closed; a pending timer would hold it for seconds.
    expect(timers()).toBeLessThanOrEqual(before);
    await t.model.close();
    await t.repo.cleanup();
    t = undefined;
  });

  it('lets an aborted model command finish its bookkeeping before the files go', async () => {
    t = await openRuntime({
      files: { 'README.md': '# demo\n' },
      script: [{ text: 'This project is a demo with one README file.', stallMs: 20_000 }],
    });
    const running = t.run('what does this project do');
    // Close while the model is being asked: the command is in flight, past the context stage.
    const deadline = Date.now() + 25_000;
    while (t.model.chatRequests().length === 0 && Date.now() < deadline) await sleep(20);
    expect(t.model.chatRequests().length).toBeGreaterThan(0);
    const root = t.repo.dir;
    let settled = false;
    void running.finally(() => {
      settled = true;
    });
    // Close aborts the command and waits for it, so removing the project afterwards finds nothing still writing.
    await t.close();
    t = undefined;
    expect(settled).toBe(true);
    const result = await running;
    expect(result.status).toBe('cancelled');
    await expect(readFile(join(root, 'README.md'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
