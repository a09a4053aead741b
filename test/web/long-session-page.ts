/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import type { RalexUnderTest } from '../helpers/ralex-under-test.js';
import type { LongSession } from './long-session.js';

/** What one page load of a long session measured, from navigation start (ms). */
export interface LoadFigures {
  /** The newest command's text on screen (first animation frame with it in the DOM); null if never. */
  newestMs: number | null;
  /** A tap on Settings, sent as soon as the button exists, answered (its sheet open); null if never. */
  answeredMs: number | null;
  /** The main thread's busy time (Chromium's TaskDuration metric) when both were done. */
  busyMs: number;
  /** Long tasks (over 50 ms) until then: the longest, and the total blocking time (each one's time past 50 ms). */
  longestTaskMs: number;
  blockingMs: number;
  /** Command cards in the DOM at the end. */
  cards: number;
}

/** Set up before any page script: long tasks, and the frame the newest command is first seen in. */
const WATCH = (newest: string) => {
  const w = window as unknown as { longTasks: number[]; newestAt?: number; answeredAt?: number };
  w.longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  const look = () => {
    const said = document.querySelectorAll('article .said');
    if (said[said.length - 1]?.textContent?.includes(newest)) w.newestAt = performance.now();
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
  new MutationObserver(() => {
    if (w.answeredAt === undefined && document.querySelector('dialog[open]'))
      w.answeredAt = performance.now();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['open'] });
};

/**
 * Opens `session` in a fresh browser context (a second device: paired, the session chosen, no
 * cache), taps Settings as soon as it exists, and measures until the newest command is on screen
 * and the tap was answered, or `giveUpMs` passed.
 */
export async function openLongSession(
  browser: Browser,
  ralex: RalexUnderTest,
  session: LongSession,
  options: { giveUpMs: number; keepOpen?: (page: Page) => Promise<void> },
): Promise<LoadFigures> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'block',
  });
  try {
    await context.addInitScript(
      ({ token, sessionId }) => {
        localStorage.setItem('ralex.token', token);
        localStorage.setItem('ralex.session', sessionId);
      },
      { token: ralex.token, sessionId: session.sessionId },
    );
    // tsx names inner functions with a __name helper that the page does not have.
    await context.addInitScript('window.__name = (f) => f');
    await context.addInitScript(WATCH, session.texts.at(-1)!);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(`${ralex.url}/`);
    // A tap as a person makes it: at the button's place, queued behind whatever the page is doing.
    const settings = page.getByRole('button', { name: 'Settings', exact: true });
    await settings.waitFor({ state: 'attached', timeout: options.giveUpMs });
    const box = await settings.boundingBox({ timeout: options.giveUpMs }).catch(() => null);
    const clicked = box
      ? page.mouse.click(box.x + box.width / 2, box.y + box.height / 2).catch(() => undefined)
      : Promise.resolve();
    const done = await page
      .waitForFunction(
        () => {
          const w = window as unknown as { newestAt?: number; answeredAt?: number };
          return w.newestAt !== undefined && w.answeredAt !== undefined;
        },
        undefined,
        { timeout: options.giveUpMs, polling: 100 },
      )
      .then(() => true)
      .catch(() => false);
    // A page still frozen answers nothing more (not even its figures): counted as never done.
    if (!done)
      return { newestMs: null, answeredMs: null, busyMs: 0, longestTaskMs: 0, blockingMs: 0, cards: 0 };
    await clicked;
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[];
    };
    const inPage = await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[]; newestAt?: number; answeredAt?: number };
      return {
        newestAt: w.newestAt ?? null,
        answeredAt: w.answeredAt ?? null,
        longTasks: w.longTasks,
        cards: document.querySelectorAll('article').length,
      };
    });
    if (done && options.keepOpen) await options.keepOpen(page);
    return {
      newestMs: inPage.newestAt,
      answeredMs: inPage.answeredAt,
      busyMs: 1000 * (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0),
      longestTaskMs: Math.max(0, ...inPage.longTasks),
      blockingMs: inPage.longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
      cards: inPage.cards,
    };
  } finally {
    await context.close();
  }
}
