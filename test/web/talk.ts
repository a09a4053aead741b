/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { artifact } from './chromium.js';

/**
 * Taps the talk button, waits until the level meter shows the fake microphone playing, lets the
 * whole phrase play, then taps again to stop. `shot` names a screenshot taken while listening.
 */
export async function speak(page: Page, seconds: number, shot = 'phone-listening.png'): Promise<void> {
  await page.getByRole('button', { name: 'Talk' }).click();
  await page.locator('[data-state="listening"]').waitFor({ timeout: 5_000 });
  await expect
    .poll(() => page.locator('meter').evaluate((m) => (m as HTMLMeterElement).value), { timeout: 5_000 })
    .toBeGreaterThan(0.02);
  await page.screenshot({ path: artifact(shot) });
  await page.waitForTimeout(seconds * 1000 + 300);
  await page.getByRole('button', { name: 'Stop listening' }).click();
}
