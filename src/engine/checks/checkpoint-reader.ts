import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gitExec } from '../checkpoint/git-exec.js';
import type { ReadSide } from './test-edits.js';

/**
 * Reads project files as they were at a checkpoint (its tree, from git's object store) and as
 * they are now (the working tree), for comparing what a change did to a file. Missing is null.
 */
export function checkpointReader(root: string, tree: string): ReadSide {
  return async (path, side) => {
    try {
      if (side === 'after') return await readFile(join(root, path), 'utf8');
      return await gitExec(root, ['cat-file', 'blob', `${tree}:${path}`]);
    } catch {
      return null;
    }
  };
}
