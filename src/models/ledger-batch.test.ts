import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.js';
import { isOwnerAlive, thisProcess } from '../util/proc-stat.js';
import type { BudgetWindow } from './budget-windows.js';
import { createModelLedger, type FinishedCall, type ReserveRequest } from './model-ledger.js';

const here = dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'ralex-ledger-'));
  dirs.push(dir);
  return join(dir, 'ralex.db');
}

const day: BudgetWindow = { period: 'daily', key: 'day:2025-06-04', limit: 0.01, resetsAt: null };
const month: BudgetWindow = { period: 'monthly', key: 'month:2025-06', limit: null, resetsAt: null };

const ask = (id: string, amount: number): ReserveRequest => ({
  id,
  now: '2025-06-04T10:00:00.000Z',
  path: 'pass-through',
  model: 'test:model',
  commandId: null,
  sessionId: null,
  windows: [day, month],
  amount,
  priceKnown: true,
  owner: thisProcess(),
});

const settlement = (cost: number) => ({
  now: '2025-06-04T10:00:01.000Z',
  inputTokens: 100,
  outputTokens: 10,
  cost,
  estimated: false,
  status: 'ok' as const,
});

describe('the ledger commits a turn of calls together', () => {
  it('admits exactly what fits of 50 reservations made at once, and the totals afterwards are exact', async () => {
    const db = openDatabase(tempDb());
    const finished: FinishedCall[] = [];
    const ledger = createModelLedger(db, { onFinished: (calls) => finished.push(...calls) });
    // How often the month's row is written: once per turn for the holds, once for the ends, not once per call.
    let monthWrites = 0;
    db.function('count_month_write', () => ++monthWrites);
    db.exec(
      "CREATE TEMP TRIGGER count_month_writes AFTER UPDATE ON budget_totals WHEN NEW.window = 'month:2025-06' BEGIN SELECT count_month_write(); END",
    );
    // $0.01 of room and $0.0015 asked by each: six fit, the seventh does not.
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => ledger.reserve(ask(`c${i}`, 0.0015))),
    );
    const admitted = answers.filter((a) => a.ok).length;
    expect(admitted).toBe(6);
    // The six holds went in as one insert of the month's row (no update of it yet).
    expect(monthWrites).toBe(0);
    const refusal = answers.find((a) => !a.ok);
    expect(refusal).toMatchObject({ ok: false, window: { key: day.key }, spent: 0 });
    expect(refusal && !refusal.ok && refusal.reserved).toBeCloseTo(0.009, 12);
    expect(ledger.totals([day.key, month.key]).get(day.key)).toMatchObject({ calls: 6 });

    // Each admitted call ends; what they free is room for the next turn's reservations.
    answers.forEach((a, i) => {
      if (a.ok) ledger.settle(`c${i}`, settlement(0.001));
    });
    const later = await Promise.all(
      Array.from({ length: 10 }, (_, i) => ledger.reserve(ask(`d${i}`, 0.0015))),
    );
    // $0.006 spent, $0.004 of room: two more fit.
    expect(later.filter((a) => a.ok)).toHaveLength(2);
    expect(monthWrites).toBe(2); // that turn's six ends charged at once, then its two holds
    const totals = ledger.totals([day.key, month.key]);
    expect(totals.get(day.key)?.spent).toBeCloseTo(0.006, 12);
    expect(totals.get(day.key)?.reserved).toBeCloseTo(0.003, 12);
    expect(totals.get(month.key)).toMatchObject({ calls: 8 });
    expect(finished).toHaveLength(6);
    expect(ledger.recent(100).filter((r) => r.state === 'settled')).toHaveLength(6);
  });

  it('a call ended just before the process is killed is charged at its hold at the next start; a normal exit writes its usage', () => {
    const file = tempDb();
    const worker = join(file, '..', 'worker.mts');
    writeFileSync(
      worker,
      `import { createModelLedger } from ${JSON.stringify(join(here, 'model-ledger.ts'))};
import { openDatabase } from ${JSON.stringify(join(here, '../store/database.ts'))};
import { thisProcess } from ${JSON.stringify(join(here, '../util/proc-stat.ts'))};
const ledger = createModelLedger(openDatabase(process.argv[2]));
const windows = [{ period: 'daily', key: 'day:x', limit: 1, resetsAt: null }];
const id = 'call_' + process.argv[3];
const held = await ledger.reserve({ id, now: new Date().toISOString(), path: 'pass-through', model: 'test:model',
  commandId: null, sessionId: null, windows, amount: 0.25, priceKnown: true, owner: thisProcess() });
if (!held.ok) process.exit(3);
ledger.settle(id, { now: new Date().toISOString(), inputTokens: 10, outputTokens: 10, cost: 0.01, estimated: false, status: 'ok' });
// Still queued: it would be committed at the end of this event-loop turn.
if (process.argv[3] === 'killed') process.kill(process.pid, 'SIGKILL');
else process.exit(0);
`,
    );
    const run = (how: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', worker, file, how], {
        encoding: 'utf8',
        timeout: 30_000,
      });
    expect(run('exited').status).toBe(0);
    expect(run('killed').signal).toBe('SIGKILL');
    const ledger = createModelLedger(openDatabase(file));
    const rows = new Map(ledger.recent(10).map((r) => [r.id, r]));
    expect(rows.get('call_exited')).toMatchObject({ state: 'settled', cost: 0.01, estimated: false });
    expect(rows.get('call_killed')).toMatchObject({ state: 'reserved', reserved: 0.25 });
    // The next start: the dead process's hold is charged in full, never less than it held.
    expect(ledger.settleOrphans(isOwnerAlive, new Date().toISOString())).toBe(1);
    expect(ledger.recent(10).find((r) => r.id === 'call_killed')).toMatchObject({
      state: 'settled',
      cost: 0.25,
      estimated: true,
    });
    expect(ledger.totals(['day:x']).get('day:x')).toMatchObject({ spent: 0.26, reserved: 0, calls: 2 });
  }, 60_000);
});
