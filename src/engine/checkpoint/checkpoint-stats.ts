import { z } from 'zod';
import { CHECKPOINT_REF_PREFIX } from './checkpoint.js';
import { loadCheckpoints } from './list-checkpoints.js';
import { openRepo } from './open-repo.js';

/** What `ralex status` shows about kept checkpoints. */
export const CheckpointStatsSchema = z.object({
  count: z.number().int().nonnegative(),
  /** ISO time of the oldest checkpoint; null when there are none. */
  oldest: z.string().nullable(),
  /** ISO time of the newest checkpoint; null when there are none. */
  newest: z.string().nullable(),
  /** Sum of `addedBytes`: an upper bound of what the checkpoints keep alive beyond the project's history. */
  approxBytes: z.number().int().nonnegative(),
});
/** What `ralex status` shows about kept checkpoints. */
export type CheckpointStats = z.infer<typeof CheckpointStatsSchema>;

/** Count, age range and approximate size of the repository's checkpoints. */
export async function checkpointStats(repoDir: string): Promise<CheckpointStats> {
  const checkpoints = await loadCheckpoints((await openRepo(repoDir)).root, CHECKPOINT_REF_PREFIX);
  return {
    count: checkpoints.length,
    oldest: checkpoints.at(-1)?.createdAt ?? null,
    newest: checkpoints[0]?.createdAt ?? null,
    approxBytes: checkpoints.reduce((sum, c) => sum + c.addedBytes, 0),
  };
}
