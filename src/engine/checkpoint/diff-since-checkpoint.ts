import { z } from 'zod';
import { gitExec } from '../../git/git-exec.js';
import { FileChangeSchema } from './checkpoint.js';
import { diffNameStatus } from './diff-name-status.js';
import { openRepoWithCheckpoint } from './list-checkpoints.js';
import { stageWorkTree, withScratchIndex } from './scratch-index.js';

/** The working tree compared with a checkpoint. */
export const CheckpointDiffSchema = z.object({
  /** Changed files by path: `added` since the checkpoint, `modified`, or `deleted`. */
  files: z.array(FileChangeSchema),
  /** Unified diff from the checkpoint to the working tree; binary files appear as "Binary files … differ". */
  patch: z.string(),
});
/** The working tree compared with a checkpoint. */
export type CheckpointDiff = z.infer<typeof CheckpointDiffSchema>;

/**
 * What changed in the working tree since a checkpoint — by a tool or by a shell command alike,
 * untracked files included, ignored files and `.ralex/state` left out. Nothing the user sees changes.
 */
export async function diffSinceCheckpoint(repoDir: string, id: string): Promise<CheckpointDiff> {
  const { repo, checkpoint } = await openRepoWithCheckpoint(repoDir, id);
  return withScratchIndex(repo, async (scratch) => {
    const indexFile = scratch.file;
    await stageWorkTree(repo, scratch);
    const patchArgs = [
      'diff-index',
      '--cached',
      '-p',
      '--no-renames',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
    ];
    const [files, patch] = await Promise.all([
      diffNameStatus(repo, indexFile, checkpoint.tree),
      gitExec(repo.root, [...patchArgs, checkpoint.tree], { indexFile }),
    ]);
    return { files, patch };
  });
}
