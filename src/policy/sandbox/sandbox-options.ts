import { z } from 'zod';

/**
 * Resource limits applied (with bash `ulimit`, soft and hard) to every command that runs
 * with sandbox options, whether or not bubblewrap is available. A limit can only lower
 * what the parent already has; a request above the current hard limit is ignored.
 */
export const ResourceLimitsSchema = z.object({
  /** CPU seconds per process (RLIMIT_CPU). Wall-clock time is bounded by the timeout instead. */
  cpuSeconds: z.number().int().positive(),
  /** Largest file a process may write, in bytes (RLIMIT_FSIZE); rounded down to KiB. */
  fileSizeBytes: z.number().int().positive(),
  /** Processes for the user (RLIMIT_NPROC): a fork-bomb brake. Root is exempt by the kernel. */
  processes: z.number().int().positive(),
  /** Core dump size in bytes (RLIMIT_CORE); 0 keeps core files out of the project. */
  coreBytes: z.number().int().nonnegative(),
});
/** Resource limits for one command. */
export type ResourceLimits = z.infer<typeof ResourceLimitsSchema>;

/** The defaults: 10 CPU-minutes per process, 1 GiB per file, 4096 processes, no core dumps. */
export const DEFAULT_RESOURCE_LIMITS: ResourceLimits = {
  cpuSeconds: 600,
  fileSizeBytes: 1024 * 1024 * 1024,
  processes: 4096,
  coreBytes: 0,
};

/**
 * Secret-holding paths under the home directory, hidden even when a folder around them is on the
 * readable allow-list (a toolchain folder that also keeps a registry token, say).
 */
export const DEFAULT_HIDDEN_HOME_PATHS: readonly string[] = [
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.kube',
  '.docker',
  '.config/gcloud',
  '.config/gh',
  '.netrc',
  '.git-credentials',
  '.npmrc',
  '.pypirc',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.gem/credentials',
  '.bash_history',
  '.zsh_history',
  '.python_history',
  '.node_repl_history',
];

/**
 * Home folders a project's tools need, made visible read-only in an otherwise empty home:
 * language toolchains and version managers, and the package caches builds read. Credentials,
 * shell history and dotfiles stay out. Folders on PATH under the home are added too.
 */
export const DEFAULT_HOME_TOOLCHAINS: readonly string[] = [
  '.pyenv',
  '.rustup',
  '.cargo/bin',
  '.cargo/registry',
  '.cargo/git',
  '.nvm',
  '.volta',
  '.asdf',
  '.bun',
  '.deno',
  '.local/bin',
  '.local/lib',
  '.local/share/pnpm',
  'go/pkg/mod',
  'go/bin',
  '.m2/repository',
  '.gradle/caches',
  '.gradle/wrapper',
  '.sdkman',
  '.rbenv',
  '.gem',
  '.dotnet',
];

/** How one command is sandboxed. The project is writable, everything else read-only. */
export const SandboxOptionsSchema = z.object({
  /** The project root: bound writable. */
  projectDir: z.string().min(1),
  /** Network access (the host's network namespace). Off by default. */
  allowNetwork: z.boolean().default(false),
  /** Further absolute paths to bind writable (skipped when they do not exist). */
  writablePaths: z.array(z.string()).default([]),
  /**
   * Absolute paths made visible read-only although the sandbox hides where they are (a home or a
   * temp folder): dependencies that live outside the project, e.g. a linked package.
   */
  readablePaths: z.array(z.string()).default([]),
  /**
   * Project-relative paths that stay read-only inside the writable project: git's own data (so no
   * command can plant hooks, config or forged refs for Ralex's host-side git) and Ralex's folder
   * (its config and security rules). The git dir of a worktree or submodule is added when it is
   * inside the project.
   */
  protectedProjectPaths: z.array(z.string()).default(['.git', '.ralex']),
  /**
   * Package roots of the running Ralex (default: found from the running code). Its code inside the
   * project (`ralexCodeIn`: the `node_modules` it loads from, read-only; a checkout's `dist/`,
   * behind a throw-away folder) is out of the commands' reach, since Ralex runs it on the host.
   */
  ralexInstalls: z.array(z.string()).optional(),
  /** Project-relative paths hidden behind an empty tmpfs (the store, the token, the audit key). */
  hiddenProjectPaths: z.array(z.string()).default(['.ralex/state']),
  /** The user's home directory (default `os.homedir()`). */
  home: z.string().optional(),
  /** Hide the project's secret files (`.env`, keys, credential files) behind empty files. */
  hideProjectSecrets: z.boolean().default(true),
  /** Project-relative globs of secret-looking files the commands may read after all (e.g. `.env.test`). */
  visibleSecrets: z.array(z.string()).default([]),
  /** Hide the home directories (the user's, /home, /root): only `homeReadable` comes back, read-only. */
  hideHome: z.boolean().default(true),
  /** Home-relative folders visible read-only in the hidden home (toolchains, package caches). */
  homeReadable: z.array(z.string()).default([...DEFAULT_HOME_TOOLCHAINS]),
  /** Home-relative paths hidden even inside a readable folder (credentials). */
  hiddenHomePaths: z.array(z.string()).default([...DEFAULT_HIDDEN_HOME_PATHS]),
  /** Environment variable names passed through beyond the built-in allow-list (`sandbox-env.ts`). */
  envNames: z.array(z.string()).default([]),
  /** Overrides of the default resource limits. */
  limits: ResourceLimitsSchema.partial().default({}),
});
/** Sandbox options as callers write them (defaults optional). */
export type SandboxOptions = z.input<typeof SandboxOptionsSchema>;
/** Sandbox options with every default filled in. */
export type ResolvedSandboxOptions = z.output<typeof SandboxOptionsSchema>;

/** Fills in defaults and validates sandbox options. */
export function resolveSandboxOptions(options: SandboxOptions): ResolvedSandboxOptions {
  return SandboxOptionsSchema.parse(options);
}

/** The effective limits: defaults overridden by the options. */
export function effectiveLimits(options: ResolvedSandboxOptions): ResourceLimits {
  return { ...DEFAULT_RESOURCE_LIMITS, ...options.limits };
}
