import type { Db } from '../store/database.js';
import type { DashboardData } from './dashboard-data.js';
import { periodsOf } from './stats-store.js';

/** A `stat_counts` row of the range. */
export interface CountRow {
  period: string;
  metric: string;
  label: string;
  value: number;
}

type Latency = DashboardData['latency']['command'];

const round = (usd: number) => Math.round(usd * 1e8) / 1e8;
const split = (label: string) => {
  const bar = label.lastIndexOf('|');
  return bar < 0 ? [label, 'unknown'] : [label.slice(0, bar), label.slice(bar + 1)];
};

/**
 * The model calls' figures from the range's counts (`calls`, `call_*`, `upstream_*`, written by
 * `recordModelCalls`): by model and path, per provider with errors by kind and latency, and a
 * per-bucket series of cost and errors.
 */
export function callFigures(
  rows: readonly CountRow[],
  index: ReadonlyMap<string, number>,
  t: number[],
  latencyOf: (series: string) => Latency,
): DashboardData['calls'] {
  const byLabel = new Map<string, Record<string, number>>();
  const providerCalls: Record<string, number> = {};
  const providerErrors: Record<string, Record<string, number>> = {};
  const cost: (number | null)[] = t.map(() => null);
  const errors = t.map(() => 0);
  for (const r of rows) {
    if (r.metric === 'upstream_calls') providerCalls[r.label] = (providerCalls[r.label] ?? 0) + r.value;
    else if (r.metric === 'upstream_errors') {
      const [provider, kind] = split(r.label) as [string, string];
      const kinds = providerErrors[provider] ?? {};
      providerErrors[provider] = kinds;
      kinds[kind] = (kinds[kind] ?? 0) + r.value;
      const i = index.get(r.period);
      if (i !== undefined) errors[i]! += r.value;
    } else if (r.metric === 'calls' || r.metric.startsWith('call_')) {
      const m = byLabel.get(r.label) ?? {};
      byLabel.set(r.label, m);
      m[r.metric] = (m[r.metric] ?? 0) + r.value;
      const i = index.get(r.period);
      if (i !== undefined && r.metric === 'call_priced') cost[i] ??= 0;
      if (i !== undefined && r.metric === 'call_cost_usd') cost[i] = (cost[i] ?? 0) + r.value;
    }
  }
  const table = [...byLabel.entries()]
    .map(([labelText, m]) => {
      const [model, path] = split(labelText) as [string, string];
      const priced = m.call_priced ?? 0;
      return {
        model,
        path,
        calls: m.calls ?? 0,
        errors: m.call_errors ?? 0,
        inputTokens: m.call_tokens_in ?? 0,
        outputTokens: m.call_tokens_out ?? 0,
        cost: priced ? round(m.call_cost_usd ?? 0) : null,
        priced,
      };
    })
    .sort((a, b) => b.calls - a.calls || a.model.localeCompare(b.model));
  const providers = Object.keys({ ...providerCalls, ...providerErrors })
    .sort()
    .map((provider) => {
      const kinds = providerErrors[provider] ?? {};
      const failed = Object.values(kinds).reduce((a, b) => a + b, 0);
      const calls = providerCalls[provider] ?? 0;
      return {
        provider,
        calls,
        errors: failed,
        errorRate: calls ? failed / calls : null,
        errorsByKind: kinds,
        latency: latencyOf(`upstream:${provider}`),
      };
    });
  const priced = table.filter((r) => r.priced > 0);
  return {
    total: table.reduce((s, r) => s + r.calls, 0),
    errors: table.reduce((s, r) => s + r.errors, 0),
    cost: priced.length ? round(priced.reduce((s, r) => s + (r.cost ?? 0), 0)) : null,
    unpriced: table.reduce((s, r) => s + r.calls - r.priced, 0),
    rows: table,
    providers,
    series: { t, cost: cost.map((c) => (c === null ? null : round(c))), errors },
  };
}

/** Cost per UTC day from `since` (at least 7 days back) to `until`, beside the daily limit. */
export function costPerDay(
  db: Db,
  since: Date,
  until: Date,
  dailyLimit: number | null,
): DashboardData['costPerDay'] {
  const start = Math.min(since.getTime(), until.getTime() - 6 * 86_400_000);
  const days: string[] = [];
  for (let at = Math.floor(start / 86_400_000) * 86_400_000; at <= until.getTime(); at += 86_400_000)
    days.push(periodsOf(new Date(at).toISOString()).day);
  const found = db
    .prepare(
      `SELECT period, metric, SUM(value) AS value FROM stat_counts
       WHERE grain = 'day' AND period BETWEEN ? AND ? AND metric IN ('call_cost_usd', 'call_priced')
       GROUP BY period, metric`,
    )
    .all(days[0], days.at(-1)) as { period: string; metric: string; value: number }[];
  const priced = new Set(found.filter((r) => r.metric === 'call_priced').map((r) => r.period));
  const cost = new Map(found.filter((r) => r.metric === 'call_cost_usd').map((r) => [r.period, r.value]));
  return {
    t: days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000),
    cost: days.map((d) => (priced.has(d) ? round(cost.get(d) ?? 0) : null)),
    dailyLimit,
  };
}
