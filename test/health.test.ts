import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedModelServer, startScriptedModelServer } from './fixtures/scripted-model-server.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

let ralex: RalexUnderTest | undefined;
let revived: ScriptedModelServer | undefined;
afterEach(async () => {
  await ralex?.close();
  await revived?.close();
  ralex = revived = undefined;
});

/** Reads /health until `done` holds, at most `ms`; returns the last answer. */
async function healthUntil(url: string, done: (h: any) => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const health = await json(await fetch(`${url}/health`));
    if (done(health) || Date.now() > deadline) return health;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /health probes in the background', () => {
  it('goes degraded when the upstream goes away, says what still works, and is ok again when it is back', async () => {
    ralex = await startRalex({ server: { health: { intervalMs: 200, probeTimeoutMs: 5_000 } } });
    const port = ralex.model!.port;
    const up = await healthUntil(ralex.url, (h) => h.components['model:openai']?.state === 'ok');
    expect(up.components['model:openai']).toMatchObject({ state: 'ok', lastError: null });
    expect(up.components['model:openai'].detail).toContain('1 models listed');
    expect(up.components.models.state).toBe('ok');
    expect(up.components.docs).toMatchObject({ state: 'ok', detail: 'installed docs (Context7 off)' });

    const cutAt = Date.now();
    await ralex.model!.close();
    const down = await healthUntil(ralex.url, (h) => h.status === 'degraded');
    expect(down.status).toBe('degraded');
    expect(Date.now() - cutAt).toBeLessThan(30_000);
    const provider = down.components['model:openai'];
    expect(provider.state).toBe('down');
    expect(provider.lastError.message).toMatch(/ECONNREFUSED|fetch failed/);
    expect(Date.parse(provider.since)).toBeGreaterThanOrEqual(cutAt - 1_000);
    expect(down.components.models.state).toBe('degraded');
    expect(down.components.store.state).toBe('ok');
    const note = down.degraded.find((d: { component: string }) => d.component === 'models');
    expect(note.message).toMatch(/Direct commands still work/);
    // What still works does work: a direct command runs while the upstream is gone.
    const direct = await json(
      await ralex.call('/api/commands', {
        method: 'POST',
        body: JSON.stringify({ text: 'list files', wait: true }),
      }),
    );
    expect(direct.status).toBe('succeeded');

    revived = await startScriptedModelServer({ port, models: ['scripted-model'] });
    const back = await healthUntil(
      ralex.url,
      (h) => h.status !== 'degraded' || h.components['model:openai'].state === 'ok',
    );
    expect(back.components['model:openai'].state).toBe('ok');
    expect(back.components['model:openai'].lastError.message).toBe(provider.lastError.message);
    expect(Date.parse(back.components['model:openai'].since)).toBeGreaterThan(Date.parse(provider.since));
    expect(back.components.models.state).toBe('ok');
  }, 40_000);

  it('bounds a provider that accepts the connection and never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    try {
      ralex = await startRalex({
        script: null,
        env: { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` },
        server: { health: { intervalMs: 60_000, probeTimeoutMs: 300 } },
      });
      const started = Date.now();
      const health = await json(await fetch(`${ralex.url}/health`));
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(sockets.length).toBeGreaterThan(0);
      expect(health.components['model:openai'].state).toBe('down');
      expect(health.components['model:openai'].detail).toMatch(/no answer .* within 300 ms/);
      expect(health.status).toBe('degraded');
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
