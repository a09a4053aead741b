/// <reference lib="dom" />
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, type RalexUnderTest, startRalex } from '../helpers/ralex-under-test.js';
import { artifact, launchChromium } from './chromium.js';
import { ensureWebBuild } from './web-build.js';

let webDir: string;
let browser: Browser;
let ralex: RalexUnderTest | undefined;
let context: BrowserContext | undefined;
let state: string;

beforeAll(async () => {
  webDir = await ensureWebBuild();
  browser = await launchChromium();
}, 240_000);
afterAll(async () => browser?.close());
afterEach(async () => {
  await context?.close();
  await ralex?.close();
  ralex = undefined;
  rmSync(state, { recursive: true, force: true });
});

/** Rules and preferences as they arrive with someone else's repository. */
const FILES = {
  'README.md': '# demo\n',
  '.ralex/config/security_rules.yaml': 'commands:\n  - {match: "git push", decision: allow}\n',
  '.ralex/config/preferences.yaml': 'checks:\n  network: on\n',
};

describe('the web app and a project whose own settings loosen the defaults', () => {
  it('shows what is ignored, in words, and trusts it on a tap: the rules at once, the preferences at restart', async () => {
    state = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-web-trust-')));
    ralex = await startRalex({ webDir, script: null, files: FILES, env: { XDG_STATE_HOME: state } });
    const decide = async (command: string) => {
      await ralex!.rt.policy.ready(); // the bash parser loads on first use
      return ralex!.rt.policy.checkShell(command).decision;
    };
    expect(await decide('git push')).toBe('ask');
    context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${ralex.url}/#token=${ralex.token}`);
    const banner = page.getByRole('region', { name: 'Project settings waiting for your trust' });
    await banner.waitFor({ timeout: 10_000 });
    const text = await banner.innerText();
    expect(text).toContain('git push');
    expect(text).toContain('checks.network');
    await page.screenshot({ path: artifact('phone-trust-banner.png') });

    await banner.getByRole('button', { name: 'Trust these settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Restart' }).waitFor({ timeout: 10_000 });
    expect(await banner.count()).toBe(0);
    // The rules apply at once; the trust is on record for the next start.
    expect(await decide('git push')).toBe('allow');
    const trust = await json(await ralex.call('/api/trust'));
    expect(trust).toMatchObject({ state: 'trusted', preferences: { state: 'trusted' } });
  });

  it('does not trust a file that changed after it was shown', async () => {
    state = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-web-trust-')));
    ralex = await startRalex({ script: null, files: FILES, env: { XDG_STATE_HOME: state } });
    const shown = await json(await ralex.call('/api/trust'));
    await ralex.repo.write(
      '.ralex/config/security_rules.yaml',
      'commands:\n  - {match: "rm", decision: allow}\n',
    );
    const answer = await json(
      await ralex.call('/api/trust', { method: 'POST', body: JSON.stringify({ rulesSha256: shown.sha256 }) }),
    );
    expect(answer.state).toBe('untrusted');
    await ralex.rt.policy.ready();
    expect(ralex.rt.policy.checkShell('git push').decision).toBe('ask');
    const bad = await ralex.call('/api/trust', {
      method: 'POST',
      body: JSON.stringify({ rulesSha256: 'x' }),
    });
    expect(bad.status).toBe(400);
  });
});
