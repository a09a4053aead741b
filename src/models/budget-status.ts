import type { BudgetPreferences } from '../config/models-schema.js';
import type { BudgetMeter } from './budget-meter.js';
import type { BudgetWindow } from './budget-windows.js';
import type { LedgerRow, ModelLedger } from './model-ledger.js';

/** One budget window as `ralex budget` and `GET /api/budget` show it. */
export interface BudgetWindowStatus {
  period: BudgetWindow['period'];
  window: string;
  /** USD; null when no budget is set (spend is counted all the same). */
  limit: number | null;
  spent: number;
  /** Held by calls under way. */
  reserved: number;
  remaining: number | null;
  /** Share of the limit spent, 0–100 (null without a limit). */
  percent: number | null;
  resetsAt: string | null;
  calls: number;
}

/** Spend and what remains, per window, and the latest calls. */
export interface BudgetStatus {
  currency: 'USD';
  timezone: BudgetPreferences['timezone'];
  windows: BudgetWindowStatus[];
  recent: LedgerRow[];
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** The budgets now: this session's (when given), today's, this week's and this month's. */
export function budgetStatus(
  deps: { ledger: ModelLedger; meter: BudgetMeter; budgets: BudgetPreferences },
  options: { sessionId?: string | null; recent?: number } = {},
): BudgetStatus {
  const windows = deps.meter
    .windows({ sessionId: options.sessionId ?? null })
    .filter((w) => w.period !== 'query');
  const totals = deps.ledger.totals(windows.map((w) => w.key));
  return {
    currency: 'USD',
    timezone: deps.budgets.timezone,
    windows: windows.map((w) => {
      const t = totals.get(w.key) ?? { spent: 0, reserved: 0, calls: 0 };
      return {
        period: w.period,
        window: w.key,
        limit: w.limit,
        spent: round(t.spent),
        reserved: round(t.reserved),
        remaining: w.limit === null ? null : round(Math.max(0, w.limit - t.spent - t.reserved)),
        percent: w.limit === null ? null : Math.round((t.spent / w.limit) * 1000) / 10,
        resetsAt: w.resetsAt,
        calls: t.calls,
      };
    }),
    recent: deps.ledger.recent(options.recent ?? 10),
  };
}
