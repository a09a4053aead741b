/**
 * Opening a long session in the web app: a store seeded with one session of 5,000 finished
 * commands (copies of ten real ones, `test/web/long-session.ts`), opened in headless Chromium
 * as a second device or a reload would open it.
 *
 *   node --import tsx bench/web-long-session-bench.ts [--before DIR] [--runs N] [commands]
 *
 * Per page load (a fresh browser context each): navigation start → the newest command on screen;
 * → a click on Settings answered (the sheet open); the main thread's long tasks (over 50 ms:
 * count, longest, total blocking time) and its busy time from Chromium's own metrics
 * (`TaskDuration`, CPU time of the page's main thread — the figure to read under load).
 * Baselines in the same run, interleaved: a static page served by node:http (navigation → its
 * content), and the raw data the app needs from the same server, fetched from the page: the
 * newest page of the session's history (`/api/sessions/:id/history`). `--before DIR` opens an older build of web/dist
 * (e.g. main's) beside this one.
 */
/// <reference lib="dom" />
import { loadavg } from 'node:os';
import type { Browser } from 'playwright-core';
import { startRalex } from '../test/helpers/ralex-under-test.js';
import { launchChromium } from '../test/web/chromium.js';
import { longSessionProject, seedLongSession } from '../test/web/long-session.js';
import { type LoadFigures, openLongSession } from '../test/web/long-session-page.js';
import { ensureWebBuild } from '../test/web/web-build.js';
import { ms, printTable, summarize } from './bench-stats.js';
import { startStaticPage } from './static-page.js';

const args = process.argv.slice(2);
const beforeAt = args.indexOf('--before');
const BEFORE = beforeAt >= 0 ? args.splice(beforeAt, 2)[1] : undefined;
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 3;
const COMMANDS = Number(args[0] ?? 5_000);
/** A build is given this long to open the session before the run is counted as not done. */
const GIVE_UP_MS = 90_000;

const STATIC_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>baseline</title></head><body><div id="app"><h1>Static page</h1><button>Settings</button></div></body></html>`;

/** Navigation start → the static page's content, in a fresh context. */
async function staticPage(browser: Browser, url: string): Promise<number> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(url);
  const t = await page.evaluate(() => performance.now());
  await context.close();
  return t;
}

/** From a page of the app's origin: the newest history page by fetch. */
async function rawData(browser: Browser, url: string, token: string, sessionId: string) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${url}/manifest.webmanifest`);
  const figures = await page.evaluate(
    async ({ token, sessionId }) => {
      const t0 = performance.now();
      const response = await fetch(`/api/sessions/${sessionId}/history?limit=30`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.json();
      return { fetchMs: performance.now() - t0, status: response.status };
    },
    { token, sessionId },
  );
  await context.close();
  return figures;
}

const row = (name: string, samples: number[], unit = ms) => {
  if (samples.length === 0) return [name, '0', '', '', ''];
  const s = summarize(samples);
  return [name, String(s.n), unit(s.p50), unit(s.p90), unit(s.max)];
};

async function main(): Promise<void> {
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  process.stdout.write(`web-long-session-bench — ${COMMANDS} commands, load ${load()}\n`);
  const dist = await ensureWebBuild();
  const builds = [{ name: 'this build', dir: dist }, ...(BEFORE ? [{ name: 'before', dir: BEFORE }] : [])];
  const servers = [];
  for (const build of builds) {
    const ralex = await startRalex({ ...longSessionProject(), webDir: build.dir });
    servers.push({ build, ralex, session: await seedLongSession(ralex, COMMANDS) });
  }
  process.stdout.write(
    `seeded ${COMMANDS} commands, ${servers[0]!.session.events} events per store, load ${load()}\n`,
  );
  const staticServer = await startStaticPage(STATIC_PAGE);
  const browser = await launchChromium();
  const figures = new Map<string, LoadFigures[]>(builds.map((b) => [b.name, []]));
  const staticMs: number[] = [];
  const fetchMs: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const { build, ralex, session } of servers) {
        const f = await openLongSession(browser, ralex, session, { giveUpMs: GIVE_UP_MS });
        figures.get(build.name)!.push(f);
      }
      staticMs.push(await staticPage(browser, staticServer.url));
      const raw = await rawData(browser, servers[0]!.ralex.url, servers[0]!.ralex.token, 'ses_long');
      if (raw.status === 200) fetchMs.push(raw.fetchMs);
    }
    const rows: string[][] = [];
    for (const [name, list] of figures) {
      const done = list.filter((f) => f.answeredMs !== null);
      rows.push(
        row(
          `${name}: newest command on screen`,
          done.map((f) => f.newestMs!),
        ),
        row(
          `${name}: a click answered (interactive)`,
          done.map((f) => f.answeredMs!),
        ),
        row(
          `${name}: main thread busy (TaskDuration)`,
          done.map((f) => f.busyMs),
        ),
        row(
          `${name}: total blocking time`,
          done.map((f) => f.blockingMs),
        ),
        row(
          `${name}: longest task`,
          done.map((f) => f.longestTaskMs),
        ),
        row(
          `${name}: cards in the DOM`,
          done.map((f) => f.cards),
          (n) => String(Math.round(n)),
        ),
      );
      if (done.length < list.length)
        rows.push([
          `${name}: not interactive within ${GIVE_UP_MS / 1000} s`,
          String(list.length - done.length),
          '',
          '',
          '',
        ]);
    }
    rows.push(
      row('baseline: static page, navigation → content', staticMs),
      row('baseline: fetch the newest history page (30 commands)', fetchMs),
    );
    printTable(
      `Opening a session of ${COMMANDS} commands (ms from navigation start; load after: ${load()})`,
      ['measure', 'n', 'p50', 'p90', 'max'],
      rows,
    );
  } finally {
    await browser.close();
    staticServer.close();
    for (const { ralex } of servers) await ralex.close();
  }
}

await main();
