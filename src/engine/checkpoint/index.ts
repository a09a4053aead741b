/** Checkpoints: the working tree as commits on private refs, restore, diff and retention. */
export {
  assertCheckpointId,
  CHECKPOINT_REF_PREFIX,
  type Checkpoint,
  CheckpointSchema,
  type FileChange,
  FileChangeSchema,
  type SavedIndex,
  SavedIndexSchema,
} from './checkpoint.js';
export { type CheckpointStats, CheckpointStatsSchema, checkpointStats } from './checkpoint-stats.js';
export { type CreateCheckpointOptions, createCheckpoint } from './create-checkpoint.js';
export { deleteCheckpoint } from './delete-checkpoint.js';
export { type CheckpointDiff, CheckpointDiffSchema, diffSinceCheckpoint } from './diff-since-checkpoint.js';
export { getCheckpoint, listCheckpoints } from './list-checkpoints.js';
export {
  DEFAULT_RETENTION,
  type PruneOptions,
  type PruneResult,
  pruneCheckpoints,
  type RetentionLimits,
} from './prune-checkpoints.js';
export { type RestoreResult, restoreCheckpoint } from './restore-checkpoint.js';
