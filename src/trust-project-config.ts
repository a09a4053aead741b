import { preferencesTrustOf, trustPreferences } from './config/preferences-trust.js';
import { createPolicy } from './policy/policy.js';
import { trustProjectRules } from './policy/rules-trust.js';
import type { Runtime } from './runtime.js';

/** What the user saw and agreed to trust: each file by the SHA-256 it had when shown. */
export interface TrustRequest {
  rulesSha256?: string;
  preferencesSha256?: string;
}

/**
 * Trusts the project's own config from a client of the running server (the web app), exactly as
 * the user saw it: a file that changed since is not trusted. Trusted security rules take effect
 * at once (the policy is rebuilt); trusted preferences at the next start, since the server, the
 * providers and the sandbox were set up from them.
 */
export async function trustProjectConfig(rt: Runtime, request: TrustRequest) {
  if (request.rulesSha256 && rt.policy.trust.state === 'untrusted') {
    const after = trustProjectRules(rt.root, {
      trustFile: rt.trustFile,
      expectedSha256: request.rulesSha256,
    });
    if (after.state === 'trusted') {
      rt.policy = await createPolicy({
        projectRoot: rt.root,
        trustFile: rt.trustFile,
        shellParser: 'on-demand',
      });
    }
  }
  if (request.preferencesSha256) {
    const now = preferencesTrustOf(rt.root, rt.trustFile);
    if (now.state === 'untrusted' && now.sha256 === request.preferencesSha256)
      trustPreferences(rt.root, now, rt.trustFile, rt.clock());
  }
  return projectTrustStatus(rt);
}

/**
 * The trust status of the project's rules (as the running policy applies them) and preferences
 * (as on record now); `restartNeeded` when the preferences were trusted after this server started.
 */
export function projectTrustStatus(rt: Runtime) {
  const preferences = preferencesTrustOf(rt.root, rt.trustFile);
  const restartNeeded = rt.preferencesTrust.state === 'untrusted' && preferences.state === 'trusted';
  return { ...rt.policy.trust, preferences, restartNeeded };
}
