import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FinishedCall } from '../models/model-ledger.js';
import { openDatabase } from '../store/database.js';
import { recordModelCalls } from './record-calls.js';
import { createStatsStore } from './stats-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempStats() {
  const dir = mkdtempSync(join(tmpdir(), 'ralex-call-stats-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, 'ralex.db'));
  return { db, stats: createStatsStore(db) };
}

/** Calls of one commit: two models, two paths, across an hour's end, some failed, some unpriced. */
function calls(): FinishedCall[] {
  const out: FinishedCall[] = [];
  for (let i = 0; i < 60; i++) {
    const failed = i % 7 === 3;
    out.push({
      at: i < 40 ? '2025-06-04T10:59:59.990Z' : '2025-06-04T11:00:00.010Z',
      path: i % 3 === 0 ? 'agent' : 'pass-through',
      model: i % 2 === 0 ? 'openai:gpt-4o' : 'ollama:llama3',
      state: failed ? 'released' : 'settled',
      status: failed ? 'error' : 'ok',
      errorKind: failed ? (i % 2 === 0 ? 'http_503' : 'network') : null,
      inputTokens: failed ? null : 100 + i,
      outputTokens: failed ? null : i % 5,
      cost: i % 2 === 0 ? 0.0001 * (i + 1) : null,
      priceKnown: i % 2 === 0,
      latencyMs: failed ? null : 5 + i * 37,
    });
  }
  return out;
}

const rows = (db: ReturnType<typeof openDatabase>) => ({
  counts: db
    .prepare(
      'SELECT grain, period, metric, label, value FROM stat_counts ORDER BY grain, period, metric, label',
    )
    .all() as { grain: string; value: number }[],
  latency: db
    .prepare(
      'SELECT grain, period, series, bucket, n FROM stat_latency ORDER BY grain, period, series, bucket',
    )
    .all(),
});

describe('counting a commit of model calls', () => {
  it('writes the same totals as counting the calls one by one, each row once', () => {
    const together = tempStats();
    const oneByOne = tempStats();
    const writes = { together: 0, oneByOne: 0 };
    for (const [name, { db }] of [
      ['together', together],
      ['oneByOne', oneByOne],
    ] as const) {
      db.function('count_stat_write', () => ++writes[name]);
      db.exec(
        'CREATE TEMP TRIGGER count_stat_inserts AFTER INSERT ON stat_counts BEGIN SELECT count_stat_write(); END; ' +
          'CREATE TEMP TRIGGER count_stat_updates AFTER UPDATE ON stat_counts BEGIN SELECT count_stat_write(); END',
      );
    }

    recordModelCalls(together.stats, calls());
    for (const call of calls()) recordModelCalls(oneByOne.stats, [call]);

    const a = rows(together.db);
    const b = rows(oneByOne.db);
    expect(a.latency).toEqual(b.latency);
    expect(a.counts.map((r) => ({ ...r, value: 0 }))).toEqual(b.counts.map((r) => ({ ...r, value: 0 })));
    for (const [i, r] of a.counts.entries()) expect(r.value).toBeCloseTo(b.counts[i]!.value, 12);
    // Summed before the upserts: one write per hour row and one for its day, not one per call.
    const hourRows = a.counts.filter((r) => r.grain === 'hour').length;
    expect(writes.together).toBe(2 * hourRows);
    expect(writes.oneByOne).toBeGreaterThan(4 * writes.together);

    const value = (metric: string, label: string, period: string) =>
      (
        together.db
          .prepare(
            "SELECT value FROM stat_counts WHERE grain = 'hour' AND metric = ? AND label = ? AND period = ?",
          )
          .get(metric, label, period) as { value: number } | undefined
      )?.value;
    // 40 calls in the 10 o'clock hour, every second one to openai, every third of those by the agent.
    expect(value('upstream_calls', 'openai', '2025-06-04T10')).toBe(20);
    expect(value('upstream_calls', 'openai', '2025-06-04T11')).toBe(10);
    expect(value('upstream_errors', 'ollama|network', '2025-06-04T10')).toBe(3);
    // Unpriced calls count no cost, and no priced call.
    expect(value('call_priced', 'ollama:llama3|pass-through', '2025-06-04T10')).toBeUndefined();
    const n = together.db.prepare("SELECT SUM(n) AS n FROM stat_latency WHERE grain = 'day'").get() as {
      n: number;
    };
    expect(n.n).toBe(calls().filter((c) => c.status === 'ok').length);
  });
});
