import type { Checkpoint, FileChange } from './checkpoint.js';
import { diffNameStatus } from './diff-name-status.js';
import { gitExec, gitExecBuffer } from './git-exec.js';
import { lockIndex } from './index-lock.js';
import { readCheckpoint } from './list-checkpoints.js';
import { openRepo } from './open-repo.js';
import { stageWorkTree, withScratchIndex } from './scratch-index.js';

/** What a restore did. */
export interface RestoreResult {
  checkpoint: Checkpoint;
  /** Files put back as they were: `added` ones were removed, `deleted` ones recreated, `modified` reverted. */
  reverted: FileChange[];
}

/**
 * Makes the working tree exactly the checkpoint's: files created since are removed, deleted ones
 * return, modified ones are reverted, modes and symlinks as recorded; then the user's index is
 * put back as it was. Ignored files, `.git`, `.ralex/state` and HEAD are never touched.
 *
 * How: a scratch index is made to describe the current tree (`add -A`), so git knows every file
 * there now, including ones a shell command created; `read-tree --reset -u <checkpoint>` then
 * rewrites, creates and deletes only what differs, in one process. A one-way `read-tree -m` of
 * the saved index keeps the fresh stat data of unchanged entries, so `git status` stays fast.
 */
export async function restoreCheckpoint(repoDir: string, id: string): Promise<RestoreResult> {
  const repo = await openRepo(repoDir);
  const checkpoint = await readCheckpoint(repo, id);
  const lock = await lockIndex(repo);
  try {
    const reverted = await withScratchIndex(repo, async (scratch) => {
      const indexFile = scratch.file;
      await stageWorkTree(repo, scratch);
      const changes = await diffNameStatus(repo, indexFile, checkpoint.tree);
      if (changes.length > 0) {
        await gitExec(repo.root, ['read-tree', '--reset', '-u', checkpoint.tree], { indexFile });
      }
      if (checkpoint.index.kind === 'tree') {
        await gitExec(repo.root, ['read-tree', '-m', checkpoint.index.oid], { indexFile });
        await lock.installFrom(indexFile);
      } else {
        const bytes = await gitExecBuffer(repo.root, ['cat-file', 'blob', checkpoint.index.oid]);
        await lock.installBytes(bytes);
      }
      return changes;
    });
    return { checkpoint, reverted };
  } finally {
    await lock.release();
  }
}
