import { RalexError } from '../../errors.js';
import { type Checkpoint, CheckpointSchema, checkpointRef, type SavedIndex } from './checkpoint.js';

/** What a checkpoint commit's message records (everything but the commit's own ids). */
export type CheckpointMetadata = Omit<Checkpoint, 'ref' | 'commit' | 'tree'>;

const VERSION = '1';

/**
 * The commit message of a checkpoint: a readable subject and git trailers, so the commit
 * describes itself to `git log refs/ralex/checkpoints/...` and to `parseCheckpointCommit`.
 */
export function formatCheckpointMessage(meta: CheckpointMetadata): string {
  const subject = meta.label.replace(/\s+/g, ' ').trim().slice(0, 72) || meta.id;
  return [
    `ralex checkpoint: ${subject}`,
    '',
    `Ralex-Checkpoint-Version: ${VERSION}`,
    `Ralex-Checkpoint-Id: ${meta.id}`,
    `Ralex-Label: ${JSON.stringify(meta.label)}`,
    `Ralex-Created-At: ${meta.createdAt}`,
    `Ralex-Head: ${meta.head ?? 'none'}`,
    `Ralex-Index: ${meta.index.kind} ${meta.index.oid}`,
    `Ralex-Files: ${meta.fileCount}`,
    `Ralex-Tree-Bytes: ${meta.treeBytes}`,
    `Ralex-Added-Bytes: ${meta.addedBytes}`,
    '',
  ].join('\n');
}

/** The raw parts of a commit needed to read a checkpoint back. */
export interface CommitParts {
  commit: string;
  tree: string;
  message: string;
}

/** Reads a checkpoint back from its commit; throws `internal_error` if the message is not a checkpoint's. */
export function parseCheckpointCommit(parts: CommitParts): Checkpoint {
  const trailers = new Map<string, string>();
  for (const line of parts.message.split('\n')) {
    const match = /^Ralex-([A-Za-z-]+): (.*)$/.exec(line);
    if (match) trailers.set(match[1]!, match[2]!);
  }
  const id = trailers.get('Checkpoint-Id');
  const [indexKind, indexOid] = (trailers.get('Index') ?? '').split(' ');
  if (!id || trailers.get('Checkpoint-Version') !== VERSION || !indexOid) {
    throw new RalexError(
      'internal_error',
      `Commit ${parts.commit} is not a Ralex checkpoint (version ${VERSION}).`,
    );
  }
  const head = trailers.get('Head');
  const result = CheckpointSchema.safeParse({
    id,
    label: parseLabel(trailers.get('Label')),
    ref: checkpointRef(id),
    commit: parts.commit,
    tree: parts.tree,
    head: !head || head === 'none' ? null : head,
    index: { kind: indexKind, oid: indexOid } as SavedIndex,
    createdAt: trailers.get('Created-At'),
    fileCount: Number(trailers.get('Files')),
    treeBytes: Number(trailers.get('Tree-Bytes')),
    addedBytes: Number(trailers.get('Added-Bytes')),
  });
  if (!result.success) {
    throw new RalexError('internal_error', `Checkpoint commit ${parts.commit} has malformed metadata.`, {
      details: { issues: result.error.issues },
    });
  }
  return result.data;
}

function parseLabel(raw: string | undefined): string {
  if (raw === undefined) return '';
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : raw;
  } catch {
    return raw;
  }
}
