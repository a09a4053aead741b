import type { Db } from '../store/database.js';
import type { OwnerProcess } from '../util/proc-stat.js';
import type { BudgetWindow } from './budget-windows.js';

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

/** A call the ledger just settled or released, for the statistics (`onFinished`). */
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

/** The SQLite ledger of model calls with per-window totals; every change is one immediate transaction. */
export interface ModelLedger {
  /** Checks every window with a limit and holds `amount` in all of them, atomically across processes. */
  reserve(request: ReserveRequest): Reservation;
  /** Holds `delta` more for a call under way (a stream past its estimate); false when a window has no room. */
  extend(id: string, delta: number, now: string, windows: readonly BudgetWindow[]): boolean;
  /** Charges what the call used and lets go of its hold. */
  settle(id: string, settlement: Settlement): void;
  /** Lets go of a call's hold without a charge (it failed before any token). */
  release(id: string, now: string, status: Settlement['status'], error?: string, errorKind?: string): void;
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

const EPSILON = 1e-9;
const LATENCY_CACHE_MS = 5000;

/**
 * Opens the ledger over the store's `model_calls` and `budget_totals` tables. `onFinished` hears
 * of each call once it is settled or released (after the transaction), in the process that made it.
 */
export function createModelLedger(
  db: Db,
  options: { onFinished?: (call: FinishedCall) => void } = {},
): ModelLedger {
  const getTotal = db.prepare('SELECT spent, reserved, calls FROM budget_totals WHERE window = ?');
  const hold = db.prepare(
    `INSERT INTO budget_totals (window, reserved, calls, updated_at) VALUES (?, ?, 1, ?)
     ON CONFLICT(window) DO UPDATE SET reserved = reserved + excluded.reserved, calls = calls + 1, updated_at = excluded.updated_at`,
  );
  const addHold = db.prepare(
    'UPDATE budget_totals SET reserved = reserved + ?, updated_at = ? WHERE window = ?',
  );
  const charge = db.prepare(
    'UPDATE budget_totals SET spent = spent + ?, reserved = MAX(0, reserved - ?), updated_at = ? WHERE window = ?',
  );
  const insertCall = db.prepare(
    `INSERT INTO model_calls (id, created_at, state, path, model, command_id, session_id, reserved, price_known, windows_json, owner_pid, owner_started)
     VALUES (@id, @now, 'reserved', @path, @model, @commandId, @sessionId, @amount, @priceKnown, @windows, @pid, @started)`,
  );
  const getCall = db.prepare('SELECT * FROM model_calls WHERE id = ?');
  const growCall = db.prepare('UPDATE model_calls SET reserved = reserved + ? WHERE id = ?');
  const finishCall = db.prepare(
    `UPDATE model_calls SET state = @state, settled_at = @now, input_tokens = @input, output_tokens = @output,
       cached_tokens = @cached, cost = @cost, estimated = @estimated, status = @status, error = @error, latency_ms = @latency
     WHERE id = @id`,
  );

  const room = (w: BudgetWindow, amount: number) => {
    const t = (getTotal.get(w.key) as WindowTotal | undefined) ?? { spent: 0, reserved: 0, calls: 0 };
    return { total: t, free: (w.limit ?? Number.POSITIVE_INFINITY) - t.spent - t.reserved - amount };
  };

  const reserve = db.transaction((r: ReserveRequest): Reservation => {
    let amount = r.amount;
    for (const w of r.windows) {
      if (w.limit === null || amount <= 0) continue;
      const { total, free } = room(w, amount);
      if (free >= -EPSILON) continue;
      const left = free + amount;
      if (r.atLeast !== undefined && left >= r.atLeast && left > 0) amount = left;
      else return { ok: false, window: w, spent: total.spent, reserved: total.reserved };
    }
    insertCall.run({
      id: r.id,
      now: r.now,
      path: r.path,
      model: r.model,
      commandId: r.commandId,
      sessionId: r.sessionId,
      amount,
      priceKnown: r.priceKnown ? 1 : 0,
      windows: JSON.stringify(r.windows.map((w) => w.key)),
      pid: r.owner.pid,
      started: r.owner.started,
    });
    for (const w of r.windows) hold.run(w.key, amount, r.now);
    return { ok: true, amount };
  });

  const extend = db.transaction(
    (id: string, delta: number, now: string, windows: readonly BudgetWindow[]): boolean => {
      const row = getCall.get(id) as CallRow | undefined;
      if (!row || row.state !== 'reserved') return false;
      for (const w of windows) if (w.limit !== null && room(w, delta).free < -EPSILON) return false;
      growCall.run(delta, id);
      for (const key of JSON.parse(row.windows_json) as string[]) addHold.run(delta, now, key);
      return true;
    },
  );

  const finish = db.transaction((id: string, state: 'settled' | 'released', s: Settlement) => {
    const row = getCall.get(id) as CallRow | undefined;
    if (!row || row.state !== 'reserved') return null;
    const cost = s.cost ?? 0;
    for (const key of JSON.parse(row.windows_json) as string[]) charge.run(cost, row.reserved, s.now, key);
    finishCall.run({
      id,
      state,
      now: s.now,
      input: s.inputTokens,
      output: s.outputTokens,
      cached: s.cachedTokens ?? null,
      cost: s.cost,
      estimated: s.estimated ? 1 : 0,
      status: s.status,
      error: s.error ?? null,
      latency: s.latencyMs ?? null,
    });
    return row;
  });
  /** Settles or releases, then tells the listener (a failing listener never undoes the charge). */
  const finished = (id: string, state: 'settled' | 'released', s: Settlement) => {
    const row = finish.immediate(id, state, s);
    if (!row || !options.onFinished) return;
    try {
      options.onFinished({
        at: s.now,
        path: row.path,
        model: row.model,
        state,
        status: s.status,
        errorKind: s.status === 'ok' ? null : (s.errorKind ?? s.status),
        inputTokens: s.inputTokens,
        outputTokens: s.outputTokens,
        cost: s.cost,
        priceKnown: row.price_known === 1,
        latencyMs: s.latencyMs ?? null,
      });
    } catch (error) {
      console.error('ralex: counting a model call failed:', (error as Error).message);
    }
  };

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
    reserve: (request) => reserve.immediate(request),
    extend: (id, delta, now, windows) => extend.immediate(id, delta, now, windows),
    settle: (id, s) => finished(id, 'settled', s),
    release: (id, now, status, error, errorKind) =>
      finished(id, 'released', {
        now,
        inputTokens: null,
        outputTokens: null,
        cost: 0,
        estimated: false,
        status,
        error,
        errorKind,
      }),
    totals(keys) {
      const out = new Map<string, WindowTotal>();
      for (const key of keys)
        out.set(key, (getTotal.get(key) as WindowTotal | undefined) ?? { spent: 0, reserved: 0, calls: 0 });
      return out;
    },
    byCommand: (commandId) => (byCommand.all(commandId) as CallRow[]).map(toRow),
    recent: (limit) => (recent.all(limit) as CallRow[]).map(toRow),
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
      let n = 0;
      for (const row of open.all() as CallRow[]) {
        if (isAlive({ pid: row.owner_pid, started: row.owner_started })) continue;
        finished(row.id, 'settled', {
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
      return n;
    },
  };
}
