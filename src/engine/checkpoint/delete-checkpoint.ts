import { gitExec } from './git-exec.js';
import { readCheckpoint } from './list-checkpoints.js';
import { openRepo } from './open-repo.js';

/** Deletes one checkpoint's ref (its objects go with git's next gc); throws `not_found` if absent. */
export async function deleteCheckpoint(repoDir: string, id: string): Promise<void> {
  const repo = await openRepo(repoDir);
  const checkpoint = await readCheckpoint(repo, id);
  await gitExec(repo.root, ['update-ref', '-d', checkpoint.ref, checkpoint.commit]);
}
