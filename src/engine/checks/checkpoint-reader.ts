import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gitExec } from '../../git/git-exec.js';
import type { ReadSide } from './test-edits.js';

/**
 * Reads project files as they were before a change (a tree, from git's object store) and after
 * it (another tree, or the working tree when none is given), for comparing what the change did to
 * a file. Missing is null.
 */
export function checkpointReader(root: string, tree: string, afterTree?: string): ReadSide {
  return async (path, side) => {
    try {
      if (side === 'after' && !afterTree) return await readFile(join(root, path), 'utf8');
      return await gitExec(root, ['cat-file', 'blob', `${side === 'after' ? afterTree : tree}:${path}`]);
    } catch {
      return null;
    }
  };
}
