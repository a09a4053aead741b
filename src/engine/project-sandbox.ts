import { DEFAULT_HOME_TOOLCHAINS, type SandboxOptions } from '../policy/sandbox/sandbox-options.js';
import type { Runtime } from '../runtime.js';

/**
 * How anything the model can influence runs in this project — the agent's shell commands and the
 * project's checks alike: the project writable (its `.git` and `.ralex` read-only, `.ralex/state`
 * hidden), the home hidden but for toolchains (and `sandbox.home_readable`), an allow-listed
 * environment (plus `sandbox.env`), network only when asked for.
 */
export function projectSandbox(
  rt: Pick<Runtime, 'root' | 'config'>,
  options: { network: boolean },
): SandboxOptions {
  const prefs = rt.config.preferences.sandbox;
  return {
    projectDir: rt.root,
    allowNetwork: options.network,
    homeReadable: [...DEFAULT_HOME_TOOLCHAINS, ...prefs.home_readable],
    envNames: prefs.env,
    visibleSecrets: prefs.visible_secrets,
    readablePaths: prefs.readable,
  };
}
