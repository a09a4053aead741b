import { execFile } from 'node:child_process';
import { z } from 'zod';

/** Whether commands can be sandboxed on this machine, and with what. */
export const SandboxStatusSchema = z.object({
  available: z.boolean(),
  kind: z.enum(['bubblewrap', 'none']),
  /** The bwrap version, e.g. `0.8.0`. */
  version: z.string().optional(),
  /** Why the sandbox is not available, in words a person can act on. */
  reason: z.string().optional(),
});
/** Whether commands can be sandboxed on this machine, and with what. */
export type SandboxStatus = z.infer<typeof SandboxStatusSchema>;

const cache = new Map<string, Promise<SandboxStatus>>();

const run = (
  file: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException }> =>
  new Promise((resolve) => {
    execFile(file, args, { timeout: 5000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const err = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
      resolve({
        code: err ? (typeof err.code === 'number' ? err.code : null) : 0,
        stdout,
        stderr,
        ...(err ? { error: err } : {}),
      });
    });
  });

async function probe(bwrapPath: string): Promise<SandboxStatus> {
  const version = await run(bwrapPath, ['--version']);
  if (version.error?.code === 'ENOENT') {
    return {
      available: false,
      kind: 'none',
      reason: `${bwrapPath} not found: install bubblewrap (apt-get install bubblewrap)`,
    };
  }
  // The same namespaces and mounts a real command gets, running `true`.
  const trial = await run(bwrapPath, [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--',
    'true',
  ]);
  if (trial.code !== 0) {
    const detail = trial.stderr.trim() || trial.error?.message || `exit code ${trial.code}`;
    return { available: false, kind: 'none', reason: `bubblewrap cannot create a sandbox here: ${detail}` };
  }
  const v = /(\d+\.\d+(?:\.\d+)?)/.exec(version.stdout)?.[1];
  return { available: true, kind: 'bubblewrap', ...(v ? { version: v } : {}) };
}

/** Finds out, once per bwrap path (cached), whether bubblewrap can actually run `true` here. */
export function detectSandbox(
  options: { bwrapPath?: string; refresh?: boolean } = {},
): Promise<SandboxStatus> {
  const path = options.bwrapPath ?? 'bwrap';
  const cached = cache.get(path);
  if (cached && !options.refresh) return cached;
  const status = probe(path);
  cache.set(path, status);
  return status;
}
