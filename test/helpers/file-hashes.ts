import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` (but those `skip` names, files or folders), by relative path, as a sha256 of its bytes. */
export function fileHashes(
  dir: string,
  skip: (path: string) => boolean = () => false,
  rel = '',
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (skip(path)) continue;
    if (entry.isDirectory()) Object.assign(out, fileHashes(dir, skip, path));
    else
      out[path] = createHash('sha256')
        .update(readFileSync(join(dir, path)))
        .digest('hex');
  }
  return out;
}

/** Ralex's own bookkeeping and git's folder: what a work-tree comparison leaves out. */
export const isBookkeeping = (path: string) =>
  path === '.git' || /^\.ralex\/(state|sessions|context|cache)(\/|$)/.test(path);

/** The user's work tree, byte for byte: every file but `.git` and Ralex's bookkeeping. */
export const workTree = (dir: string) => fileHashes(dir, isBookkeeping);
