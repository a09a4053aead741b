import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preferencesTrustOf, trustPreferences } from '../../src/config/preferences-trust.js';
import { defaultTrustFile } from '../../src/config/trust-store.js';

/**
 * Where a test's trust decisions are kept: a private XDG_STATE_HOME (never the real home's), and
 * the preferences file the test harness wrote trusted in it — the harness plays the user, and a
 * user's own preferences are theirs. Pass `XDG_STATE_HOME` in a test's env to decide otherwise.
 */
export function userTrust(root: string, env: Record<string, string | undefined> = {}) {
  if (env.XDG_STATE_HOME) return { env: {}, cleanup: () => {} };
  const state = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-test-state-')));
  const trustFile = defaultTrustFile({ XDG_STATE_HOME: state });
  const real = realpathSync(root);
  trustPreferences(real, preferencesTrustOf(real, trustFile), trustFile);
  return { env: { XDG_STATE_HOME: state }, cleanup: () => rmSync(state, { recursive: true, force: true }) };
}
