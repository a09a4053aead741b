import { resolve, sep } from 'node:path';
import { defaultTrustFile, isTrusted, recordTrust } from '../config/trust-store.js';
import { RalexError } from '../errors.js';
import { readSecurityRulesFile, SECURITY_RULES_PATH } from './load-security-rules.js';
import { findLoosening } from './rule-loosening.js';
import { type RulesTrust, RulesTrustSchema, type RulesTrustState } from './rules-trust-status.js';
import type { SecurityRules } from './security-rules.js';

export { type RulesTrust, RulesTrustSchema, type RulesTrustState };

/** A project's rules as read, and how far they apply. */
export interface ProjectRules {
  rules: SecurityRules;
  trust: RulesTrust;
}

/** Options shared by loading and trusting: where trust decisions are kept. */
export interface TrustOptions {
  /** Default: `defaultTrustFile()` (`$XDG_STATE_HOME/ralex/trusted-rules.json`). */
  trustFile?: string;
}

/** Reads `.ralex/config/security_rules.yaml` of `projectRoot` (a realpath) and its trust status. */
export function loadProjectRules(projectRoot: string, options: TrustOptions = {}): ProjectRules {
  const file = readSecurityRulesFile(projectRoot);
  const loosening = findLoosening(file.rules, projectRoot);
  if (file.sha256 === null) return { rules: file.rules, trust: status('absent', null, loosening) };
  const trustFile = options.trustFile ?? defaultTrustFile();
  // A trust record the project itself could hold (XDG_STATE_HOME inside it) vouches for nothing.
  const trusted = !insideProject(trustFile, projectRoot) && isTrusted(trustFile, projectRoot, file.sha256);
  return { rules: file.rules, trust: status(trusted ? 'trusted' : 'untrusted', file.sha256, loosening) };
}

/**
 * Trusts the rules file as it is now (or refuses when it changed from `expectedSha256`, the
 * version the user was shown). Returns the new status; an absent file needs no trust.
 */
export function trustProjectRules(
  projectRoot: string,
  options: TrustOptions & { expectedSha256?: string; now?: () => Date } = {},
): RulesTrust {
  const { trust } = loadProjectRules(projectRoot, options);
  if (trust.state === 'absent' || trust.state === 'trusted') return trust;
  if (options.expectedSha256 !== undefined && options.expectedSha256 !== trust.sha256) return trust;
  const trustFile = options.trustFile ?? defaultTrustFile();
  if (insideProject(trustFile, projectRoot))
    throw new RalexError(
      'invalid_config',
      `Trust decisions cannot be kept inside the project (${trustFile}).`,
      {
        hint: 'Set XDG_STATE_HOME to a directory outside the project, or unset it to use ~/.local/state.',
      },
    );
  recordTrust(trustFile, {
    project: projectRoot,
    sha256: trust.sha256!,
    trustedAt: (options.now?.() ?? new Date()).toISOString(),
    loosening: trust.loosening.map((l) => l.words),
  });
  return status('trusted', trust.sha256, trust.loosening);
}

function insideProject(file: string, projectRoot: string): boolean {
  const abs = resolve(file);
  return abs === projectRoot || abs.startsWith(projectRoot.endsWith(sep) ? projectRoot : projectRoot + sep);
}

function status(
  state: RulesTrustState,
  sha256: string | null,
  loosening: RulesTrust['loosening'],
): RulesTrust {
  const n = loosening.length;
  const entries = `${n} entr${n === 1 ? 'y' : 'ies'}`;
  const message =
    state === 'absent'
      ? `No ${SECURITY_RULES_PATH}: the built-in rules apply.`
      : state === 'trusted'
        ? `${SECURITY_RULES_PATH} is trusted: all of it applies${n ? `, including ${entries} that loosen the built-in rules` : ''}.`
        : n
          ? `${SECURITY_RULES_PATH} loosens the built-in rules and is not trusted: its ${entries} that loosen them are ignored until you run \`ralex trust\`; the rest applies.`
          : `${SECURITY_RULES_PATH} only tightens the built-in rules, so it applies without trust (no decision is looser than the built-in rules until you run \`ralex trust\`).`;
  return { file: SECURITY_RULES_PATH, state, sha256, loosening, message };
}
