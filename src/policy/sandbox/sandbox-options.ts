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

/** Secret-holding paths under the home directory that the sandbox hides (when they exist). */
export const DEFAULT_HIDDEN_HOME_PATHS: readonly string[] = [
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.kube',
  '.docker',
  '.config/gcloud',
  '.netrc',
  '.git-credentials',
];

/** How one command is sandboxed. The project is writable, everything else read-only. */
export const SandboxOptionsSchema = z.object({
  /** The project root: bound writable. */
  projectDir: z.string().min(1),
  /** Network access (the host's network namespace). Off by default. */
  allowNetwork: z.boolean().default(false),
  /** Further absolute paths to bind writable (skipped when they do not exist). */
  writablePaths: z.array(z.string()).default([]),
  /** Project-relative paths hidden behind an empty tmpfs (the store, the token). */
  hiddenProjectPaths: z.array(z.string()).default(['.ralex/state']),
  /** Home-relative paths hidden from commands (credentials). */
  hiddenHomePaths: z.array(z.string()).default([...DEFAULT_HIDDEN_HOME_PATHS]),
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
