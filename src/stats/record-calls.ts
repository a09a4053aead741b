import type { FinishedCall } from '../models/model-ledger.js';
import type { StatsStore } from './stats-store.js';

/** The provider of a `provider:model` id (`openai:gpt-4o` → `openai`). */
export function providerOf(model: string): string {
  const colon = model.indexOf(':');
  return colon > 0 ? model.slice(0, colon) : model;
}

/** `model|path` labels: one row per model and the way it was called. */
export const callLabel = (model: string, path: string) => `${model}|${path}`;

/**
 * Counts one model call the ledger settled or released, on every path (the agent, OpenCode,
 * `ralex-auto`, pass-through chats, summaries): calls, tokens and cost by model and path (cost
 * only where the price is known, with how many calls were priced), and per provider its calls,
 * its upstream errors by kind (`http_503`, `network`, `timeout`) and, for answered calls, its
 * latency as the `upstream:<provider>` series. A call stopped at the budget or cancelled by the
 * user is no upstream error.
 */
export function recordModelCall(stats: StatsStore, call: FinishedCall): void {
  const at = call.at;
  const label = callLabel(call.model, call.path);
  const provider = providerOf(call.model);
  stats.batch(() => {
    stats.count(at, 'calls', label);
    stats.count(at, 'upstream_calls', provider);
    stats.count(at, 'call_tokens_in', label, call.inputTokens ?? 0);
    stats.count(at, 'call_tokens_out', label, call.outputTokens ?? 0);
    if (call.priceKnown && call.cost !== null) {
      stats.count(at, 'call_priced', label);
      stats.count(at, 'call_cost_usd', label, call.cost);
    }
    if (call.status === 'error') {
      stats.count(at, 'call_errors', label);
      stats.count(at, 'upstream_errors', `${provider}|${call.errorKind ?? 'error'}`);
    }
    if (call.status === 'ok' && call.latencyMs !== null)
      stats.latency(at, `upstream:${provider}`, call.latencyMs);
  });
}
