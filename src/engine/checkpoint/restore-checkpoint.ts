import { gitExec, gitExecBuffer } from '../../git/git-exec.js';
import type { Checkpoint, FileChange } from './checkpoint.js';
import { diffNameStatus } from './diff-name-status.js';
import { ignoredAtCheckpoint } from './ignored-at-checkpoint.js';
import { lockIndex } from './index-lock.js';
import { openRepoWithCheckpoint } from './list-checkpoints.js';
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
 * put back as it was. Ignored files, `.git`, `.ralex/state` and HEAD are never touched; nor is a
 * file the checkpoint's ignore rules ignore, even if it has been un-ignored or force-added since.
 *
 * How: a scratch index is made to describe the current tree (`add -A`), so git knows every file
 * there now, including ones a shell command created; `read-tree --reset -u <checkpoint>` then
 * rewrites, creates and deletes only what differs, in one process. A one-way `read-tree -m` of
 * the saved index keeps the fresh stat data of unchanged entries, so `git status` stays fast.
 */
export async function restoreCheckpoint(repoDir: string, id: string): Promise<RestoreResult> {
  const { repo, checkpoint } = await openRepoWithCheckpoint(repoDir, id);
  const lock = await lockIndex(repo);
  try {
    const reverted = await withScratchIndex(repo, async (scratch) => {
      const indexFile = scratch.file;
      await stageWorkTree(repo, scratch);
      let changes = await diffNameStatus(repo, indexFile, checkpoint.tree);
      const keep = await ignoredAtCheckpoint(repo, checkpoint.tree, changes);
      if (keep.length > 0) {
        // Out of the scratch index, so `read-tree -u` does not see them and leaves them on disk.
        const input = `${keep.join('\0')}\0`;
        await gitExec(repo.root, ['update-index', '--force-remove', '-z', '--stdin'], { indexFile, input });
        const kept = new Set(keep);
        changes = changes.filter((c) => !kept.has(c.path));
      }
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
