import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

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
  if (!/(^|\/)\.\.(\/|$)/.test(absolute)) {
    try {
      return realpathSync.native(absolute);
    } catch {
      // does not exist (yet) or a dangling link: walk it
    }
  }
  return walkComponents(absolute, 0);
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
    try {
      const st = lstatSync(next);
      if (st.isSymbolicLink()) {
        const target = readlinkSync(next);
        current = walkComponents(isAbsolute(target) ? target : join(current, target), depth + 1);
      } else current = next;
    } catch (error) {
      if ((error as Error).message.startsWith('Too many levels')) throw error;
      exists = false;
      current = next;
    }
  }
  return current;
}
