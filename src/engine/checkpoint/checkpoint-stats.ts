import { CHECKPOINT_REF_PREFIX } from './checkpoint.js';
import { loadCheckpoints } from './list-checkpoints.js';
import { openRepo } from './open-repo.js';

/** What `ralex status` shows about kept checkpoints. */
export interface CheckpointStats {
  count: number;
  /** ISO time of the oldest and newest checkpoint; null when there are none. */
  oldest: string | null;
  newest: string | null;
  /** Sum of `addedBytes`: an upper bound of what the checkpoints keep alive beyond the project's history. */
  approxBytes: number;
}

/** Count, age range and approximate size of the repository's checkpoints. */
export async function checkpointStats(repoDir: string): Promise<CheckpointStats> {
  const checkpoints = await loadCheckpoints(await openRepo(repoDir), CHECKPOINT_REF_PREFIX);
  return {
    count: checkpoints.length,
    oldest: checkpoints.at(-1)?.createdAt ?? null,
    newest: checkpoints[0]?.createdAt ?? null,
    approxBytes: checkpoints.reduce((sum, c) => sum + c.addedBytes, 0),
  };
}
