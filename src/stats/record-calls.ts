import type { FinishedCall } from '../models/model-ledger.js';
import { latencyBucket } from './latency-buckets.js';
import type { CountMetric, StatsStore } from './stats-store.js';

/** The provider of a `provider:model` id (`openai:gpt-4o` → `openai`). */
export function providerOf(model: string): string {
  const colon = model.indexOf(':');
  return colon > 0 ? model.slice(0, colon) : model;
}

/** `model|path` labels: one row per model and the way it was called. */
export const callLabel = (model: string, path: string) => `${model}|${path}`;

/**
 * Counts the model calls one ledger commit settled or released, on every path (the agent,
 * OpenCode, `ralex-auto`, pass-through chats, summaries): calls, tokens and cost by model and path
 * (cost only where the price is known, with how many calls were priced), and per provider its
 * calls, its upstream errors by kind (`http_503`, `network`, `timeout`) and, for answered calls,
 * its latency as the `upstream:<provider>` series. A call stopped at the budget or cancelled by
 * the user is no upstream error.
 *
 * The calls are summed first, per hour, metric and label (and latency bucket), so a commit of
 * fifty calls to one model writes each row once instead of fifty times: the same totals as
 * counting them one by one.
 */
export function recordModelCalls(stats: StatsStore, calls: readonly FinishedCall[]): void {
  const counts = new Map<string, { at: string; metric: CountMetric; label: string; value: number }>();
  const latencies = new Map<string, { at: string; series: string; ms: number; n: number }>();
  const count = (at: string, metric: CountMetric, label: string, value = 1) => {
    // As `stats.count` would: nothing for zero or a value that is no number.
    if (!Number.isFinite(value) || value === 0) return;
    const key = `${at.slice(0, 13)}\u0000${metric}\u0000${label}`;
    const known = counts.get(key);
    if (known) known.value += value;
    else counts.set(key, { at, metric, label, value });
  };
  for (const call of calls) {
    const at = call.at;
    const label = callLabel(call.model, call.path);
    const provider = providerOf(call.model);
    count(at, 'calls', label);
    count(at, 'upstream_calls', provider);
    count(at, 'call_tokens_in', label, call.inputTokens ?? 0);
    count(at, 'call_tokens_out', label, call.outputTokens ?? 0);
    if (call.priceKnown && call.cost !== null) {
      count(at, 'call_priced', label);
      count(at, 'call_cost_usd', label, call.cost);
    }
    if (call.status === 'error') {
      count(at, 'call_errors', label);
      count(at, 'upstream_errors', `${provider}|${call.errorKind ?? 'error'}`);
    }
    if (call.status === 'ok' && call.latencyMs !== null) {
      const series = `upstream:${provider}`;
      const key = `${at.slice(0, 13)}\u0000${series}\u0000${latencyBucket(call.latencyMs)}`;
      const known = latencies.get(key);
      if (known) known.n++;
      else latencies.set(key, { at, series, ms: call.latencyMs, n: 1 });
    }
  }
  if (!counts.size && !latencies.size) return;
  stats.batch(() => {
    for (const c of counts.values()) stats.count(c.at, c.metric, c.label, c.value);
    for (const l of latencies.values()) stats.latency(l.at, l.series, l.ms, l.n);
  });
}
