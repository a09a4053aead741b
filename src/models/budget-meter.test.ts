import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BudgetsSchema, RoutingSchema } from '../config/models-schema.js';
import { RalexError } from '../errors.js';
import { openDatabase } from '../store/database.js';
import { generateId } from '../util/ids.js';
import { thisProcess } from '../util/proc-stat.js';
import { type BudgetAlert, createBudgetMeter } from './budget-meter.js';
import { describeModel } from './model-info.js';
import { createModelLedger } from './model-ledger.js';

const here = dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDb() {
  const dir = mkdtempSync(join(tmpdir(), 'ralex-budget-'));
  dirs.push(dir);
  return join(dir, 'ralex.db');
}

/** $1 per million input tokens, $2 per million output tokens. */
const info = describeModel('test:model', null, {
  overrides: { 'test:model': { input: 1, output: 2, max_output: 4000 } },
});

function meterOver(file: string, budgets: Record<string, unknown>, alerts: BudgetAlert[] = []) {
  const db = openDatabase(file);
  const ledger = createModelLedger(db);
  const meter = createBudgetMeter({
    ledger,
    budgets: BudgetsSchema.parse(budgets),
    routing: RoutingSchema.parse({}),
    clock: () => new Date('2025-06-04T10:00:00Z'),
    ids: generateId,
    owner: thisProcess(),
    onAlert: (a) => alerts.push(a),
  });
  return { db, ledger, meter };
}

const plan = (over: Partial<Parameters<ReturnType<typeof meterOver>['meter']['start']>[0]> = {}) => ({
  path: 'pass-through' as const,
  info,
  inputTokens: 1000,
  maxOutputTokens: 500,
  streaming: false,
  commandId: null,
  sessionId: 'ses_1',
  ...over,
});

describe('the budget meter', async () => {
  it('holds the estimate, charges the real usage, and refuses what would pass the limit', async () => {
    const { meter, ledger } = meterOver(tempDb(), { daily: 0.01, timezone: 'utc' });
    // 1000 input ($0.001) + 500 output ($0.001) held.
    const call = await meter.start(plan());
    expect(call.reserved).toBeCloseTo(0.002, 9);
    const charged = call.finish({ inputTokens: 1000, outputTokens: 100 }, { outputTokens: 0 });
    expect(charged).toEqual({ cost: 0.0012, estimated: false });
    expect(ledger.totals(['day:2025-06-04']).get('day:2025-06-04')).toMatchObject({
      spent: 0.0012,
      reserved: 0,
    });
    // A request estimated at $0.0100 (8000 input, 1024 expected output) cannot fit in what is left ($0.0088).
    const big = plan({ inputTokens: 8000, maxOutputTokens: 2600 });
    let refusal: unknown;
    try {
      await meter.start(big);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(RalexError);
    expect((refusal as RalexError).code).toBe('budget_exceeded');
    expect((refusal as RalexError).message).toMatch(/daily budget: \$0\.0088 of \$0\.01 remains/);
    expect((refusal as RalexError).message).toMatch(/resets in 14 h 0 min \(2025-06-05T00:00:00.000Z\)/);
    expect((refusal as RalexError).details).toMatchObject({ remaining: 0.0088, period: 'daily' });
  });

  it('caps a single answer to what is left, and charges the estimate (flagged) when the provider sends no usage', async () => {
    const { meter } = meterOver(tempDb(), { per_query: 0.004 });
    // The estimate ($0.003048) fits; the worst case (4000 output tokens, $0.009) does not: capped at what is left.
    const call = await meter.start(plan({ maxOutputTokens: null }));
    expect(call.reserved).toBeCloseTo(0.004, 9);
    expect(call.outputCap).toBe(1500);
    expect(call.finish(null, { outputTokens: 300 })).toEqual({ cost: 0.0016, estimated: true });
  });

  it('stops a stream when it reaches the budget', async () => {
    const { meter, ledger } = meterOver(tempDb(), { daily: 0.0031 });
    const call = await meter.start(plan({ streaming: true, maxOutputTokens: null }));
    // Held: the estimate, 1000 input + 1024 expected output = $0.003048.
    expect(call.reserved).toBeCloseTo(0.003048, 9);
    let stoppedAt = 0;
    for (let tokens = 50; tokens <= 5000; tokens += 50) {
      if (!call.progress(tokens)) {
        stoppedAt = tokens;
        break;
      }
    }
    expect(stoppedAt).toBeGreaterThan(0);
    expect(stoppedAt).toBeLessThanOrEqual(1100);
    call.finish(null, { outputTokens: stoppedAt }, 'stopped');
    const day = [...ledger.totals([meter.windows({ sessionId: null })[1]!.key]).values()][0]!;
    expect(day.reserved).toBe(0);
    expect(day.spent).toBeLessThanOrEqual(0.0031 + 50 * 2e-6 + 1e-12); // at most one step over
  });

  it('raises the 80% and 100% alerts once per window', async () => {
    const alerts: BudgetAlert[] = [];
    const { meter, ledger } = meterOver(tempDb(), { weekly: 0.01 }, alerts);
    for (let i = 0; i < 5; i++) {
      const c = await meter.start(plan({ maxOutputTokens: 100 }));
      c.finish({ inputTokens: 1000, outputTokens: 500 }, { outputTokens: 0 }); // $0.002 each
    }
    ledger.flush(); // the alerts are said once the charge is committed
    expect(alerts.map((a) => [a.period, a.level])).toEqual([
      ['weekly', 80],
      ['weekly', 100],
    ]);
    expect(alerts[1]?.message).toMatch(/^Budget reached: weekly \$0\.0100 of \$0\.01/);
  });

  it('says the budget is reached when a request is refused short of the limit (once, and not while calls are under way)', async () => {
    const alerts: BudgetAlert[] = [];
    const { meter } = meterOver(tempDb(), { daily: 0.01 }, alerts);
    // A request bigger than the whole budget is refused, and the budget is not "reached" by it.
    await expect(meter.start(plan({ inputTokens: 20_000 }))).rejects.toThrow(/would pass the daily budget/);
    expect(alerts).toEqual([]);
    for (let i = 0; i < 4; i++)
      (await meter.start(plan({ maxOutputTokens: 100 }))).finish(
        { inputTokens: 1000, outputTokens: 500 },
        { outputTokens: 0 },
      ); // $0.002 each: $0.008
    const open = await meter.start(plan({ maxOutputTokens: 500 })); // holds $0.002: nothing left
    await expect(meter.start(plan({ maxOutputTokens: 500 }))).rejects.toThrow(/would pass the daily budget/);
    expect(alerts.map((a) => a.level)).toEqual([80]); // the held call may still come in under its hold
    open.finish({ inputTokens: 1000, outputTokens: 0 }, { outputTokens: 0 }); // $0.001: $0.009 spent
    for (let i = 0; i < 2; i++)
      await expect(meter.start(plan({ maxOutputTokens: 500 }))).rejects.toThrow(
        /would pass the daily budget/,
      );
    expect(alerts.map((a) => [a.period, a.level])).toEqual([
      ['daily', 80],
      ['daily', 100],
    ]);
    expect(alerts[1]?.message).toMatch(
      /^Budget reached: daily \$0\.0090 of \$0\.01; model requests are refused/,
    );
  });

  it('settles the holds of a process that died, at the amount held', async () => {
    const file = tempDb();
    const { ledger } = meterOver(file, { daily: 1 });
    await ledger.reserve({
      id: 'call_dead',
      now: new Date().toISOString(),
      path: 'agent',
      model: 'test:model',
      commandId: null,
      sessionId: null,
      windows: [{ period: 'daily', key: 'day:x', limit: 1, resetsAt: null }],
      amount: 0.25,
      priceKnown: true,
      owner: { pid: 2 ** 22 + 7, started: '1' },
    });
    expect(ledger.settleOrphans(() => false, new Date().toISOString())).toBe(1);
    expect(ledger.totals(['day:x']).get('day:x')).toMatchObject({ spent: 0.25, reserved: 0 });
    expect(ledger.recent(1)[0]).toMatchObject({ state: 'settled', estimated: true, cost: 0.25 });
  });

  it('holds across processes: 4 processes × 25 concurrent calls overspend by at most one estimate', async () => {
    const file = tempDb();
    const { meter, ledger } = meterOver(file, { daily: 0.05, timezone: 'utc' });
    // Nearly spent: $0.04 of $0.05.
    (await meter.start(plan({ maxOutputTokens: 0, inputTokens: 40_000 }))).finish(
      { inputTokens: 40_000, outputTokens: 0 },
      { outputTokens: 0 },
    );
    const worker = join(file, '..', 'worker.mts');
    writeFileSync(
      worker,
      `import { createBudgetMeter } from ${JSON.stringify(join(here, 'budget-meter.ts'))};
import { createModelLedger } from ${JSON.stringify(join(here, 'model-ledger.ts'))};
import { describeModel } from ${JSON.stringify(join(here, 'model-info.ts'))};
import { openDatabase } from ${JSON.stringify(join(here, '../store/database.ts'))};
import { BudgetsSchema, RoutingSchema } from ${JSON.stringify(join(here, '../config/models-schema.ts'))};
import { generateId } from ${JSON.stringify(join(here, '../util/ids.ts'))};
import { thisProcess } from ${JSON.stringify(join(here, '../util/proc-stat.ts'))};
const info = describeModel('test:model', null, { overrides: { 'test:model': { input: 1, output: 2, max_output: 4000 } } });
const meter = createBudgetMeter({ ledger: createModelLedger(openDatabase(process.argv[2])), budgets: BudgetsSchema.parse({ daily: 0.05, timezone: 'utc' }),
  routing: RoutingSchema.parse({}), clock: () => new Date('2025-06-04T10:00:00Z'), ids: generateId, owner: thisProcess() });
let admitted = 0, refused = 0;
await Promise.all(Array.from({ length: 25 }, async (_, i) => {
  await new Promise((r) => setTimeout(r, (i * 7) % 11));
  let call;
  try { call = await meter.start({ path: 'pass-through', info, inputTokens: 1000, maxOutputTokens: 500, streaming: false, commandId: null, sessionId: null }); }
  catch { refused++; return; }
  admitted++;
  await new Promise((r) => setTimeout(r, 5 + (i % 5)));
  // The answer runs 20% longer than its estimate, as answers do.
  call.finish({ inputTokens: 1000, outputTokens: 600 }, { outputTokens: 0 });
}));
console.log(JSON.stringify({ admitted, refused }));
`,
    );
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => {
        const child = spawn(process.execPath, ['--import', 'tsx', worker, file], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        return new Promise<{ admitted: number; refused: number }>((resolve, reject) =>
          child.on('exit', (code) =>
            code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited ${code}`)),
          ),
        );
      }),
    );
    const admitted = runs.reduce((n, r) => n + r.admitted, 0);
    expect(admitted + runs.reduce((n, r) => n + r.refused, 0)).toBe(100);
    const day = ledger.totals(['day:2025-06-04']).get('day:2025-06-04')!;
    expect(day.reserved).toBeCloseTo(0, 12);
    // Each admitted call held $0.002 and spent $0.0022: only holds that fit were granted.
    expect(admitted).toBeLessThanOrEqual(5);
    expect(day.spent).toBeLessThanOrEqual(0.05 + 0.002 + 1e-9);
  }, 60_000);
  it("checks a plain call against per_query without a window row of its own; a command's calls still share theirs", async () => {
    const { meter, db } = meterOver(tempDb(), { per_query: 0.004 });
    const queryRows = () =>
      (
        db.prepare("SELECT COUNT(*) AS n FROM budget_totals WHERE window LIKE 'query:%'").get() as {
          n: number;
        }
      ).n;
    // Plain calls (no command): capped and refused exactly as before, but no query: row is written.
    const capped = await meter.start(plan({ maxOutputTokens: null }));
    expect(capped.reserved).toBeCloseTo(0.004, 9);
    expect(capped.outputCap).toBe(1500);
    capped.finish({ inputTokens: 1000, outputTokens: 1500 }, { outputTokens: 0 });
    await expect(meter.start(plan({ inputTokens: 5000 }))).rejects.toThrow(/query budget/);
    const stream = await meter.start(plan({ streaming: true, maxOutputTokens: null }));
    let stoppedAt = 0;
    for (let tokens = 64; tokens <= 5000; tokens += 64)
      if (!stream.progress(tokens)) {
        stoppedAt = tokens;
        break;
      }
    // $0.001 of input leaves room for 1500 output tokens; the stream is stopped at the step past it.
    expect(stoppedAt).toBeGreaterThan(1000);
    expect(stoppedAt).toBeLessThanOrEqual(1500 + 64);
    stream.finish(null, { outputTokens: stoppedAt }, 'stopped');
    expect(queryRows()).toBe(0);
    // Two calls of one command share the command's per_query budget, held in its window row.
    const first = await meter.start(plan({ commandId: 'cmd_1', maxOutputTokens: 1000 })); // $0.003 held
    expect(queryRows()).toBe(1);
    await expect(meter.start(plan({ commandId: 'cmd_1', maxOutputTokens: 1000 }))).rejects.toThrow(
      /query budget/,
    );
    first.finish({ inputTokens: 1000, outputTokens: 1000 }, { outputTokens: 0 });
    expect((await meter.start(plan({ commandId: 'cmd_2', maxOutputTokens: 1000 }))).reserved).toBeCloseTo(
      0.003,
      9,
    );
  });
});
