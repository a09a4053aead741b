import { describe, expect, it } from 'vitest';
import type { OpenCodeServer, OpenCodeServerOptions } from './opencode-server.js';
import { createOpenCodeServerPool } from './opencode-server-pool.js';

/** A stand-in for `startOpenCodeServer` that records what was started and stopped. */
function fakeStarts() {
  const started: { models: readonly string[]; baseUrl: string; stopped: boolean; dead: boolean }[] = [];
  const start = async (options: OpenCodeServerOptions): Promise<OpenCodeServer> => {
    const record = {
      models: options.provider.models,
      baseUrl: options.provider.baseUrl,
      stopped: false,
      dead: false,
    };
    started.push(record);
    return {
      url: `http://127.0.0.1:${started.length}`,
      authorization: 'Basic x',
      pid: started.length,
      startupMs: 1,
      alive: () => !record.stopped && !record.dead,
      peakRssKiB: () => null,
      stop: async () => {
        record.stopped = true;
      },
    };
  };
  return { started, start };
}

const settings = (baseUrl = 'http://127.0.0.1:8000/v1') => ({ provider: { baseUrl, apiKey: 't' } });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('OpenCode server pool', () => {
  it('starts lazily and reuses one server for the same endpoint and model', async () => {
    const { started, start } = fakeStarts();
    const pool = createOpenCodeServerPool(start);
    expect(started).toHaveLength(0);
    const a = await pool.acquire(settings(), 'ralex-auto');
    const b = await pool.acquire(settings(), 'ralex-auto');
    expect(a.server).toBe(b.server);
    expect(started).toHaveLength(1);
    a.release();
    b.release();
    await pool.close();
    expect(started[0]?.stopped).toBe(true);
  });

  it('a new model restarts with the wider list, stopping the old server only after its runs end', async () => {
    const { started, start } = fakeStarts();
    const pool = createOpenCodeServerPool(start);
    const first = await pool.acquire(settings(), 'ralex-auto');
    const second = await pool.acquire(settings(), 'openai:gpt-5-mini');
    expect(started.map((s) => s.models)).toEqual([['ralex-auto'], ['ralex-auto', 'openai:gpt-5-mini']]);
    await tick();
    expect(started[0]?.stopped).toBe(false); // a run still holds it
    first.release();
    await tick();
    expect(started[0]?.stopped).toBe(true);
    // Both models are served by the new one now.
    const third = await pool.acquire(settings(), 'ralex-auto');
    expect(third.server).toBe(second.server);
    second.release();
    third.release();
    await pool.close();
    expect(started[1]?.stopped).toBe(true);
  });

  it('another endpoint gets a fresh server, and a dead server is replaced', async () => {
    const { started, start } = fakeStarts();
    const pool = createOpenCodeServerPool(start);
    (await pool.acquire(settings(), 'm')).release();
    (await pool.acquire(settings('http://127.0.0.1:9000/v1'), 'm')).release();
    expect(started.map((s) => [s.baseUrl, s.models])).toEqual([
      ['http://127.0.0.1:8000/v1', ['m']],
      ['http://127.0.0.1:9000/v1', ['m']],
    ]);
    await tick();
    expect(started[0]?.stopped).toBe(true);
    if (started[1]) started[1].dead = true;
    const lease = await pool.acquire(settings('http://127.0.0.1:9000/v1'), 'm');
    expect(started).toHaveLength(3);
    expect(lease.server.alive()).toBe(true);
    lease.release();
    await pool.close();
  });

  it('a failed start is not cached', async () => {
    let fail = true;
    const { started, start } = fakeStarts();
    const pool = createOpenCodeServerPool(async (options) => {
      if (fail) throw new Error('no binary');
      return start(options);
    });
    await expect(pool.acquire(settings(), 'm')).rejects.toThrow('no binary');
    fail = false;
    const lease = await pool.acquire(settings(), 'm');
    expect(started).toHaveLength(1);
    lease.release();
    await pool.close();
  });
});
