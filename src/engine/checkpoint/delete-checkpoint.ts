import { gitExec } from '../../git/git-exec.js';
import { openRepoWithCheckpoint } from './list-checkpoints.js';

/** Deletes one checkpoint's ref (its objects go with git's next gc); throws `not_found` if absent. */
export async function deleteCheckpoint(repoDir: string, id: string): Promise<void> {
  const { repo, checkpoint } = await openRepoWithCheckpoint(repoDir, id);
  await gitExec(repo.root, ['update-ref', '-d', checkpoint.ref, checkpoint.commit]);
}
