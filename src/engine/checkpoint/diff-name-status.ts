import { gitExec } from '../../git/git-exec.js';
import type { FileChange } from './checkpoint.js';
import type { RepoPaths } from './open-repo.js';

const STATUS: Record<string, FileChange['status']> = {
  A: 'added',
  D: 'deleted',
  M: 'modified',
  T: 'modified',
};

/** Files that differ from `tree` to the scratch index `indexFile`, sorted by path. */
export async function diffNameStatus(
  repo: RepoPaths,
  indexFile: string,
  tree: string,
): Promise<FileChange[]> {
  const out = await gitExec(
    repo.root,
    ['diff-index', '--cached', '-z', '--name-status', '--no-renames', tree],
    {
      indexFile,
    },
  );
  const parts = out.split('\0');
  const changes: FileChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    changes.push({ path: parts[i + 1]!, status: STATUS[parts[i]!] ?? 'modified' });
  }
  return changes;
}
