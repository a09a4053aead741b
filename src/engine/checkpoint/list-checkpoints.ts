import { RalexError } from '../../errors.js';
import { gitExec } from '../../git/git-exec.js';
import { CHECKPOINT_REF_PREFIX, type Checkpoint, checkpointRef } from './checkpoint.js';
import { parseCheckpointCommit } from './checkpoint-message.js';
import { openRepo, type RepoPaths } from './open-repo.js';

const FORMAT = '%(refname)%00%(objectname)%00%(tree)%00%(contents)%00%00';
const RECORD_END = '\0\0\n';

/** Reads every checkpoint under `pattern` (a ref or ref prefix); refs that are not checkpoints are skipped. */
export async function loadCheckpoints(cwd: string, pattern: string): Promise<Checkpoint[]> {
  const out = await gitExec(cwd, ['for-each-ref', `--format=${FORMAT}`, pattern]);
  const checkpoints: Checkpoint[] = [];
  for (const record of out.split(RECORD_END)) {
    const [ref, commit, tree, message] = record.split('\0');
    if (!ref || !commit || !tree || message === undefined) continue;
    try {
      const checkpoint = parseCheckpointCommit({ commit, tree, message });
      if (checkpoint.ref === ref) checkpoints.push(checkpoint);
    } catch {
      // Something else wrote under our prefix; it is not ours to list, restore or prune.
    }
  }
  return checkpoints.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

/** Every checkpoint of the repository, newest first. */
export async function listCheckpoints(repoDir: string): Promise<Checkpoint[]> {
  return loadCheckpoints((await openRepo(repoDir)).root, CHECKPOINT_REF_PREFIX);
}

/** One checkpoint by id, git run in `cwd`; throws `not_found` when it does not exist. */
export async function readCheckpoint(cwd: string, id: string): Promise<Checkpoint> {
  const ref = checkpointRef(id);
  const found = (await loadCheckpoints(cwd, ref)).find((c) => c.ref === ref);
  if (!found) {
    throw new RalexError('not_found', `No checkpoint "${id}" in this repository.`, {
      details: { id },
      hint: 'See `ralex status` for the checkpoints that are kept.',
    });
  }
  return found;
}

/** One checkpoint by id; throws `not_found` when it does not exist (or was pruned). */
export async function getCheckpoint(repoDir: string, id: string): Promise<Checkpoint> {
  return (await openRepoWithCheckpoint(repoDir, id)).checkpoint;
}

/** Opens the repository and reads a checkpoint in parallel; a bad directory reports as such first. */
export async function openRepoWithCheckpoint(
  repoDir: string,
  id: string,
): Promise<{ repo: RepoPaths; checkpoint: Checkpoint }> {
  const [repo, checkpoint] = await Promise.allSettled([openRepo(repoDir), readCheckpoint(repoDir, id)]);
  if (repo.status === 'rejected') throw repo.reason;
  if (checkpoint.status === 'rejected') throw checkpoint.reason;
  return { repo: repo.value, checkpoint: checkpoint.value };
}
