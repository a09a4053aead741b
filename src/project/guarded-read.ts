import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { isSecretPath } from './secret-files.js';

/**
 * What a file that may be quoted into a prompt must pass: inside the project it is the policy's
 * call (symlinks followed, secrets refused); outside, it must resolve inside one of a few known
 * folders (the user's Agent OS, the Go module cache, Python's site-packages) and not be a secret.
 */
export interface ReadGuard {
  /** The project root, resolved with realpath. */
  root: string;
  /** Whether the policy lets a project path (relative, `/`-separated) be read. */
  canRead(path: string): boolean;
  /** Folders outside the project reads may come from (absolute, real). */
  outside: readonly string[];
}

/** A file's text, or why it was not read. */
export type GuardedText =
  | { ok: true; text: string; cut: boolean; real: string }
  | { ok: false; reason: string };

/** True when `p` is `dir` or below it. */
export function isWithin(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** The project-relative `/` path of an absolute path inside the root, or null. */
export function projectPath(abs: string, root: string): string | null {
  const r = relative(root, abs);
  if (r === '' || r.startsWith('..') || isAbsolute(r)) return null;
  return r.split(sep).join('/');
}

/**
 * Reads at most `maxBytes` of a text file the guard allows. Never throws: a missing, refused,
 * binary or special file comes back with the reason.
 */
export async function readGuarded(path: string, guard: ReadGuard, maxBytes: number): Promise<GuardedText> {
  const abs = resolve(guard.root, path);
  let real: string;
  try {
    real = await realpath(abs);
  } catch {
    return { ok: false, reason: 'it does not exist' };
  }
  const rel = projectPath(abs, guard.root);
  if (rel !== null) {
    if (!guard.canRead(rel))
      return { ok: false, reason: 'the policy does not let it be read (a secret, or outside the project)' };
  } else if (!guard.outside.some((dir) => isWithin(real, dir))) {
    return {
      ok: false,
      reason: 'it is outside the project and the folders Ralex reads docs and standards from',
    };
  }
  if (isSecretPath(real) || isSecretPath(abs)) return { ok: false, reason: 'it may hold secrets' };
  try {
    const s = await stat(real);
    if (!s.isFile()) return { ok: false, reason: 'it is not a regular file' };
    const handle = await open(real, 'r');
    try {
      const size = Math.min(s.size, maxBytes);
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buffer, 0, size, 0);
      const bytes = buffer.subarray(0, bytesRead);
      if (bytes.includes(0)) return { ok: false, reason: 'it is not text' };
      return { ok: true, text: bytes.toString('utf8'), cut: s.size > maxBytes, real };
    } finally {
      await handle.close();
    }
  } catch (error) {
    return {
      ok: false,
      reason: `it could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
}
