/// <reference lib="dom" />
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json } from '../helpers/ralex-under-test.js';
import { artifact } from './chromium.js';
import { useWebApp } from './web-app-under-test.js';

const web = useWebApp();

/** A private XDG state folder (where the user's trust is kept), removed after the test. */
function stateFolder(): string {
  const state = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-web-trust-')));
  web.afterClose(() => rmSync(state, { recursive: true, force: true }));
  return state;
}

/** Rules and preferences as they arrive with someone else's repository. */
const FILES = {
  'README.md': '# demo\n',
  '.ralex/config/security_rules.yaml': 'commands:\n  - {match: "git push", decision: allow}\n',
  '.ralex/config/preferences.yaml': 'checks:\n  network: on\n',
};

describe('the web app and a project whose own settings loosen the defaults', () => {
  it('shows what is ignored, in words, and trusts it on a tap: the rules at once, the preferences at restart', async () => {
    const ralex = await web.start({ script: null, files: FILES, env: { XDG_STATE_HOME: stateFolder() } });
    const decide = async (command: string) => {
      await ralex.rt.policy.ready(); // the bash parser loads on first use
      return ralex.rt.policy.checkShell(command).decision;
    };
    expect(await decide('git push')).toBe('ask');
    const page = await (await web.newContext({ viewport: { width: 360, height: 740 } })).newPage();
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
    const ralex = await web.start({ script: null, files: FILES, env: { XDG_STATE_HOME: stateFolder() } });
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
