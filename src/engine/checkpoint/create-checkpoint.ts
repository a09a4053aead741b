import { RalexError } from '../../errors.js';
import { GitCommandError, gitExec } from '../../git/git-exec.js';
import { type Clock, generateId, systemClock } from '../../util/ids.js';
import { CHECKPOINT_REF_PREFIX, type Checkpoint, checkpointRef, type SavedIndex } from './checkpoint.js';
import { formatCheckpointMessage } from './checkpoint-message.js';
import { loadCheckpoints } from './list-checkpoints.js';
import { measureTree } from './measure-tree.js';
import { openRepo, type RepoPaths } from './open-repo.js';
import { stageWorkTree, withScratchIndex } from './scratch-index.js';

/** Options of `createCheckpoint`. */
export interface CreateCheckpointOptions {
  /** What the checkpoint is for, e.g. the command text. */
  label: string;
  /** The checkpoint id (letters, digits, `_`, `-`); generated when absent. */
  id?: string;
  /** Clock for the recorded time and the commit dates. */
  now?: Clock;
  /** Keep this tree instead of capturing the work tree (a change's own result, without the user's edits). */
  tree?: string;
}

/**
 * Captures the whole working tree — tracked files with staged and unstaged changes, untracked
 * files, minus ignored ones and `.ralex/state` — plus the user's index, as a commit on
 * `refs/ralex/checkpoints/<id>`. HEAD, the user's index, the stash and the files are not touched.
 */
export async function createCheckpoint(repoDir: string, opts: CreateCheckpointOptions): Promise<Checkpoint> {
  const id = opts.id ?? generateId('ckpt');
  const ref = checkpointRef(id);
  const createdAt = (opts.now ?? systemClock)();
  const repo = await openRepo(repoDir);
  const identity = commitIdentity(createdAt);
  return withScratchIndex(repo, async (scratch) => {
    const indexFile = scratch.file;
    const head = repo.head;
    const previous = loadCheckpoints(repo.root, CHECKPOINT_REF_PREFIX).then((all) => all[0] ?? null);
    previous.catch(() => {}); // awaited below; a failure then is reported there
    const index = await saveIndex(repo, indexFile);
    let tree = opts.tree;
    if (!tree) {
      await stageWorkTree(repo, scratch);
      tree = (await gitExec(repo.root, ['write-tree'], { indexFile })).trim();
    }
    const parents = head ? [head] : [];
    const [size, indexCommit] = await Promise.all([
      previous.then((last) => measureTree(repo, tree, head, last)),
      commitTree(repo, index.tree, parents, `ralex checkpoint index: ${id}\n`, identity),
    ]);
    const meta = {
      id,
      label: opts.label,
      head,
      index: index.saved,
      createdAt: createdAt.toISOString(),
      ...size,
    };
    const message = formatCheckpointMessage(meta);
    const commit = await commitTree(repo, tree, [...parents, indexCommit], message, identity);
    try {
      // The empty old value makes git refuse to overwrite an existing checkpoint with this id.
      await gitExec(repo.root, ['update-ref', ref, commit, '']);
    } catch (error) {
      const exists = await gitExec(repo.root, ['rev-parse', '-q', '--verify', ref]).then(
        () => true,
        () => false,
      );
      if (!exists) throw error;
      throw new RalexError('conflict', `A checkpoint with id "${id}" already exists.`, { cause: error });
    }
    return { ...meta, ref, commit, tree };
  });
}

/**
 * Saves the user's index (read from the scratch copy, before it is changed) as a tree. An index
 * with unresolved merge conflicts has no tree, so the raw index file is kept instead, wrapped in
 * a one-file tree so the commit keeps it reachable.
 */
async function saveIndex(repo: RepoPaths, indexFile: string): Promise<{ saved: SavedIndex; tree: string }> {
  try {
    const tree = (await gitExec(repo.root, ['write-tree'], { indexFile })).trim();
    return { saved: { kind: 'tree', oid: tree }, tree };
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    const blob = (await gitExec(repo.root, ['hash-object', '-w', '--no-filters', '--', indexFile])).trim();
    const tree = (await gitExec(repo.root, ['mktree'], { input: `100644 blob ${blob}\tindex\n` })).trim();
    return { saved: { kind: 'file', oid: blob }, tree };
  }
}

function commitIdentity(date: Date): Record<string, string> {
  const stamp = `${Math.floor(date.getTime() / 1000)} +0000`;
  return {
    GIT_AUTHOR_NAME: 'Ralex',
    GIT_AUTHOR_EMAIL: 'ralex@localhost',
    GIT_AUTHOR_DATE: stamp,
    GIT_COMMITTER_NAME: 'Ralex',
    GIT_COMMITTER_EMAIL: 'ralex@localhost',
    GIT_COMMITTER_DATE: stamp,
  };
}

async function commitTree(
  repo: RepoPaths,
  tree: string,
  parents: string[],
  message: string,
  env: Record<string, string>,
): Promise<string> {
  const args = ['commit-tree', '--no-gpg-sign', tree, ...parents.flatMap((p) => ['-p', p])];
  return (await gitExec(repo.root, args, { input: message, env })).trim();
}
