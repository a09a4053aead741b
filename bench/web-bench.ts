/**
 * The web app's budget (issue 6): app shell size, first render on localhost, and the time from
 * a server event to it being on screen — each beside a baseline measured in the same run.
 *
 *   node --import tsx bench/web-bench.ts     (builds web/dist first if it is stale)
 *
 * Size: gzipped JS+CSS of web/dist (baseline: the static placeholder page Ralex serves without
 * the app). First render: navigation start → the app's first elements in #app, cold (fresh
 * browser context) and warm (reload); baseline: a static HTML page from a bare node:http server.
 * Event → screen: `rt.bus.publish` in this process → the app's MutationObserver sees the text
 * (and the next animation frame); baseline: a raw WebSocket on the same page appending the
 * event's text to a <div>, for the same events. Clocks are aligned by a measured offset.
 */
/// <reference lib="dom" />
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { startRalex } from '../test/helpers/ralex-under-test.js';
import { launchChromium } from '../test/web/chromium.js';
import { ensureWebBuild } from '../test/web/web-build.js';
import { met, ms, printTable, summarize } from './bench-stats.js';
import { startStaticPage } from './static-page.js';

const COLD_RUNS = 10;
const WARM_RUNS = 10;
const EVENTS = 60;
const TARGETS = { shellKb: 150, firstRenderMs: 500, eventMs: 50 };

const gz = (bytes: Buffer | string) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const row = (name: string, samples: number[]) => {
  const s = summarize(samples);
  return [name, String(s.n), ms(s.p50), ms(s.p90), ms(s.max)];
};

function shellSize(dist: string) {
  const assets = readdirSync(join(dist, 'assets'));
  const sum = (ext: string) =>
    assets.filter((f) => f.endsWith(ext)).reduce((n, f) => n + gz(readFileSync(join(dist, 'assets', f))), 0);
  const js = sum('.js');
  const css = sum('.css');
  const html = gz(readFileSync(join(dist, 'index.html')));
  const placeholder = gz(
    readFileSync(new URL('../src/server/routes/static-app.ts', import.meta.url), 'utf8').split('`')[1] ?? '',
  );
  return { js, css, html, placeholder };
}

/** The baseline: one static page, its content in #app. */
const BASELINE_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>baseline</title>
<style>body{font:16px system-ui;margin:2rem}</style></head><body><div id="app"><h1>Static page</h1><p>Baseline.</p></div></body></html>`;

/** Records, from navigation start, when #app first has children (set up before any page script). */
const MARK_RENDER = () => {
  const w = window as unknown as { rendered?: number };
  new MutationObserver((_m, observer) => {
    const app = document.getElementById('app');
    if (app?.firstElementChild && w.rendered === undefined) {
      w.rendered = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

/** First-render times: a fresh context per load (cold), or reloads in one context (warm). */
async function firstRender(
  browser: Browser,
  url: string,
  options: { warm: boolean; token?: string },
): Promise<number[]> {
  const open = async () => {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    await context.addInitScript(MARK_RENDER);
    if (options.token)
      await context.addInitScript((t) => localStorage.setItem('ralex.token', t), options.token);
    return { context, page: await context.newPage() };
  };
  const rendered = async (page: Page) => {
    await page.waitForFunction(() => (window as unknown as { rendered?: number }).rendered !== undefined);
    return page.evaluate(() => (window as unknown as { rendered: number }).rendered);
  };
  const out: number[] = [];
  if (options.warm) {
    const { context, page } = await open();
    await page.goto(url);
    for (let i = 0; i < WARM_RUNS; i++) {
      await page.reload();
      out.push(await rendered(page));
    }
    await context.close();
    return out;
  }
  for (let i = 0; i < COLD_RUNS; i++) {
    const { context, page } = await open();
    await page.goto(url);
    out.push(await rendered(page));
    await context.close();
  }
  return out;
}

/** Browser clock minus this process's clock, both as epoch ms (error ≈ half the round trip). */
async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const before = performance.timeOrigin + performance.now();
    const browserNow = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = performance.timeOrigin + performance.now();
    if (after - before < best.rtt) best = { rtt: after - before, offset: browserNow - (before + after) / 2 };
  }
  return best.offset;
}

async function main(): Promise<void> {
  const dist = await ensureWebBuild();
  const size = shellSize(dist);
  const shell = size.js + size.css;
  printTable(
    `web-bench — load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n\nApp shell (gzip -9)`,
    ['what', 'size', 'target', 'met'],
    [
      ['app JS', kb(size.js), '', ''],
      ['app CSS', kb(size.css), '', ''],
      ['app JS+CSS', kb(shell), `<= ${TARGETS.shellKb} KB`, met(shell <= TARGETS.shellKb * 1024)],
      ['index.html', kb(size.html), '', ''],
      ['baseline: placeholder page (static HTML)', kb(size.placeholder), '', ''],
    ],
  );

  const ralex = await startRalex({ webDir: dist, script: null });
  const baseline = await startStaticPage(BASELINE_PAGE);
  const browser = await launchChromium();
  try {
    const appUrl = `${ralex.url}/`;
    // Paired through localStorage, so every load renders the app, not the pairing screen.
    const appCold = await firstRender(browser, appUrl, { warm: false, token: ralex.token });
    const appWarm = await firstRender(browser, appUrl, { warm: true, token: ralex.token });
    const baseCold = await firstRender(browser, baseline.url, { warm: false });
    const baseWarm = await firstRender(browser, baseline.url, { warm: true });
    const p50 = summarize(appCold).p50;
    printTable(
      'First render: navigation start → first elements in #app (ms)',
      ['page', 'n', 'p50', 'p90', 'max'],
      [
        row('app, cold (new context)', appCold),
        row('app, warm (reload)', appWarm),
        row('baseline static page, cold', baseCold),
        row('baseline static page, warm', baseWarm),
      ],
    );
    process.stdout.write(
      `target: app cold p50 <= ${TARGETS.firstRenderMs} ms — met: ${met(p50 <= TARGETS.firstRenderMs)}\n`,
    );

    // Event → screen.
    const context = await browser.newContext({ serviceWorkers: 'block' });
    // tsx names inner functions with a __name helper that the page does not have.
    await context.addInitScript('window.__name = (f) => f');
    const page = await context.newPage();
    await page.goto(`${appUrl}#token=${ralex.token}`);
    await page.locator('[data-connection="live"]').waitFor();
    const sessionId = (await page.evaluate(() => localStorage.getItem('ralex.session')))!;
    const scope = { sessionId, commandId: 'cmd_bench' };
    ralex.rt.bus.publish(scope, { type: 'command.accepted', text: 'bench events', source: 'api' });
    await page.locator('article').waitFor();
    const lastId = await page.locator('[data-last-event-id]').getAttribute('data-last-event-id');
    await page.evaluate(
      ({ token, since }) =>
        new Promise<void>((resolve) => {
          const sink = document.createElement('div');
          sink.id = 'baseline-sink';
          document.body.append(sink);
          const ws = new WebSocket(`ws://${location.host}/ws?since=${since}&token=${token}`);
          ws.onmessage = (m) => {
            const data = JSON.parse(String(m.data));
            if (data.type === 'replayed') resolve();
            if (data.type === 'event' && data.event.type === 'tool.started') {
              const line = document.createElement('p');
              line.textContent = `raw ${data.event.input.path}`;
              sink.append(line);
            }
          };
        }),
      { token: ralex.token, since: lastId },
    );
    const offset = await clockOffset(page);
    const app: number[] = [];
    const appFrame: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const marker = `marker_${i}.txt`;
      const seen = page.evaluate(
        (marker) =>
          new Promise<{ app: number; frame: number; raw: number }>((resolve) => {
            const now = () => performance.timeOrigin + performance.now();
            const times: { app?: number; frame?: number; raw?: number } = {};
            const check = () => {
              const text = document.body.textContent ?? '';
              if (times.raw === undefined && text.includes(`raw ${marker}`)) times.raw = now();
              if (
                times.app === undefined &&
                document.querySelector('article')?.textContent?.includes(marker)
              ) {
                times.app = now();
                requestAnimationFrame(() => {
                  times.frame = now();
                  if (times.raw !== undefined) done();
                });
              }
              if (times.frame !== undefined && times.raw !== undefined) done();
            };
            const observer = new MutationObserver(check);
            const done = () => {
              observer.disconnect();
              resolve(times as { app: number; frame: number; raw: number });
            };
            observer.observe(document.body, { childList: true, subtree: true, characterData: true });
          }),
        marker,
      );
      await new Promise((r) => setTimeout(r, 20));
      const sent = performance.timeOrigin + performance.now() + offset;
      ralex.rt.bus.publish(scope, {
        type: 'tool.started',
        callId: `c${i}`,
        tool: 'read_file',
        input: { path: marker },
        decision: 'allow',
        rule: 'bench',
        reason: 'bench',
      });
      const t = await seen;
      app.push(t.app - sent);
      appFrame.push(t.frame - sent);
      raw.push(t.raw - sent);
    }
    await context.close();
    const eventP50 = summarize(appFrame).p50;
    printTable(
      `Server event → on screen (ms; clock offset ${offset.toFixed(2)} ms)`,
      ['path', 'n', 'p50', 'p90', 'max'],
      [
        row('app: in the DOM', app),
        row('app: next animation frame', appFrame),
        row('baseline: raw WebSocket → <p>', raw),
      ],
    );
    process.stdout.write(
      `target: app p50 (to the frame) <= ${TARGETS.eventMs} ms — met: ${met(eventP50 <= TARGETS.eventMs)}\n`,
    );
  } finally {
    await browser.close();
    baseline.close();
    await ralex.close();
  }
}

await main();
