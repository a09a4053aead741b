/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifact } from './chromium.js';
import { useWebApp } from './web-app-under-test.js';

const web = useWebApp();

const PHONE = { width: 360, height: 740 };
const FILES = {
  'README.md': '# demo\n',
  'src/app.js': 'export const answer = 41;\n',
  'src/util/format.js': 'export const f = (x) => x;\n',
};

async function newPage(viewport = PHONE, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await web.newContext({ viewport, colorScheme });
  // Record what would be read aloud (headless Chromium has no voices).
  await context.addInitScript(() => {
    const spoken: string[] = [];
    Object.assign(window, { spoken });
    speechSynthesis.speak = (u: SpeechSynthesisUtterance) => void spoken.push(u.text);
  });
  return context.newPage();
}

async function run(page: Page, text: string) {
  await page.getByLabel('Command', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send command' }).click();
  await page
    .locator('article[data-status="succeeded"]', { has: page.locator('.said', { hasText: text }) })
    .waitFor({ timeout: 20_000 });
}

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);

describe('the web app on a phone and a desktop', () => {
  it('pairs by pasting the link (a wrong token is refused), then fits 360 px in light and dark', async () => {
    const ralex = await web.start({ script: null, files: FILES });
    const page = await newPage();
    await page.goto(ralex.url);
    await page.getByRole('heading', { name: 'Pair with Ralex' }).waitFor();
    await page.screenshot({ path: artifact('phone-pairing.png') });
    await page.getByLabel('Token').fill('not-the-token');
    await page.getByRole('button', { name: 'Pair this device' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('did not accept the token');
    await page.getByLabel('Token').fill(`${ralex.url}/#token=${ralex.token}`);
    await page.getByRole('button', { name: 'Pair this device' }).click();
    await page.locator('[data-connection="live"]').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: artifact('phone-empty.png') });

    // An example is one tap from the text box.
    await page.getByRole('button', { name: /What changed/ }).click();
    expect(await page.getByLabel('Command', { exact: true }).inputValue()).toBe('what changed');
    await ralex.repo.write('src/app.js', 'export const answer = 42;\n');
    await run(page, 'list files');
    await run(page, 'what changed');
    expect(await page.locator('.diff .l.add').allInnerTexts()).toContain('+export const answer = 42;');
    expect(await noSideScroll(page)).toBe(true);
    await page.screenshot({ path: artifact('phone-light.png') });

    // Files the commands mentioned are suggestions one tap away.
    await page
      .getByRole('group', { name: 'Suggestions' })
      .getByRole('button', { name: 'src/app.js' })
      .click();
    expect(await page.getByLabel('Command', { exact: true }).inputValue()).toBe('src/app.js');

    await page.getByRole('button', { name: 'Use dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(14, 17, 21)');
    expect(await noSideScroll(page)).toBe(true);
    await page.screenshot({ path: artifact('phone-dark.png') });
  });

  it('lists, creates and switches sessions; settings persist and spoken replies are read aloud', async () => {
    const ralex = await web.start({ script: null, files: FILES });
    const page = await newPage({ width: 1280, height: 860 }, 'dark');
    await page.goto(`${ralex.url}/#token=${ralex.token}`);
    await page.locator('[data-connection="live"]').waitFor({ timeout: 10_000 });

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Read summaries aloud').check();
    await page.getByLabel('Ralex server').check();
    await page.screenshot({ path: artifact('desktop-settings.png') });
    await page.keyboard.press('Escape');
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('ralex.settings')))!)).toMatchObject({
      speakReplies: true,
      voiceEngine: 'server',
    });

    await run(page, 'list files');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { spoken: string[] }).spoken))
      .toEqual([expect.stringContaining('files in the project')]);
    await page.screenshot({ path: artifact('desktop-dark.png') });

    await page.getByRole('button', { name: /^Sessions/ }).click();
    await page.getByRole('button', { name: 'New session' }).click();
    await page.getByRole('heading', { name: 'What should Ralex do?' }).waitFor();
    const sessions = (await (await ralex.call('/api/sessions')).json()) as { sessions: { id: string }[] };
    expect(sessions.sessions).toHaveLength(2);

    // Back to the first session: its history is replayed from the event log.
    await page.getByRole('button', { name: /^Sessions/ }).click();
    const first = page.getByRole('dialog').getByRole('button', { name: /Web session/ });
    await expect.poll(() => first.innerText()).toContain('1 command');
    await first.click();
    await page.locator('article[data-status="succeeded"]', { hasText: 'list files' }).waitFor();
    expect(await page.locator('article').count()).toBe(1);
    // Replayed history is not read aloud again.
    expect(await page.evaluate(() => (window as unknown as { spoken: string[] }).spoken)).toHaveLength(1);
  });

  it('is usable from the keyboard: every control is labelled and the talk button answers Enter', async () => {
    const ralex = await web.start({ script: null, files: FILES });
    const page = await newPage({ width: 1280, height: 860 });
    await page.goto(`${ralex.url}/#token=${ralex.token}`);
    await page.locator('[data-connection="live"]').waitFor({ timeout: 10_000 });
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('button, textarea, input')]
        .filter(
          (el) =>
            !(
              el.getAttribute('aria-label') ||
              el.textContent?.trim() ||
              (el as HTMLInputElement).labels?.length
            ),
        )
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    // Tab reaches the command box; typing and Enter sends.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.id === 'command-text')) break;
    }
    await page.keyboard.type('list files');
    await page.keyboard.press('Enter');
    await page.locator('article[data-status="succeeded"]').waitFor({ timeout: 20_000 });
    // With no microphone permission the talk button explains instead of failing silently.
    await page.getByRole('button', { name: 'Talk' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('[data-state="error"]').innerText(), { timeout: 10_000 })
      .toMatch(/microphone/i);
  });
});
