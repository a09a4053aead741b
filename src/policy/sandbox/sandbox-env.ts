import { isSecretEnvName } from './child-env.js';

/**
 * Variables a command in the sandbox inherits: the shell's basics, locale, and the variables
 * toolchains need to find themselves (version managers, GOPATH, JAVA_HOME, virtualenvs,
 * certificate bundles). Everything else of the user's environment — tokens, database URLs,
 * cloud settings — stays out, whatever its name.
 */
const ALLOWED_NAMES = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  'TZ',
  'LANG',
  'LANGUAGE',
  'TMPDIR',
  'CI',
  'NO_COLOR',
  'FORCE_COLOR',
  'COLUMNS',
  // toolchains and version managers
  'PYENV_ROOT',
  'PYENV_VERSION',
  'VIRTUAL_ENV',
  'CONDA_PREFIX',
  'CONDA_DEFAULT_ENV',
  'PYTHONPATH',
  'PYTHONDONTWRITEBYTECODE',
  'PYTHONUNBUFFERED',
  'PYTHONHASHSEED',
  'PYTHONIOENCODING',
  'GOPATH',
  'GOROOT',
  'GOMODCACHE',
  'GOFLAGS',
  'GOTOOLCHAIN',
  'CARGO_HOME',
  'RUSTUP_HOME',
  'RUSTUP_TOOLCHAIN',
  'RUST_BACKTRACE',
  'JAVA_HOME',
  'GRADLE_USER_HOME',
  'MAVEN_HOME',
  'NVM_DIR',
  'NVM_BIN',
  'VOLTA_HOME',
  'PNPM_HOME',
  'BUN_INSTALL',
  'DENO_DIR',
  'GEM_HOME',
  'GEM_PATH',
  'RBENV_ROOT',
  'DOTNET_ROOT',
  'NODE_ENV',
  // certificate bundles (paths, not secrets)
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'PIP_CERT',
  'GIT_SSL_CAINFO',
]);

/**
 * Set for every sandboxed command: package managers and tools that would phone home (update
 * checks, funding and audit notices, telemetry) stay quiet — the network is off anyway, and a
 * check that waits on a doomed request is only slower.
 */
export const QUIET_TOOLS: Readonly<Record<string, string>> = {
  NO_UPDATE_NOTIFIER: '1',
  NPM_CONFIG_UPDATE_NOTIFIER: 'false',
  NPM_CONFIG_FUND: 'false',
  NPM_CONFIG_AUDIT: 'false',
  YARN_ENABLE_TELEMETRY: '0',
  NEXT_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
};

/** Whether a variable of the user's environment passes into the sandbox by default. */
export function isAllowedSandboxEnvName(name: string): boolean {
  return ALLOWED_NAMES.has(name) || name.startsWith('LC_');
}

/**
 * The environment a sandboxed command gets: the allow-list above, the quiet-tools settings, plus
 * the names the user listed (`sandbox.env` in preferences; a listed name passes even if it looks like a secret —
 * the user chose it), plus `extra` (set by Ralex itself), plus the run marker.
 */
export function buildSandboxEnv(
  base: NodeJS.ProcessEnv,
  options: { extraNames?: readonly string[]; extra?: Record<string, string> },
  marker: { name: string; value: string },
): Record<string, string> {
  const listed = new Set(options.extraNames ?? []);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (listed.has(name) || (isAllowedSandboxEnvName(name) && !isSecretEnvName(name))) env[name] = value;
  }
  Object.assign(env, QUIET_TOOLS, options.extra);
  env[marker.name] = marker.value;
  return env;
}
