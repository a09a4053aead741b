import type { BudgetPreferences } from '../config/models-schema.js';

/** The periods a budget can cover. */
export type BudgetPeriod = 'query' | 'session' | 'daily' | 'weekly' | 'monthly';

/** One budget window a model call is charged to: its key in the store, its limit, when it resets. */
export interface BudgetWindow {
  period: BudgetPeriod;
  /** `query:<id>`, `session:<id>`, `day:2025-06-01`, `week:2025-05-26` (its Monday), `month:2025-06`. */
  key: string;
  /** USD; null when no budget is set for this period (spend is still counted). */
  limit: number | null;
  /** ISO time the window ends; null for queries and sessions. */
  resetsAt: string | null;
}

/** What a model call belongs to, for its windows. */
export interface CallScope {
  /** The command (a query of the pipeline) or, for a plain chat, the call itself. */
  queryId: string;
  sessionId: string | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The windows a call made at `now` is charged to, with the configured limits. */
export function budgetWindows(now: Date, scope: CallScope, prefs: BudgetPreferences): BudgetWindow[] {
  const utc = prefs.timezone === 'utc';
  const y = utc ? now.getUTCFullYear() : now.getFullYear();
  const m = utc ? now.getUTCMonth() : now.getMonth();
  const d = utc ? now.getUTCDate() : now.getDate();
  const weekday = ((utc ? now.getUTCDay() : now.getDay()) + 6) % 7; // Monday = 0
  const at = (yy: number, mm: number, dd: number) =>
    utc ? new Date(Date.UTC(yy, mm, dd)) : new Date(yy, mm, dd);
  const day = at(y, m, d);
  const monday = at(y, m, d - weekday);
  const ymd = (t: Date) =>
    utc
      ? `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
      : `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
  const windows: BudgetWindow[] = [
    { period: 'query', key: `query:${scope.queryId}`, limit: prefs.per_query ?? null, resetsAt: null },
  ];
  if (scope.sessionId)
    windows.push({
      period: 'session',
      key: `session:${scope.sessionId}`,
      limit: prefs.per_session ?? null,
      resetsAt: null,
    });
  windows.push(
    {
      period: 'daily',
      key: `day:${ymd(day)}`,
      limit: prefs.daily ?? null,
      resetsAt: at(y, m, d + 1).toISOString(),
    },
    {
      period: 'weekly',
      key: `week:${ymd(monday)}`,
      limit: prefs.weekly ?? null,
      resetsAt: at(y, m, d - weekday + 7).toISOString(),
    },
    {
      period: 'monthly',
      key: `month:${y}-${pad(m + 1)}`,
      limit: prefs.monthly ?? null,
      resetsAt: at(y, m + 1, 1).toISOString(),
    },
  );
  return windows;
}

/** "resets in 3 h 20 min" / "resets at 2025-06-02 00:00" / "for this session", for messages. */
export function resetWords(window: BudgetWindow, now: Date): string {
  if (window.period === 'query') return 'per request';
  if (window.period === 'session') return 'for this session';
  const ms = Date.parse(window.resetsAt ?? '') - now.getTime();
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const span =
    minutes < 60
      ? `${minutes} min`
      : minutes < 48 * 60
        ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
        : `${Math.round(minutes / 1440)} days`;
  return `resets in ${span} (${window.resetsAt})`;
}

/** A budget limit in dollars as people write it: "$5.00", "$0.25", and a limit under a cent in full ("$0.003"). */
export function limitWords(usd: number): string {
  const cents = usd * 100;
  return `$${Math.abs(cents - Math.round(cents)) < 1e-6 ? usd.toFixed(2) : String(Number(usd.toFixed(6)))}`;
}
