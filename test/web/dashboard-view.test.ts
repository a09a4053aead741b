/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandResult } from '../../src/command/command-result.js';
import { type RalexUnderTest, startRalex } from '../helpers/ralex-under-test.js';
import { runScriptedSession, scriptedSessionProject, sessionClock } from '../helpers/scripted-session.js';
import { artifact, launchChromium } from './chromium.js';
import { ensureWebBuild } from './web-build.js';

let browser: Browser;
let ralex: RalexUnderTest;
let results: CommandResult[];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  const webDir = await ensureWebBuild();
  browser = await launchChromium();
  const clock = sessionClock(8);
  const project = scriptedSessionProject(clock);
  // Priced, with a daily budget: the session's cost shows against it.
  const preferences = `${project.preferences}models:\n  overrides:\n    "openai:scripted-model": { input: 3, output: 15 }\nbudgets:\n  daily: 0.5\n  monthly: 20\n`;
  ralex = await startRalex({ ...project, preferences, webDir });
  results = await runScriptedSession(ralex, 50, clock);
}, 300_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await ralex?.close();
});

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

async function openDashboard(
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const context = await browser.newContext({ viewport, colorScheme, serviceWorkers: 'block' });
  contexts.push(context);
  await context.addInitScript((t) => localStorage.setItem('ralex.token', t), ralex.token);
  const page = await context.newPage();
  await page.goto(`${ralex.url}/#dashboard`);
  await page.locator('.dashboard[data-ready="yes"]').waitFor({ timeout: 15_000 });
  await page.locator('.dashboard canvas').first().waitFor();
  return page;
}

const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);

describe('the dashboard after a scripted session of 50 commands', () => {
  it('shows the session on a desktop: counts, charts with patterned series, health, tokens, cost against the budget, providers', async () => {
    const page = await openDashboard(DESKTOP);
    const text = await page.locator('.dashboard').innerText();
    expect(text).toContain('50 commands in the last 24 hours');
    const succeeded = results.filter((r) => r.status === 'succeeded').length;
    expect(text).toContain(`${Math.round((succeeded / 50) * 100)}% succeeded`);
    const tokens = results.reduce(
      (s, r) => s + (r.usage?.inputTokens ?? 0) + (r.usage?.outputTokens ?? 0),
      0,
    );
    expect(await page.locator('.tile', { hasText: 'Tokens' }).innerText()).toContain(
      tokens.toLocaleString('en'),
    );
    // The cost is the ledger's: the commands' costs summed, and what is left of today's budget.
    const cost = results.reduce((s, r) => s + (r.cost ?? 0), 0);
    expect(cost).toBeGreaterThan(0);
    const costTile = await page.locator('.tile', { hasText: 'Cost' }).innerText();
    expect(costTile).toContain(cost < 0.01 ? `$${cost.toFixed(4)}` : `$${cost.toFixed(2)}`);
    expect(costTile).toContain('left today');
    const spend = await page.locator('.card', { hasText: 'Cost per day against the budget' }).innerText();
    expect(spend).toMatch(/daily budget/);
    expect(await page.getByRole('table', { name: 'Budgets' }).innerText()).toMatch(
      /daily\s+\$[\d.]+\s+\$0\.50/,
    );
    const providers = await page.locator('.card', { hasText: 'Providers' }).innerText();
    expect(providers).toMatch(/openai\s+\d+/);
    expect(await page.locator('.card', { hasText: 'Model calls by model and path' }).innerText()).toContain(
      'openai:scripted-model · agent',
    );
    // Four uPlot charts, each with its series named in words beside a pattern swatch.
    expect(await page.locator('.dashboard canvas').count()).toBeGreaterThanOrEqual(3);
    const legend = await page.locator('figure[aria-label="Commands by outcome"] .legend').innerText();
    expect(legend).toMatch(/succeeded\s+\d+/);
    expect(legend).toMatch(/failed\s+\d+/);
    expect(await page.locator('figure[aria-label="Commands by outcome"] .swatch.hatch').count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Health' }).innerText()).toMatch(/model: openai\s*ok/);
    const latency = await page.locator('.card', { hasText: 'Latency per stage' }).innerText();
    for (const stage of ['parse', 'guard', 'execute', 'whole command']) expect(latency).toContain(stage);
    expect(await noSideScroll(page)).toBe(true);
    await page.screenshot({ path: artifact('dashboard-desktop.png'), fullPage: true });
  });

  it('fits a phone, in light and dark, and reads the same figures', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await openDashboard(PHONE, scheme);
      expect(await page.locator('.dashboard').innerText()).toContain('50 commands');
      expect(await noSideScroll(page)).toBe(true);
      await page.screenshot({ path: artifact(`dashboard-phone-${scheme}.png`), fullPage: true });
    }
  });

  it('updates live when another command finishes, and goes back to the commands', async () => {
    const page = await openDashboard(PHONE);
    await ralex.call('/api/commands', {
      method: 'POST',
      body: JSON.stringify({ text: 'list files', wait: true }),
    });
    await expect
      .poll(() => page.locator('.dashboard .meta').first().innerText(), { timeout: 10_000 })
      .toContain('51 commands');
    await page.getByRole('button', { name: 'Back to commands' }).first().click();
    await page.getByRole('main', { name: 'Commands' }).waitFor();
    expect(page.url()).not.toContain('#dashboard');
  });
});
