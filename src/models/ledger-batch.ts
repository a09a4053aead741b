import type { Db } from '../store/database.js';
import type { CallPath, FinishedCall, Reservation, ReserveRequest, Settlement } from './model-ledger.js';

/** Rounding slack in dollar comparisons. */
export const EPSILON = 1e-9;

/** A call's end, waiting for the next commit. */
export interface QueuedFinish {
  id: string;
  state: 'settled' | 'released';
  settlement: Settlement;
  /** Runs once the end is committed (budget alerts read the totals then). */
  committed?: () => void;
}

/** The ledger's writes, committed together: at the end of this event-loop turn, within SETTLE_WINDOW_MS, or at `flush`. */
export interface LedgerBatch {
  /** Queues a reservation; resolves once it is committed, or with the window that had no room. */
  reserve(request: ReserveRequest): Promise<Reservation>;
  /** Queues a settlement or release. */
  finish(end: QueuedFinish): void;
  /** Commits what is queued now, in one immediate transaction. */
  flush(): void;
}

interface QueuedReserve {
  request: ReserveRequest;
  resolve: (answer: Reservation) => void;
  reject: (error: unknown) => void;
}

interface FinishedRow {
  reserved: number;
  windows_json: string;
  path: CallPath;
  model: string;
  price_known: number;
}

/** Sums per budget window of one commit. */
interface WindowSums {
  /** Spent charged and holds let go by the calls that ended. */
  charged: number;
  released: number;
  /** Held by the calls admitted. */
  held: number;
  calls: number;
}

/**
 * How long a call's end may wait to be committed with other writes. A crash loses at most this
 * much (plus one turn) of settlements, and those calls are charged their holds at the next start.
 */
export const SETTLE_WINDOW_MS = 10;

/** Ledgers with writes queued, committed when the process exits (a thrown error, `process.exit`). */
const unflushed = new Set<LedgerBatch>();
let exitHooked = false;

/**
 * The ledger's writes, batched: every reservation, settlement and release made during one turn of
 * the event loop goes into one immediate transaction, run once that turn's I/O is handled
 * (`setImmediate`) or sooner when the ledger is read; an end with no reservation after it waits
 * up to SETTLE_WINDOW_MS. Under load, one commit (one WAL write, the
 * budget rows updated once per window) serves every call of the turn instead of three per call.
 *
 * Exact: reservations are checked inside that transaction, one after the other, against the
 * totals as committed by every process sharing the database plus what this commit already holds,
 * and a reservation's promise resolves only after the commit — no call is sent before its hold is
 * on disk. Ends are charged first, so the holds they let go are room for the reservations after.
 * Bounded on a crash: a call's end reaches the disk at most SETTLE_WINDOW_MS (and a turn) after
 * it was settled, with the next reservation if one comes sooner (so one commit per call at
 * concurrency 1); a process killed in between leaves the call held, and the next start charges it
 * at its hold (flagged estimated, never less than its worst case for a single answer). Other
 * processes see such an end that much later too: until then they count its hold, not its cost.
 * `onFinished` hears of the commit's ended calls together, inside the commit, so the statistics
 * are written with the charge and summed once per commit (a failing listener is rolled back alone
 * and never undoes the charge).
 */
export function createLedgerBatch(
  db: Db,
  onFinished?: (calls: readonly FinishedCall[]) => void,
): LedgerBatch {
  const getTotal = db.prepare('SELECT spent, reserved FROM budget_totals WHERE window = ?');
  const insertCall = db.prepare(
    `INSERT INTO model_calls (id, created_at, state, path, model, command_id, session_id, reserved, price_known, windows_json, owner_pid, owner_started)
     VALUES (@id, @now, 'reserved', @path, @model, @commandId, @sessionId, @amount, @priceKnown, @windows, @pid, @started)`,
  );
  const finishCall = db.prepare(
    `UPDATE model_calls SET state = @state, settled_at = @now, input_tokens = @input, output_tokens = @output,
       cached_tokens = @cached, cost = @cost, estimated = @estimated, status = @status, error = @error, latency_ms = @latency
     WHERE id = @id AND state = 'reserved' RETURNING reserved, windows_json, path, model, price_known`,
  );
  const charge = db.prepare(
    'UPDATE budget_totals SET spent = spent + ?, reserved = MAX(0, reserved - ?), updated_at = ? WHERE window = ?',
  );
  const hold = db.prepare(
    `INSERT INTO budget_totals (window, reserved, calls, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(window) DO UPDATE SET reserved = reserved + excluded.reserved, calls = calls + excluded.calls, updated_at = excluded.updated_at`,
  );

  // Its own savepoint: a listener that fails is undone alone, never the charge.
  const listen = onFinished ? db.transaction((calls: readonly FinishedCall[]) => onFinished(calls)) : null;

  let reservations: QueuedReserve[] = [];
  let finishes: QueuedFinish[] = [];
  // A reservation is committed at the end of this turn (its call waits for it); an end alone waits
  // up to SETTLE_WINDOW_MS for company, usually the next call's reservation.
  let soon: NodeJS.Immediate | null = null;
  let later: NodeJS.Timeout | null = null;

  /** One commit: the ends, then the reservations in order, then the window sums. */
  const commit = db.transaction((ends: QueuedFinish[], asks: QueuedReserve[]) => {
    const sums = new Map<string, WindowSums>();
    const sumOf = (key: string) => {
      const known = sums.get(key);
      if (known) return known;
      const fresh = { charged: 0, released: 0, held: 0, calls: 0 };
      sums.set(key, fresh);
      return fresh;
    };
    let latest = '';
    const finished: FinishedCall[] = [];
    for (const end of ends) {
      const s = end.settlement;
      const row = finishCall.get({
        id: end.id,
        state: end.state,
        now: s.now,
        input: s.inputTokens,
        output: s.outputTokens,
        cached: s.cachedTokens ?? null,
        cost: s.cost,
        estimated: s.estimated ? 1 : 0,
        status: s.status,
        error: s.error ?? null,
        latency: s.latencyMs ?? null,
      }) as FinishedRow | undefined;
      if (!row) continue; // already settled (an orphan another process charged first)
      for (const key of JSON.parse(row.windows_json) as string[]) {
        const sum = sumOf(key);
        sum.charged += s.cost ?? 0;
        sum.released += row.reserved;
      }
      if (s.now > latest) latest = s.now;
      finished.push(finishedCall(row, end));
    }
    for (const [key, sum] of sums) charge.run(sum.charged, sum.released, latest, key);

    const answers: Reservation[] = [];
    const committed = new Map<string, { spent: number; reserved: number }>();
    const totalOf = (key: string) => {
      const known = committed.get(key);
      if (known) return known;
      const read = (getTotal.get(key) as { spent: number; reserved: number } | undefined) ?? {
        spent: 0,
        reserved: 0,
      };
      committed.set(key, read);
      return read;
    };
    for (const { request: r } of asks) {
      const answer = admit(r, (key) => {
        const t = totalOf(key);
        return { spent: t.spent, reserved: t.reserved + (sums.get(key)?.held ?? 0) };
      });
      answers.push(answer);
      if (!answer.ok) continue;
      insertCall.run({
        id: r.id,
        now: r.now,
        path: r.path,
        model: r.model,
        commandId: r.commandId,
        sessionId: r.sessionId,
        amount: answer.amount,
        priceKnown: r.priceKnown ? 1 : 0,
        windows: JSON.stringify(r.windows.map((w) => w.key)),
        pid: r.owner.pid,
        started: r.owner.started,
      });
      for (const w of r.windows) {
        const sum = sumOf(w.key);
        sum.held += answer.amount;
        sum.calls++;
      }
      if (r.now > latest) latest = r.now;
    }
    for (const [key, sum] of sums) if (sum.calls > 0) hold.run(key, sum.held, sum.calls, latest);

    if (listen && finished.length)
      try {
        listen(finished);
      } catch (error) {
        console.error('ralex: counting model calls failed:', (error as Error).message);
      }
    return answers;
  });

  const flush = () => {
    if (soon) clearImmediate(soon);
    if (later) clearTimeout(later);
    soon = later = null;
    unflushed.delete(batch);
    if (!reservations.length && !finishes.length) return;
    const ends = finishes;
    const asks = reservations;
    finishes = [];
    reservations = [];
    let answers: Reservation[];
    try {
      answers = commit.immediate(ends, asks);
    } catch (error) {
      for (const ask of asks) ask.reject(error);
      // What the calls used is still owed: their rows stay held, and the next commit tries again.
      finishes = [...ends, ...finishes];
      console.error('ralex: writing the model ledger failed:', (error as Error).message);
      return;
    }
    for (const [i, ask] of asks.entries()) ask.resolve(answers[i] as Reservation);
    for (const end of ends) {
      try {
        end.committed?.();
      } catch (error) {
        console.error('ralex: after a model call:', (error as Error).message);
      }
    }
  };

  const queued = (urgent: boolean) => {
    if (urgent && !soon) soon = setImmediate(flush);
    // Unref'd: a process about to exit commits it on its way out ('exit' below).
    if (!urgent && !soon && !later) later = setTimeout(flush, SETTLE_WINDOW_MS).unref();
    unflushed.add(batch);
    if (!exitHooked) {
      exitHooked = true;
      process.once('exit', () => {
        for (const b of unflushed) b.flush();
      });
    }
  };

  const batch: LedgerBatch = {
    reserve(request) {
      return new Promise<Reservation>((resolve, reject) => {
        reservations.push({ request, resolve, reject });
        queued(true);
      });
    },
    finish(end) {
      finishes.push(end);
      queued(false);
    },
    flush,
  };
  return batch;
}

/**
 * The ledger's rule for one reservation: every window with a limit must have room for the amount;
 * when the full amount does not fit, what is left is held if it is at least `atLeast`.
 */
function admit(
  r: ReserveRequest,
  totalOf: (key: string) => { spent: number; reserved: number },
): Reservation {
  let amount = r.amount;
  for (const w of r.windows) {
    if (w.limit === null || amount <= 0) continue;
    const total = totalOf(w.key);
    const free = w.limit - total.spent - total.reserved - amount;
    if (free >= -EPSILON) continue;
    const left = free + amount;
    if (r.atLeast !== undefined && left >= r.atLeast && left > 0) amount = left;
    else return { ok: false, window: w, spent: total.spent, reserved: total.reserved };
  }
  return { ok: true, amount };
}

function finishedCall(row: FinishedRow, end: QueuedFinish): FinishedCall {
  const s = end.settlement;
  return {
    at: s.now,
    path: row.path,
    model: row.model,
    state: end.state,
    status: s.status,
    errorKind: s.status === 'ok' ? null : (s.errorKind ?? s.status),
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    cost: s.cost,
    priceKnown: row.price_known === 1,
    latencyMs: s.latencyMs ?? null,
  };
}
