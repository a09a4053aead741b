import type { ModelLedger } from './model-ledger.js';

/** What a command's model calls cost, from the ledger. */
export interface CommandCost {
  /** USD; 0 when the command made no model call; null when some call's price is unknown. */
  cost: number | null;
  /** True when some call's usage was missing and its cost is Ralex's estimate. */
  estimated: boolean;
  calls: number;
  /** Models whose price is unknown (their calls are not in `cost`). */
  unpriced: string[];
}

/** Sums the ledger's calls of one command (every path: the agent, OpenCode through /v1, summaries). */
export function commandCost(ledger: ModelLedger, commandId: string): CommandCost {
  const rows = ledger.byCommand(commandId).filter((r) => r.state !== 'released' || (r.cost ?? 0) > 0);
  const unpriced = [...new Set(rows.filter((r) => !r.priceKnown).map((r) => r.model))];
  const cost = rows.reduce((sum, r) => sum + (r.cost ?? 0), 0);
  return {
    cost: unpriced.length ? null : Math.round(cost * 1e8) / 1e8,
    estimated: rows.some((r) => r.estimated),
    calls: rows.length,
    unpriced,
  };
}
