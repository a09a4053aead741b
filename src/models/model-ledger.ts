import type { Db } from '../store/database.js';
import type { OwnerProcess } from '../util/proc-stat.js';
import type { BudgetWindow } from './budget-windows.js';
import { createLedgerBatch, EPSILON } from './ledger-batch.js';

/**
 * Which way a model call was made. Summaries are no path of their own: a client's (Open WebUI's
 * chat summary, OpenCode's compaction, aider's) is a `client-task` or its command's `opencode`
 * call; Ralex's own spoken summaries and memory compression are extractive and call no model.
 */
export type CallPath = 'agent' | 'opencode' | 'ralex-auto' | 'pass-through' | 'client-task' | 'chat';

/** A reservation asked of the ledger before a model call is sent. */
export interface ReserveRequest {
  id: string;
  now: string;
  path: CallPath;
  model: string;
  commandId: string | null;
  sessionId: string | null;
  windows: readonly BudgetWindow[];
  /** USD held for the call (0 when the price is unknown). */
  amount: number;
  /** When the full amount does not fit, hold what is left if it is at least this much (else refuse). */
  atLeast?: number;
  priceKnown: boolean;
  owner: OwnerProcess;
}

/** The ledger's answer: the amount held, or the window that has no room. */
export type Reservation =
  | { ok: true; amount: number }
  | { ok: false; window: BudgetWindow; spent: number; reserved: number };

/** What a finished call used. */
export interface Settlement {
  now: string;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens?: number | null;
  /** USD charged; null when the price is unknown. */
  cost: number | null;
  /** True when the provider reported no usage and the cost is Ralex's estimate. */
  estimated: boolean;
  status: 'ok' | 'error' | 'stopped' | 'cancelled';
  error?: string;
  /** How a failed call failed, for the statistics: `http_429`, `http_503`, `network`, `timeout`, an error code. */
  errorKind?: string;
  latencyMs?: number | null;
}

/** A call the ledger just settled or released, for the statistics (`onFinished`, a commit's calls at once). */
export interface FinishedCall {
  at: string;
  path: CallPath;
  model: string;
  state: 'settled' | 'released';
  status: Settlement['status'];
  errorKind: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cost: number | null;
  priceKnown: boolean;
  latencyMs: number | null;
}

/** Spend and holds of one window. */
export interface WindowTotal {
  spent: number;
  reserved: number;
  calls: number;
}

/** One ledger row, for `ralex budget` and the result's cost. */
export interface LedgerRow {
  id: string;
  createdAt: string;
  state: 'reserved' | 'settled' | 'released';
  path: CallPath;
  model: string;
  commandId: string | null;
  sessionId: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  reserved: number;
  cost: number | null;
  priceKnown: boolean;
  estimated: boolean;
  status: string | null;
  latencyMs: number | null;
}

/**
 * The SQLite ledger of model calls with per-window totals. Reservations, settlements and releases
 * are committed together, one immediate transaction per event-loop turn (`ledger-batch.ts`); every
 * read commits what is queued first, so this process always reads its own writes.
 */
export interface ModelLedger {
  /**
   * Checks every window with a limit and holds `amount` in all of them, atomically across
   * processes; resolves once the hold is committed.
   */
  reserve(request: ReserveRequest): Promise<Reservation>;
  /** Holds `delta` more for a call under way (a stream past its estimate); false when a window has no room. */
  extend(id: string, delta: number, now: string, windows: readonly BudgetWindow[]): boolean;
  /** Charges what the call used and lets go of its hold; `committed` runs once that is on disk. */
  settle(id: string, settlement: Settlement, committed?: () => void): void;
  /** Lets go of a call's hold without a charge (it failed before any token). */
  release(id: string, now: string, status: Settlement['status'], error?: string, errorKind?: string): void;
  /** Commits the queued writes now (they are otherwise committed at the end of this event-loop turn). */
  flush(): void;
  /** Totals of the given window keys (missing windows are zero). */
  totals(keys: readonly string[]): Map<string, WindowTotal>;
  /** Calls of a command, oldest first. */
  byCommand(commandId: string): LedgerRow[];
  /** The latest calls, newest first. */
  recent(limit: number): LedgerRow[];
  /** Average latency per model over the most recent settled calls. */
  latencies(): Map<string, number>;
  /** Claims the alert for a window and level; true only the first time, across processes. */
  claimAlert(window: string, level: number, at: string): boolean;
  /** Holds left by processes that died: charged at the amount held (flagged estimated). */
  settleOrphans(isAlive: (owner: OwnerProcess) => boolean, now: string): number;
}

interface CallRow {
  id: string;
  created_at: string;
  state: LedgerRow['state'];
  path: CallPath;
  model: string;
  command_id: string | null;
  session_id: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  reserved: number;
  cost: number | null;
  price_known: number;
  estimated: number;
  status: string | null;
  latency_ms: number | null;
  windows_json: string;
  owner_pid: number;
  owner_started: string;
}

const LATENCY_CACHE_MS = 5000;

/**
 * Opens the ledger over the store's `model_calls` and `budget_totals` tables. `onFinished` hears
 * of the calls settled or released, once each, all of one commit together (inside the commit), in
 * the process that made them.
 */
export function createModelLedger(
  db: Db,
  options: { onFinished?: (calls: readonly FinishedCall[]) => void } = {},
): ModelLedger {
  const writes = createLedgerBatch(db, options.onFinished);
  const getTotal = db.prepare('SELECT spent, reserved, calls FROM budget_totals WHERE window = ?');
  const addHold = db.prepare(
    'UPDATE budget_totals SET reserved = reserved + ?, updated_at = ? WHERE window = ?',
  );
  const getCall = db.prepare('SELECT * FROM model_calls WHERE id = ?');
  const growCall = db.prepare('UPDATE model_calls SET reserved = reserved + ? WHERE id = ?');

  const extend = db.transaction(
    (id: string, delta: number, now: string, windows: readonly BudgetWindow[]): boolean => {
      const row = getCall.get(id) as CallRow | undefined;
      if (!row || row.state !== 'reserved') return false;
      for (const w of windows) {
        if (w.limit === null) continue;
        const t = (getTotal.get(w.key) as WindowTotal | undefined) ?? { spent: 0, reserved: 0, calls: 0 };
        if (w.limit - t.spent - t.reserved - delta < -EPSILON) return false;
      }
      growCall.run(delta, id);
      for (const key of JSON.parse(row.windows_json) as string[]) addHold.run(delta, now, key);
      return true;
    },
  );
  const finish = (
    id: string,
    state: 'settled' | 'released',
    settlement: Settlement,
    committed?: () => void,
  ) => writes.finish({ id, state, settlement, ...(committed ? { committed } : {}) });

  const toRow = (r: CallRow): LedgerRow => ({
    id: r.id,
    createdAt: r.created_at,
    state: r.state,
    path: r.path,
    model: r.model,
    commandId: r.command_id,
    sessionId: r.session_id,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    reserved: r.reserved,
    cost: r.cost,
    priceKnown: r.price_known === 1,
    estimated: r.estimated === 1,
    status: r.status,
    latencyMs: r.latency_ms,
  });
  const byCommand = db.prepare('SELECT * FROM model_calls WHERE command_id = ? ORDER BY created_at, rowid');
  const recent = db.prepare('SELECT * FROM model_calls ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const latencies = db.prepare(
    `SELECT model, AVG(latency_ms) AS ms FROM (SELECT model, latency_ms FROM model_calls
       WHERE latency_ms IS NOT NULL AND status = 'ok' ORDER BY created_at DESC LIMIT 2000) GROUP BY model`,
  );
  const open = db.prepare("SELECT * FROM model_calls WHERE state = 'reserved'");
  let latencyCache: { at: number; value: Map<string, number> } | null = null;
  const claim = db.prepare('INSERT OR IGNORE INTO budget_alerts (window, level, at) VALUES (?, ?, ?)');

  return {
    reserve: (request) => writes.reserve(request),
    extend(id, delta, now, windows) {
      // Ends queued this turn let go of holds first: the room they free is room for this.
      writes.flush();
      return extend.immediate(id, delta, now, windows);
    },
    settle: (id, s, committed) => finish(id, 'settled', s, committed),
    release: (id, now, status, error, errorKind) =>
      finish(id, 'released', {
        now,
        inputTokens: null,
        outputTokens: null,
        cost: 0,
        estimated: false,
        status,
        error,
        errorKind,
      }),
    flush: writes.flush,
    totals(keys) {
      writes.flush();
      const out = new Map<string, WindowTotal>();
      for (const key of keys)
        out.set(key, (getTotal.get(key) as WindowTotal | undefined) ?? { spent: 0, reserved: 0, calls: 0 });
      return out;
    },
    byCommand(commandId) {
      writes.flush();
      return (byCommand.all(commandId) as CallRow[]).map(toRow);
    },
    recent(limit) {
      writes.flush();
      return (recent.all(limit) as CallRow[]).map(toRow);
    },
    latencies() {
      // Read for every routing decision, moved by thousands of calls: a few seconds old is fresh enough.
      const now = Date.now();
      if (!latencyCache || now - latencyCache.at > LATENCY_CACHE_MS)
        latencyCache = {
          at: now,
          value: new Map((latencies.all() as { model: string; ms: number }[]).map((r) => [r.model, r.ms])),
        };
      return latencyCache.value;
    },
    claimAlert: (window, level, at) => claim.run(window, level, at).changes === 1,
    settleOrphans(isAlive, now) {
      writes.flush();
      let n = 0;
      for (const row of open.all() as CallRow[]) {
        if (isAlive({ pid: row.owner_pid, started: row.owner_started })) continue;
        finish(row.id, 'settled', {
          now,
          inputTokens: null,
          outputTokens: null,
          cost: row.price_known ? row.reserved : null,
          estimated: true,
          status: 'error',
          error: 'the process making the call ended before it finished',
          errorKind: 'orphaned',
        });
        n++;
      }
      writes.flush();
      return n;
    },
  };
}
