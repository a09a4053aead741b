import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';
import { runCli } from './helpers/run-cli.js';

let ralex: RalexUnderTest | undefined;
afterEach(async () => {
  await ralex?.close();
  ralex = undefined;
});

const scrape = async (r: RalexUnderTest) => (await r.call('/metrics')).text();
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
};

describe('GET /metrics', () => {
  it('counts commands and tokens from the store, a terminal `ralex run` too, and survives a restart of the server', async () => {
    ralex = await startRalex({
      files: { 'README.md': '# demo\n', 'src/app.js': 'export const a = 1;\n' },
      script: [{ text: 'It exports a.', usage: { prompt_tokens: 321, completion_tokens: 12 } }],
      server: { health: { intervalMs: 100, probeTimeoutMs: 500 } },
    });
    for (const text of ['list files', 'explain src/app.js'])
      await ralex.call('/api/commands', { method: 'POST', body: JSON.stringify({ text, wait: true }) });
    const cli = await runCli(['run', 'list files', '--project', ralex.repo.dir], {
      env: { XDG_STATE_HOME: dirname(dirname(ralex.rt.trustFile)) },
    });
    expect(cli.code, cli.stderr).toBe(0);
    const text = await scrape(ralex);
    expect(value(text, 'ralex_commands_total{intent="list_files",status="succeeded"}')).toBe(2);
    expect(value(text, 'ralex_commands_total{intent="explain",status="succeeded"}')).toBe(1);
    expect(
      value(text, 'ralex_model_tokens_total{model="openai:scripted-model",path="agent",kind="input"}'),
    ).toBe(321);
    expect(
      value(text, 'ralex_model_tokens_total{model="openai:scripted-model",path="agent",kind="output"}'),
    ).toBe(12);
    expect(value(text, 'ralex_upstream_up{provider="openai"}')).toBe(1);
    expect(value(text, 'ralex_upstream_probe_seconds{provider="openai"}')).toBeGreaterThan(0);
    expect(value(text, 'ralex_queue_depth')).toBe(0);
    expect(value(text, 'ralex_checkpoints')).toBe(0);
    expect(value(text, 'ralex_state_bytes{file="database"}')).toBeGreaterThan(0);
    // The command durations of this process are histograms, as before.
    expect(text).toMatch(/ralex_stage_duration_seconds_count\{stage="parse"\} 2/);

    // A second server on the same store reports the same totals: they are the store's.
    await ralex.app.close();
    const { createServer } = await import('../src/server/create-server.js');
    const again = await createServer(ralex.rt, { token: ralex.token });
    await again.listen({ host: '127.0.0.1', port: 0 });
    try {
      const port = (again.server.address() as { port: number }).port;
      const text2 = await (
        await fetch(`http://127.0.0.1:${port}/metrics`, {
          headers: { authorization: `Bearer ${ralex.token}` },
        })
      ).text();
      expect(value(text2, 'ralex_commands_total{intent="list_files",status="succeeded"}')).toBe(2);
    } finally {
      await again.close();
    }
  });

  it('reports a provider down, and counts its failed probes', async () => {
    ralex = await startRalex({ server: { health: { intervalMs: 100, probeTimeoutMs: 300 } } });
    await ralex.model!.close();
    await expect
      .poll(async () => value(await scrape(ralex!), 'ralex_upstream_up{provider="openai"}'), {
        timeout: 5_000,
      })
      .toBe(0);
    expect(
      value(await scrape(ralex), 'ralex_upstream_probe_failures_total{provider="openai"}'),
    ).toBeGreaterThan(0);
  });
});
