import type { Db } from '../store/database.js';
import { type CountRow, callFigures, costPerDay } from './calls-query.js';
import type { DashboardData } from './dashboard-data.js';
import { quantileOf } from './latency-buckets.js';
import { type Grain, periodsOf } from './stats-store.js';

/** Ranges up to this long are shown by hour; longer ones by day. */
const HOURLY_UP_TO_MS = 72 * 3_600_000;
/** Intents drawn as their own series; the rest are summed as `other`. */
const TOP_INTENTS = 5;
const STAGES = ['parse', 'guard', 'context', 'enhance', 'route', 'execute', 'record', 'respond'];
const OUTCOMES = ['succeeded', 'failed', 'denied', 'cancelled', 'needs_input'];

/** What the dashboard asks for. */
export interface DashboardQuery {
  since: Date;
  until: Date;
  now: Date;
  /** What git keeps now, read by the caller (it is not in the store). */
  checkpointsKept?: DashboardData['checkpoints']['kept'];
  /** The budget windows now, read by the caller from the ledger. */
  budgets?: DashboardData['budgets'];
}

/**
 * Reads the dashboard's figures for a range from the statistics tables: a handful of range
 * scans over the (grain, period) primary keys, summed here. Hourly rows for ranges up to three
 * days, daily rows beyond (a daily range covers whole UTC days).
 */
export function queryDashboard(db: Db, q: DashboardQuery): DashboardData {
  const grain: Grain = q.until.getTime() - q.since.getTime() <= HOURLY_UP_TO_MS ? 'hour' : 'day';
  const from = periodsOf(q.since.toISOString())[grain];
  const to = periodsOf(q.until.toISOString())[grain];
  const periods = periodList(q.since, q.until, grain);
  const index = new Map(periods.map((p, i) => [p, i]));
  const t = periods.map((p) => Date.parse(grain === 'hour' ? `${p}:00:00Z` : `${p}T00:00:00Z`) / 1000);
  const zeros = () => periods.map(() => 0);
  const range = [grain, from, to] as const;

  const commandRows = db
    .prepare(
      'SELECT period, intent, status, source, n, duration_ms AS durationMs FROM stat_commands WHERE grain = ? AND period BETWEEN ? AND ?',
    )
    .all(...range) as { period: string; intent: string; status: string; source: string; n: number }[];
  const byStatus: Record<string, number> = {};
  const byIntent: Record<string, number> = {};
  const bySource: Record<string, number> = {};
  let total = 0;
  for (const r of commandRows) {
    total += r.n;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    byIntent[r.intent] = (byIntent[r.intent] ?? 0) + r.n;
    bySource[r.source] = (bySource[r.source] ?? 0) + r.n;
  }
  const statusSeries: Record<string, number[]> = Object.fromEntries(OUTCOMES.map((s) => [s, zeros()]));
  const top = Object.entries(byIntent)
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_INTENTS)
    .map(([intent]) => intent);
  const intentSeries: Record<string, number[]> = Object.fromEntries(top.map((i) => [i, zeros()]));
  if (Object.keys(byIntent).length > top.length) intentSeries.other = zeros();
  for (const r of commandRows) {
    const i = index.get(r.period);
    if (i === undefined) continue;
    const byOutcome = statusSeries[r.status] ?? zeros();
    statusSeries[r.status] = byOutcome;
    byOutcome[i]! += r.n;
    const key = top.includes(r.intent) ? r.intent : 'other';
    intentSeries[key]![i]! += r.n;
  }

  const latencyRows = db
    .prepare(
      'SELECT series, bucket, SUM(n) AS n FROM stat_latency WHERE grain = ? AND period BETWEEN ? AND ? GROUP BY series, bucket',
    )
    .all(...range) as { series: string; bucket: number; n: number }[];
  const histograms = new Map<string, Map<number, number>>();
  for (const r of latencyRows) {
    const h = histograms.get(r.series) ?? new Map<number, number>();
    histograms.set(r.series, h);
    h.set(r.bucket, r.n);
  }
  const latencyOf = (series: string) => {
    const h = histograms.get(series) ?? new Map<number, number>();
    let n = 0;
    for (const v of h.values()) n += v;
    return { series, n, p50: quantileOf(h, 0.5), p95: quantileOf(h, 0.95) };
  };

  const countRows = db
    .prepare(
      'SELECT period, metric, label, value FROM stat_counts WHERE grain = ? AND period BETWEEN ? AND ?',
    )
    .all(...range) as CountRow[];
  const tally = new Map<string, Record<string, number>>();
  const input = zeros();
  const output = zeros();
  const cost: (number | null)[] = periods.map(() => null);
  for (const r of countRows) {
    const m = tally.get(r.metric) ?? {};
    m[r.label] = (m[r.label] ?? 0) + r.value;
    tally.set(r.metric, m);
    const i = index.get(r.period);
    if (i === undefined) continue;
    if (r.metric === 'tokens_in') input[i]! += r.value;
    else if (r.metric === 'tokens_out') output[i]! += r.value;
    else if (r.metric === 'cost_usd') cost[i] = (cost[i] ?? 0) + r.value;
  }
  const of = (metric: string) => tally.get(metric) ?? {};
  const sum = (metric: string) => Object.values(of(metric)).reduce((a, b) => a + b, 0);
  const costs = of('cost_usd');
  const models = Object.keys({ ...of('model_commands'), ...of('tokens_in'), ...of('tokens_out') })
    .map((model) => ({
      model,
      commands: of('model_commands')[model] ?? 0,
      inputTokens: of('tokens_in')[model] ?? 0,
      outputTokens: of('tokens_out')[model] ?? 0,
      cost: costs[model] ?? null,
    }))
    .sort((a, b) => b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens));
  const approvals = of('approvals');
  const waits = sum('approval_waits');
  const errors = of('errors');
  const errorTotal = sum('errors');

  const meta = db.prepare('SELECT key, value FROM stat_meta').all() as { key: string; value: string }[];
  const metaOf = (key: string) => Number(meta.find((m) => m.key === key)?.value ?? 0);
  const lastEventId = (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM events').get() as { id: number })
    .id;

  return {
    since: q.since.toISOString(),
    until: q.until.toISOString(),
    grain,
    generatedAt: q.now.toISOString(),
    lastEventId,
    backfillPending: Math.max(0, metaOf('live_from') - metaOf('backfill_cursor')),
    commands: {
      total,
      byStatus,
      byIntent,
      bySource,
      series: { t, ...statusSeries },
      intentSeries: { t, ...intentSeries },
    },
    latency: {
      stages: STAGES.map(latencyOf).filter((l) => l.n > 0),
      command: latencyOf('command'),
    },
    models: {
      rows: models,
      series: { t, input, output, cost },
      costKnown: Object.keys(costs).length > 0,
    },
    calls: callFigures(countRows, index, t, latencyOf),
    costPerDay: costPerDay(db, q.since, q.until, q.budgets?.find((b) => b.period === 'daily')?.limit ?? null),
    budgets: q.budgets ?? null,
    errors: {
      total: errorTotal,
      rate: total ? errorTotal / total : null,
      byCode: errors,
      failedByIntent: of('failures'),
    },
    tools: of('tool_calls'),
    approvals: {
      requested: approvals.requested ?? 0,
      approved: approvals.approved ?? 0,
      denied: approvals.denied ?? 0,
      timedOut: approvals.timed_out ?? 0,
      meanWaitMs: waits ? Math.round(sum('approval_wait_ms') / waits) : null,
    },
    checks: of('checks'),
    checkpoints: {
      created: of('checkpoints').created ?? 0,
      restored: of('checkpoints').restored ?? 0,
      kept: q.checkpointsKept ?? null,
    },
    voice: {
      spoken: bySource.voice ?? 0,
      asksBack: sum('asks_back'),
      corrections: of('corrections'),
      unresolvedMentions: of('unresolved_mentions'),
    },
    queued: sum('queued'),
  };
}

/** Every period from `since` to `until` at a grain, oldest first. */
function periodList(since: Date, until: Date, grain: Grain): string[] {
  const step = grain === 'hour' ? 3_600_000 : 86_400_000;
  const start = Math.floor(since.getTime() / step) * step;
  const out: string[] = [];
  for (let at = start; at <= until.getTime() && out.length < 2_000; at += step)
    out.push(periodsOf(new Date(at).toISOString())[grain]);
  return out;
}
