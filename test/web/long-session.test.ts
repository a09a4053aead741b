/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RalexUnderTest, startRalex } from '../helpers/ralex-under-test.js';
import { artifact, launchChromium } from './chromium.js';
import { type LongSession, longSessionProject, seedLongSession } from './long-session.js';
import { openLongSession } from './long-session-page.js';
import { ensureWebBuild } from './web-build.js';

const COMMANDS = 5_000;
/**
 * Before paging, this session froze the page for well over a minute; opened a page at a time it
 * is interactive in about a second on a quiet machine. The margin is for a loaded one.
 */
const INTERACTIVE_WITHIN_MS = 15_000;

let browser: Browser;
let ralex: RalexUnderTest;
let session: LongSession;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const webDir = await ensureWebBuild();
  browser = await launchChromium();
  ralex = await startRalex({ ...longSessionProject(), webDir });
  session = await seedLongSession(ralex, COMMANDS);
}, 300_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await ralex?.close();
});

async function openPaired(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'block',
  });
  contexts.push(context);
  await context.addInitScript(
    ({ token, sessionId }) => {
      localStorage.setItem('ralex.token', token);
      localStorage.setItem('ralex.session', sessionId);
    },
    { token: ralex.token, sessionId: session.sessionId },
  );
  const page = await context.newPage();
  await page.goto(`${ralex.url}/`);
  await page.locator('[data-connection="live"]').waitFor({ timeout: INTERACTIVE_WITHIN_MS });
  return page;
}

/** The texts of the command cards in the DOM, top to bottom. */
const shownTexts = (page: Page) => page.locator('article .said').allTextContents();

describe(`a session of ${COMMANDS} commands in the web app`, () => {
  it('opens with the newest command on screen and answers a tap within seconds', async () => {
    const figures = await openLongSession(browser, ralex, session, { giveUpMs: 120_000 });
    expect(figures.newestMs).not.toBeNull();
    expect(figures.answeredMs).not.toBeNull();
    expect(figures.newestMs!).toBeLessThan(INTERACTIVE_WITHIN_MS);
    expect(figures.answeredMs!).toBeLessThan(INTERACTIVE_WITHIN_MS);
    // A page of the session, not all of it.
    expect(figures.cards).toBeGreaterThan(0);
    expect(figures.cards).toBeLessThanOrEqual(100);
  }, 180_000);

  it('keeps every older command reachable: scrolling up loads them in order, and the place read stays on screen', async () => {
    const page = await openPaired();
    const newest = session.texts.at(-1)!;
    const last = page.locator('article .said').last();
    await expect.poll(() => last.textContent()).toBe(newest);
    expect(await last.isVisible()).toBe(true);
    await page.screenshot({ path: artifact('long-session-newest.png') });
    const first = await shownTexts(page);
    // The shown commands are the newest ones, in order, with none missing.
    expect(first).toEqual(session.texts.slice(-first.length));

    for (let round = 0; round < 3; round++) {
      const top = page.locator('article').first();
      const topText = await top.locator('.said').textContent();
      const before = await page.locator('article').count();
      await page.evaluate(() => scrollTo({ top: 0 }));
      await expect.poll(() => page.locator('article').count(), { timeout: 20_000 }).toBeGreaterThan(before);
      // The app holds the card in place over the next frames while the older cards take their
      // heights; a person's next swipe comes after that (scrolling again during those frames is
      // answered by the hold, and the next swipe loads on).
      await page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            let frames = 0;
            const next = () => (++frames >= 10 ? resolve() : requestAnimationFrame(next));
            requestAnimationFrame(next);
          }),
      );
      // What was at the top is where the user left it: on screen, not pushed away by the older page.
      const box = await page.locator('article', { hasText: topText! }).first().boundingBox();
      expect(box!.y).toBeGreaterThan(-box!.height);
      expect(box!.y).toBeLessThan(844);
    }
    const shown = await shownTexts(page);
    expect(shown.length).toBeGreaterThan(first.length);
    expect(shown).toEqual(session.texts.slice(-shown.length));
    await page.screenshot({ path: artifact('long-session-older.png') });

    // The button does the same for a keyboard or a screen reader.
    const count = await page.locator('article').count();
    await page.getByRole('button', { name: 'Show older commands' }).click();
    await expect.poll(() => page.locator('article').count(), { timeout: 20_000 }).toBeGreaterThan(count);
  }, 120_000);

  it('adds a new command at the bottom, live, after the paged history', async () => {
    const page = await openPaired();
    await page.getByLabel('Command', { exact: true }).fill('status');
    await page.keyboard.press('Enter');
    const card = page.locator('article[data-status="succeeded"]', {
      has: page.locator('.said', { hasText: /^status$/ }),
    });
    await card.waitFor({ timeout: 30_000 });
    const texts = await shownTexts(page);
    expect(texts.at(-1)).toBe('status');
    expect(texts.at(-2)).toBe(session.texts.at(-1));
    expect(new Set(texts).size).toBe(texts.length);
  }, 60_000);
});
