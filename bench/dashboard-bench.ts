/**
 * The dashboard's budget (issue 14): its queries on a store seeded with 100k commands, and its
 * first paint after the app shell — each beside a baseline measured in the same run.
 *
 *   node --import tsx bench/dashboard-bench.ts [commands]     (default 100000; builds web/dist if stale)
 *
 * Seeding: 100k finished commands over 90 days (busier on weekdays and in working hours), each
 * with its row in `commands` (result JSON as the pipeline stores it) and what the recorder adds
 * to the statistics (outcome, eight stage latencies and the command's, tokens, errors, tool
 * calls, approvals) and what the ledger adds per model call (calls, tokens and cost by model and
 * path, upstream errors and latency), plus 200k events. Queries: `queryDashboard` for 24 h, 7 d, 30 d, 90 d and
 * 400 d. Baseline: the same figures for the range computed from the raw `commands` rows
 * (json_extract over result_json, the way a dashboard without statistics would), and a bare
 * `SELECT 1`. First paint: the app's shell loaded, then the top bar's dashboard button clicked →
 * the dashboard on screen with its figures and its first chart drawn (cold: the view's code not
 * loaded yet; warm: opened again). Baseline: `fetch('/api/dashboard?since=24h')` from the page.
 */
/// <reference lib="dom" />
import { loadavg } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { createRuntime } from '../src/runtime.js';
import { createServer } from '../src/server/create-server.js';
import { queryDashboard } from '../src/stats/dashboard-query.js';
import { recordModelCalls } from '../src/stats/record-calls.js';
import { createStatsStore } from '../src/stats/stats-store.js';
import { openDatabase } from '../src/store/database.js';
import { createTempGitRepo } from '../test/fixtures/temp-git-repo.js';
import { userTrust } from '../test/helpers/user-trust.js';
import { launchChromium } from '../test/web/chromium.js';
import { ensureWebBuild } from '../test/web/web-build.js';
import { met, ms, printTable, summarize } from './bench-stats.js';

const COMMANDS = Number(process.argv[2] ?? 100_000);
const DAYS = 90;
const QUERY_RUNS = 40;
const PAINT_RUNS = 8;
const TARGETS = { queryMs: 20, paintMs: 150 };
const TOKEN = 'bench-token-0123456789abcdef';
const INTENTS = [
  'what_changed',
  'list_files',
  'show_file',
  'run_tests',
  'explain',
  'fix_bug',
  'question',
  'undo',
  'push',
  'status',
];
const STAGES = ['parse', 'guard', 'context', 'enhance', 'route', 'execute', 'record', 'respond'];

/** A deterministic pseudo-random sequence, so every run seeds the same store. */
function random(seed = 42) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** Seeds `db` with `n` commands over `DAYS` days ending now, and their statistics. */
function seed(dbFile: string, n: number): void {
  const db = openDatabase(dbFile);
  const stats = createStatsStore(db);
  const rnd = random();
  const now = Date.now();
  const session = db.prepare(
    "INSERT INTO sessions (id, title, created_at, updated_at) VALUES (?, 'bench', ?, ?)",
  );
  const command = db.prepare(
    'INSERT INTO commands (id, session_id, text, source, status, intent, created_at, finished_at, result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const event = db.prepare(
    'INSERT INTO events (session_id, command_id, type, ts, body_json) VALUES (?, ?, ?, ?, ?)',
  );
  const t0 = performance.now();
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      // Working hours on weekdays are busier: reject some samples outside them.
      let at = now - rnd() * DAYS * 86_400_000;
      const d = new Date(at);
      if ((d.getUTCDay() % 6 === 0 || d.getUTCHours() < 8 || d.getUTCHours() > 19) && rnd() < 0.6)
        at = now - rnd() * DAYS * 86_400_000;
      const iso = new Date(at).toISOString();
      const intent = INTENTS[Math.floor(rnd() ** 1.5 * INTENTS.length)]!;
      const status =
        rnd() < 0.82 ? 'succeeded' : rnd() < 0.6 ? 'failed' : rnd() < 0.5 ? 'denied' : 'needs_input';
      const source = rnd() < 0.3 ? 'voice' : rnd() < 0.5 ? 'api' : rnd() < 0.5 ? 'openai' : 'cli';
      const model = ['explain', 'fix_bug', 'question'].includes(intent)
        ? rnd() < 0.7
          ? 'openai:gpt-4o-mini'
          : 'anthropic:claude-sonnet'
        : null;
      const durationMs = model ? 800 + rnd() * 40_000 : 2 + rnd() * 400;
      const usage = model
        ? { inputTokens: Math.round(1_000 + rnd() * 9_000), outputTokens: Math.round(50 + rnd() * 900) }
        : null;
      const stages = STAGES.map((stage) => ({
        stage,
        durationMs: stage === 'execute' ? durationMs * 0.9 : rnd() * (model ? 60 : 3),
        skipped: false,
      }));
      const result = {
        commandId: `cmd_${i}`,
        status,
        intent,
        reply: 'x'.repeat(200),
        model,
        usage,
        cost: null,
        durationMs,
        stages,
        error: status === 'failed' && rnd() < 0.3 ? { code: 'upstream_error', message: 'x' } : null,
      };
      // Sessions of 25 commands, as a user's would be (the app replays the newest one).
      const sessionId = `ses_${Math.floor(i / 25)}`;
      if (i % 25 === 0) session.run(sessionId, new Date(now).toISOString(), new Date(now).toISOString());
      const text = `command ${i}`;
      command.run(`cmd_${i}`, sessionId, text, source, status, intent, iso, iso, JSON.stringify(result));
      const accepted = { type: 'command.accepted', text, source };
      event.run(sessionId, `cmd_${i}`, 'command.accepted', iso, JSON.stringify(accepted));
      const finished = { type: 'command.finished', result };
      event.run(sessionId, `cmd_${i}`, 'command.finished', iso, JSON.stringify(finished));
      stats.command({ at: iso, intent, status, source, durationMs });
      stats.latency(iso, 'command', durationMs);
      for (const s of stages) stats.latency(iso, s.stage, s.durationMs);
      if (model && usage) {
        stats.count(iso, 'model_commands', model);
        stats.count(iso, 'tokens_in', model, usage.inputTokens);
        stats.count(iso, 'tokens_out', model, usage.outputTokens);
        stats.count(iso, 'tool_calls', 'allow', 1 + Math.floor(rnd() * 6));
        // What the ledger adds per model call: one to four calls a command, some failing upstream.
        const calls = 1 + Math.floor(rnd() * 4);
        for (let c = 0; c < calls; c++) {
          const failed = rnd() < 0.03;
          recordModelCalls(stats, [
            {
              at: iso,
              path: rnd() < 0.8 ? 'agent' : 'pass-through',
              model,
              state: failed ? 'released' : 'settled',
              status: failed ? 'error' : 'ok',
              errorKind: failed ? (rnd() < 0.5 ? 'http_429' : 'http_503') : null,
              inputTokens: failed ? null : Math.round(usage.inputTokens / calls),
              outputTokens: failed ? null : Math.round(usage.outputTokens / calls),
              cost: failed ? 0 : (usage.inputTokens * 0.15 + usage.outputTokens * 0.6) / calls / 1e6,
              priceKnown: true,
              latencyMs: failed ? null : 300 + rnd() * 8_000,
            },
          ]);
        }
      }
      if (result.error) stats.count(iso, 'errors', result.error.code);
      else if (status === 'failed') stats.count(iso, 'failures', intent);
      if (status === 'needs_input') stats.count(iso, 'asks_back', source);
      if (intent === 'push') stats.count(iso, 'approvals', 'requested');
    }
  })();
  db.prepare(
    "INSERT INTO stat_meta (key, value) VALUES ('live_from', '0') ON CONFLICT DO UPDATE SET value = '0'",
  ).run();
  const rows = (
    db
      .prepare(
        'SELECT (SELECT COUNT(*) FROM stat_commands) + (SELECT COUNT(*) FROM stat_latency) + (SELECT COUNT(*) FROM stat_counts) AS n',
      )
      .get() as { n: number }
  ).n;
  process.stdout.write(
    `seeded ${n} commands, ${2 * n} events, ${rows} statistics rows in ${Math.round(performance.now() - t0)} ms\n`,
  );
  db.close();
}

/** The same headline figures computed from the raw rows (what a dashboard without statistics would do). */
function rawQuery(db: ReturnType<typeof openDatabase>, since: string) {
  return db
    .prepare(
      `SELECT intent, status, COUNT(*) AS n, SUM(json_extract(result_json, '$.durationMs')) AS ms,
              SUM(json_extract(result_json, '$.usage.inputTokens')) AS tin, SUM(json_extract(result_json, '$.usage.outputTokens')) AS tout
       FROM commands WHERE created_at >= ? GROUP BY intent, status`,
    )
    .all(since);
}

function time(work: () => unknown, runs: number): number[] {
  for (let i = 0; i < 3; i++) work();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    work();
    out.push(performance.now() - t);
  }
  return out;
}

async function firstPaint(
  page: Page,
  url: string,
): Promise<{ cold: number[]; warm: number[]; fetch: number[] }> {
  const cold: number[] = [];
  const warm: number[] = [];
  const fetchMs: number[] = [];
  const open = () =>
    page.evaluate(async () => {
      const t = performance.now();
      (document.querySelector('button[aria-label="Dashboard"]') as HTMLButtonElement).click();
      for (;;) {
        const ready = document.querySelector('.dashboard[data-ready="yes"] canvas');
        if (ready) break;
        await new Promise((r) => requestAnimationFrame(r));
      }
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t;
    });
  const close = () => page.getByRole('button', { name: 'Back to commands' }).first().click();
  for (let i = 0; i < PAINT_RUNS; i++) {
    await page.goto(url);
    await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
    cold.push(await open());
    await close();
    warm.push(await open());
    await close();
    fetchMs.push(
      await page.evaluate(
        async (token) => {
          const t = performance.now();
          await (
            await fetch('/api/dashboard?since=24h', { headers: { authorization: `Bearer ${token}` } })
          ).json();
          return performance.now() - t;
        },
        await page.evaluate(() => localStorage.getItem('ralex.token')),
      ),
    );
  }
  return { cold, warm, fetch: fetchMs };
}

async function main() {
  const [one, five, fifteen] = loadavg();
  process.stdout.write(
    `dashboard bench, load ${one!.toFixed(1)} / ${five!.toFixed(1)} / ${fifteen!.toFixed(1)}\n`,
  );
  const webDir = await ensureWebBuild();
  const repo = await createTempGitRepo({ files: { 'README.md': '# bench\n' } });
  const trust = userTrust(repo.dir);
  const open = () =>
    createRuntime({
      projectDir: repo.dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...trust.env },
      probeOllama: false,
    });
  let browser: Browser | undefined;
  try {
    // A runtime opened and closed once creates the store; it is then seeded without one running.
    const created = await open();
    const dbFile = created.paths.database;
    await created.close();
    seed(dbFile, COMMANDS);

    const db = openDatabase(dbFile);
    const rows: string[][] = [];
    const now = new Date();
    let worst = 0;
    for (const [label, days] of [
      ['24 h', 1],
      ['7 d', 7],
      ['30 d', 30],
      ['90 d', 90],
      ['400 d', 400],
    ] as const) {
      const since = new Date(now.getTime() - days * 86_400_000);
      const ours = summarize(time(() => queryDashboard(db, { since, until: now, now }), QUERY_RUNS));
      const raw = summarize(time(() => rawQuery(db, since.toISOString()), Math.min(QUERY_RUNS, 10)));
      worst = Math.max(worst, ours.p90);
      rows.push([label, ms(ours.p50), ms(ours.p90), ms(raw.p50), `${(raw.p50 / ours.p50).toFixed(1)}×`]);
    }
    const floor = summarize(time(() => db.prepare('SELECT 1').get(), QUERY_RUNS));
    printTable(
      `queryDashboard on ${COMMANDS} commands (target p90 <= ${TARGETS.queryMs} ms: ${met(worst <= TARGETS.queryMs)})`,
      ['range', 'p50', 'p90', 'raw rows p50', 'raw / ours'],
      [...rows, ['SELECT 1', ms(floor.p50), ms(floor.p90), '', '']],
    );
    db.close();

    // First paint, against a server over the seeded store.
    const rt = await open();
    const app = await createServer(rt, { token: TOKEN, webDir });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/`;
      browser = await launchChromium();
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        serviceWorkers: 'block',
      });
      await context.addInitScript((t) => localStorage.setItem('ralex.token', t), TOKEN);
      const page = await context.newPage();
      const paint = await firstPaint(page, url);
      const cold = summarize(paint.cold);
      const warm = summarize(paint.warm);
      const f = summarize(paint.fetch);
      printTable(
        `dashboard first paint after the shell, ${COMMANDS} commands (target p50 <= ${TARGETS.paintMs} ms: ${met(cold.p50 <= TARGETS.paintMs)})`,
        ['measure', 'n', 'p50', 'p90', 'max'],
        [
          [
            'click → painted, first open in the page',
            String(cold.n),
            ms(cold.p50),
            ms(cold.p90),
            ms(cold.max),
          ],
          ['click → painted, warm', String(warm.n), ms(warm.p50), ms(warm.p90), ms(warm.max)],
          ['baseline: fetch /api/dashboard?since=24h', String(f.n), ms(f.p50), ms(f.p90), ms(f.max)],
        ],
      );
      await context.close();
    } finally {
      await app.close();
      await rt.close();
    }
  } finally {
    await browser?.close();
    await repo.cleanup();
    trust.cleanup();
  }
}

await main();
