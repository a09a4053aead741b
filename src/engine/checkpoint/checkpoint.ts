import { z } from 'zod';
import { RalexError } from '../../errors.js';

/** Where checkpoint refs live: one ref per checkpoint, outside branches, tags and the stash. */
export const CHECKPOINT_REF_PREFIX = 'refs/ralex/checkpoints/';

/** How the user's index was saved: as a tree (normal), or as the raw index file (mid-merge conflicts). */
export const SavedIndexSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tree'), oid: z.string() }),
  z.object({ kind: z.literal('file'), oid: z.string() }),
]);
/** How the user's index was saved. */
export type SavedIndex = z.infer<typeof SavedIndexSchema>;

/** One checkpoint: the whole working tree (minus ignored files) as a commit on a private ref. */
export const CheckpointSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** The private ref holding it, `refs/ralex/checkpoints/<id>`. */
  ref: z.string(),
  /** The checkpoint commit; its tree is the working tree, its last parent keeps the index alive. */
  commit: z.string(),
  /** The working tree as a git tree. */
  tree: z.string(),
  /** HEAD when the checkpoint was taken; null in a repository with no commits. */
  head: z.string().nullable(),
  /** The user's index (staged state) when the checkpoint was taken. */
  index: SavedIndexSchema,
  /** ISO 8601 time the checkpoint was taken. */
  createdAt: z.string(),
  /** Files (blobs, symlinks, submodules) in the tree. */
  fileCount: z.number().int().nonnegative(),
  /** Sum of the sizes of all files in the tree. */
  treeBytes: z.number().int().nonnegative(),
  /** Bytes of files whose content differs from HEAD: roughly what this checkpoint adds to the object store. */
  addedBytes: z.number().int().nonnegative(),
});
/** One checkpoint. */
export type Checkpoint = z.infer<typeof CheckpointSchema>;

/** One file that differs between a checkpoint and the working tree. */
export const FileChangeSchema = z.object({
  path: z.string(),
  status: z.enum(['added', 'modified', 'deleted']),
});
/** One changed file. */
export type FileChange = z.infer<typeof FileChangeSchema>;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Throws `bad_request` unless the id is safe as the last part of a ref name. */
export function assertCheckpointId(id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new RalexError('bad_request', `Invalid checkpoint id "${id}".`, {
      hint: 'Use letters, digits, "_" and "-" only (at most 128 characters).',
    });
  }
}

/** The ref name of a checkpoint id. */
export function checkpointRef(id: string): string {
  assertCheckpointId(id);
  return CHECKPOINT_REF_PREFIX + id;
}
