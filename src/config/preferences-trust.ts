import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { ralexPaths } from '../project/ralex-paths.js';
import { loadConfig, type RalexConfig } from './load-config.js';
import { outwardSettings, withoutOutwardSettings } from './outward-settings.js';
import { type PreferencesTrust, PreferencesTrustSchema } from './preferences-trust-status.js';
import { isTrusted, recordTrust } from './trust-store.js';

export { type PreferencesTrust, PreferencesTrustSchema };

/**
 * Applies trust to loaded preferences: a file with no outward settings applies as it is; one with
 * them applies in full only when the user trusted that exact file (by its SHA-256, kept outside the
 * project); otherwise those settings fall back to their defaults and the status says which.
 */
export function applyPreferencesTrust(
  root: string,
  config: RalexConfig,
  trustFile: string,
): { config: RalexConfig; trust: PreferencesTrust } {
  const file = config.preferencesFile;
  const rel = file ? relative(root, file) : '.ralex/config/preferences.yaml';
  const outward = outwardSettings(config.preferences);
  if (!file)
    return {
      config,
      trust: { file: rel, state: 'absent', sha256: null, outward, message: 'No preferences file.' },
    };
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  // A trust record the project itself could hold (XDG_STATE_HOME inside it) vouches for nothing.
  const trusted = !trustFile.startsWith(`${root}${sep}`) && isTrusted(trustFile, root, sha256, rel);
  if (outward.length === 0 || trusted) {
    const message = outward.length
      ? `${rel} is trusted: its settings that send data out or widen the sandbox apply.`
      : `${rel} has no settings that need trust.`;
    return {
      config,
      trust: { file: rel, state: outward.length ? 'trusted' : 'absent', sha256, outward, message },
    };
  }
  return {
    config: { ...config, preferences: withoutOutwardSettings(config.preferences) },
    trust: {
      file: rel,
      state: 'untrusted',
      sha256,
      outward,
      message: `${rel} is not trusted: ${outward.map((o) => o.key).join(', ')} ${outward.length === 1 ? 'is' : 'are'} ignored until you run \`ralex trust\`.`,
    },
  };
}

/** Records the preferences file, as `sha256` says it was shown, as trusted. */
export function trustPreferences(
  root: string,
  trust: PreferencesTrust,
  trustFile: string,
  now = new Date(),
): void {
  if (trust.state !== 'untrusted' || !trust.sha256) return;
  recordTrust(trustFile, {
    project: root,
    file: trust.file,
    sha256: trust.sha256,
    trustedAt: now.toISOString(),
    loosening: trust.outward.map((o) => `${o.key}: ${o.words}`),
  });
}

/** The trust status of a project's preferences as they are on disk now (for `ralex trust` and doctor). */
export function preferencesTrustOf(root: string, trustFile: string): PreferencesTrust {
  return applyPreferencesTrust(root, loadConfig(ralexPaths(root)), trustFile).trust;
}
