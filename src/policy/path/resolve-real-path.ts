import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';

/**
 * Resolves `input` against `cwd` the way the kernel would: symlinks are followed (also
 * symlinks reached before a `..`, and dangling ones, whose target a write would create), and
 * for a path that does not exist yet the nearest existing ancestor is resolved and the missing
 * rest appended. `~` and `~/...` mean `home`; `~user` means a sibling of `home`.
 */
export function resolveRealPath(input: string, cwd: string, home: string): string {
  let p = input;
  if (p === '~' || p.startsWith('~/')) p = home + p.slice(1);
  else if (/^~[^/]/.test(p)) p = join(dirname(home), p.slice(1));
  // Not path.join: it would collapse "link/.." lexically before the link is followed.
  const absolute = isAbsolute(p) ? p : `${cwd}/${p}`;
  if (!/(^|\/)\.\.(\/|$)/.test(absolute)) return nearestExisting(absolute);
  return walkComponents(absolute, 0);
}

/**
 * Without `..`: realpath of the nearest existing ancestor plus the missing rest (which cannot
 * hold symlinks). A dangling symlink on the way is resolved component by component instead.
 * Uses non-throwing calls: exceptions dominate the cost of checking a file that does not exist.
 */
function nearestExisting(abs: string): string {
  let current = abs;
  const missing: string[] = [];
  for (;;) {
    const st = lstatOrUndefined(current);
    if (st) {
      if (st.isSymbolicLink() && !existsSync(current)) return walkComponents(abs, 0);
      try {
        const real = realpathSync.native(current);
        return missing.length ? join(real, ...missing.reverse()) : real;
      } catch {
        return walkComponents(abs, 0);
      }
    }
    const parent = dirname(current);
    if (parent === current) return abs;
    missing.push(basename(current));
    current = parent;
  }
}

/** Component-by-component resolution so that `link/..` goes to the link target's parent. */
function walkComponents(abs: string, depth: number): string {
  if (depth > 40) throw new Error(`Too many levels of symbolic links at ${abs}`);
  const parts = abs.split('/').filter((s) => s !== '' && s !== '.');
  let current = '/';
  let exists = true;
  for (const part of parts) {
    if (part === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, part);
    if (!exists) {
      current = next;
      continue;
    }
    const st = lstatOrUndefined(next);
    if (st?.isSymbolicLink()) {
      const target = readlinkSync(next);
      current = walkComponents(isAbsolute(target) ? target : join(current, target), depth + 1);
    } else {
      exists = st !== undefined;
      current = next;
    }
  }
  return current;
}

/** lstat that answers `undefined` for a missing path or a non-directory on the way (ENOTDIR). */
function lstatOrUndefined(p: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
