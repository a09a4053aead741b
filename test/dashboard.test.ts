import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../src/command/command-result.js';
import { DashboardDataSchema } from '../src/stats/dashboard-data.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';
import { runCli } from './helpers/run-cli.js';
import { runScriptedSession, scriptedSessionProject, sessionClock } from './helpers/scripted-session.js';

let ralex: RalexUnderTest;
let results: CommandResult[];
beforeAll(async () => {
  const clock = sessionClock(8);
  ralex = await startRalex(scriptedSessionProject(clock));
  results = await runScriptedSession(ralex, 50, clock);
}, 240_000);
afterAll(async () => ralex?.close());

const tally = (values: string[]) =>
  values.reduce<Record<string, number>>((t, v) => Object.assign(t, { [v]: (t[v] ?? 0) + 1 }), {});

describe('GET /api/dashboard after a scripted session of 50 commands', () => {
  it('counts every command by outcome, intent and hour, as the results say', async () => {
    const data = DashboardDataSchema.parse(await json(await ralex.call('/api/dashboard?since=24h')));
    expect(data.grain).toBe('hour');
    expect(data.commands.total).toBe(50);
    expect(data.commands.byStatus).toEqual(tally(results.map((r) => r.status)));
    expect(data.commands.byIntent).toEqual(tally(results.map((r) => r.intent ?? 'unknown')));
    expect(data.commands.bySource).toEqual({ api: 50 });
    // The session's clock spread the commands over hours: the series puts each in its own hour.
    const perHour = tally(results.map((r) => ralex.rt.commands.get(r.commandId)!.finishedAt!.slice(0, 13)));
    const t = data.commands.series.t;
    const sums = t.map((_, i) =>
      Object.entries(data.commands.series).reduce((s, [k, v]) => (k === 't' ? s : s + (v[i] ?? 0)), 0),
    );
    expect(Object.keys(perHour).length).toBeGreaterThan(4);
    for (const [hour, n] of Object.entries(perHour)) {
      const i = t.indexOf(Date.parse(`${hour}:00:00Z`) / 1000);
      expect(sums[i]).toBe(n);
    }
    expect(sums.reduce((a, b) => a + b, 0)).toBe(50);
  });

  it('reports tokens by model, stage latencies, errors, approvals, checkpoints and voice signals', async () => {
    const data = DashboardDataSchema.parse(await json(await ralex.call('/api/dashboard?since=24h')));
    const used = results.filter((r) => r.model);
    const input = used.reduce((s, r) => s + (r.usage?.inputTokens ?? 0), 0);
    const output = used.reduce((s, r) => s + (r.usage?.outputTokens ?? 0), 0);
    expect(input).toBeGreaterThan(0);
    expect(data.models.rows).toEqual([
      {
        model: 'openai:scripted-model',
        commands: used.length,
        inputTokens: input,
        outputTokens: output,
        cost: null,
      },
    ]);
    expect(data.models.series.input.reduce((a, b) => a + b, 0)).toBe(input);
    expect(data.models.costKnown).toBe(false);
    const stages = Object.fromEntries(data.latency.stages.map((s) => [s.series, s]));
    expect(stages.parse!.n).toBe(50);
    expect(stages.execute!.p95!).toBeGreaterThanOrEqual(stages.execute!.p50!);
    expect(data.latency.command.n).toBe(50);
    const errors = tally(results.flatMap((r) => (r.error ? [r.error.code] : [])));
    expect(data.errors.byCode).toEqual(errors);
    expect(data.errors.failedByIntent).toEqual(
      tally(results.filter((r) => r.status === 'failed' && !r.error).map((r) => r.intent ?? 'unknown')),
    );
    expect(data.errors.rate).toBeCloseTo(Object.values(errors).reduce((a, b) => a + b, 0) / 50);
    const pushes = results.filter((r) => r.intent === 'push').length;
    expect(data.approvals).toMatchObject({ requested: pushes, timedOut: pushes, approved: 0 });
    expect(data.approvals.meanWaitMs).toBeGreaterThanOrEqual(900);
    expect(data.checkpoints.created).toBeGreaterThanOrEqual(1);
    expect(data.checkpoints.kept?.count).toBeGreaterThanOrEqual(1);
    expect(data.voice.asksBack).toBe(results.filter((r) => r.status === 'needs_input').length);
    expect(data.voice.asksBack).toBeGreaterThan(0);
    expect(data.voice.corrections.api).toBe(results.filter((r) => r.intent === 'undo').length);
  });

  it('sums days for long ranges and says "no cost known" rather than zero', async () => {
    const data = DashboardDataSchema.parse(await json(await ralex.call('/api/dashboard?since=30d')));
    expect(data.grain).toBe('day');
    expect(data.commands.total).toBe(50);
    expect(data.models.series.cost.every((c) => c === null)).toBe(true);
  });

  it('refuses a range it cannot read, saying how to ask', async () => {
    for (const query of [
      'since=yesterday',
      'since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z',
      'since=900d',
      'from=7d',
    ]) {
      const response = await ralex.call(`/api/dashboard?${query}`);
      expect(response.status).toBe(400);
      const body = await json(response);
      expect(body.error.code).toBe('bad_request');
      expect(body.error.hint).toMatch(/since=/);
    }
    expect((await fetch(`${ralex.url}/api/dashboard`)).status).toBe(401);
  });

  it('counts a `ralex run` from a terminal on the same project', async () => {
    const cli = await runCli(['run', 'list files', '--json', '--project', ralex.repo.dir], {
      env: { XDG_STATE_HOME: dirname(dirname(ralex.rt.trustFile)) },
    });
    expect(cli.code, cli.stderr).toBe(0);
    // The terminal's run is timed by the real clock, later than the server's session clock: read up to now.
    const until = new Date(Date.now() + 60_000).toISOString();
    const data = DashboardDataSchema.parse(
      await json(await ralex.call(`/api/dashboard?since=30d&until=${until}`)),
    );
    expect(data.commands.bySource.cli).toBe(1);
    expect(data.commands.total).toBe(51);
  });
});
