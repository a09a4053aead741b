import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RalexError } from '../../errors.js';
import { gitExec } from '../../git/git-exec.js';
import type { ChangeRecord, ChangeStore } from '../../store/changes.js';
import type { Clock } from '../../util/ids.js';
import { openRepo } from '../checkpoint/open-repo.js';
import { applyToWorkTree, commitPatchOnHead, treePatch } from './tree-patch.js';

/** What undo or redo did. */
export interface HistoryStep {
  change: ChangeRecord;
  files: string[];
  /** The revert (or re-apply) commit, when the change had been committed. */
  commit: string | null;
}

/**
 * Commits a verified change: only its own files, only its own hunks (the patch from the
 * checkpoint tree to the after tree, applied on HEAD), so the user's other uncommitted work —
 * even in the same files — stays uncommitted and intact.
 */
export async function commitChange(
  root: string,
  change: { beforeTree: string; afterTree: string; files: string[] },
  message: string,
): Promise<string> {
  const patch = treePatch(root, change.beforeTree, change.afterTree, change.files);
  patch.catch(() => undefined); // awaited inside; a failure surfaces there
  return withScratch(root, async (scratchIndex) =>
    commitPatchOnHead(root, await patch, { message, files: change.files, scratchIndex }),
  ) as Promise<string>;
}

/**
 * Undoes a change: its reverse patch is applied to the working tree (and committed as a revert
 * when the change was committed). If the user edited the same lines since, nothing is touched
 * and the undo is refused with the file named.
 */
export function undoChange(
  root: string,
  changes: ChangeStore,
  change: ChangeRecord,
  now: Clock,
): Promise<HistoryStep> {
  if (change.state !== 'applied')
    throw new RalexError(
      'conflict',
      `That change is ${change.state.replace('_', ' ')}, so there is nothing to undo.`,
    );
  return step(root, changes, change, now, 'undo');
}

/** Re-applies an undone change (and commits it again when it had been committed). */
export function redoChange(
  root: string,
  changes: ChangeStore,
  change: ChangeRecord,
  now: Clock,
): Promise<HistoryStep> {
  if (change.state !== 'undone')
    throw new RalexError('conflict', 'That change is not undone, so there is nothing to redo.');
  return step(root, changes, change, now, 'redo');
}

async function step(
  root: string,
  changes: ChangeStore,
  change: ChangeRecord,
  now: Clock,
  kind: 'undo' | 'redo',
): Promise<HistoryStep> {
  if (!change.afterTree)
    throw new RalexError('conflict', 'That change was never completed, so it cannot be undone or redone.');
  const kept = await gitExec(root, ['cat-file', '-e', `${change.beforeTree}^{tree}`])
    .then(() => gitExec(root, ['cat-file', '-e', `${change.afterTree}^{tree}`]))
    .then(
      () => true,
      () => false,
    );
  if (!kept) {
    throw new RalexError(
      'conflict',
      'That change is too old to undo: its checkpoint was pruned by the retention limits.',
      {
        hint: 'Use git (git revert or git checkout) for changes older than the checkpoint retention.',
      },
    );
  }
  const [from, to] =
    kind === 'undo' ? [change.afterTree, change.beforeTree] : [change.beforeTree, change.afterTree];
  const patch = await treePatch(root, from, to, change.files);
  const subject = change.summary.split('\n')[0]!;
  const message =
    kind === 'undo'
      ? `revert: ${subject.replace(/^\w+: /, '')}\n\nUndoes ${change.commitSha ?? 'an uncommitted change'} (Ralex command ${change.commandId}).\n`
      : `${subject}\n\nRedone by Ralex (command ${change.commandId}).\n`;
  // Check both places first, so a refusal leaves everything exactly as it was.
  await applyToWorkTree(root, patch, { check: true });
  const committed = change.commitSha !== null;
  if (committed)
    await withScratch(root, (scratchIndex) =>
      commitPatchOnHead(root, patch, { message, files: change.files, check: true, scratchIndex }),
    );
  await applyToWorkTree(root, patch, { check: false });
  const commit = committed
    ? await withScratch(root, (scratchIndex) =>
        commitPatchOnHead(root, patch, { message, files: change.files, scratchIndex }),
      )
    : null;
  const state = kind === 'undo' ? 'undone' : 'applied';
  changes.update(
    change.id,
    { state, ...(kind === 'redo' && commit ? { commitSha: commit } : {}) },
    now().toISOString(),
  );
  return { change: { ...change, state }, files: change.files, commit };
}

async function withScratch<T>(root: string, work: (scratchIndex: string) => Promise<T>): Promise<T> {
  const repo = await openRepo(root);
  const dir = join(repo.gitDir, 'ralex');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `commit-${process.pid}-${randomBytes(6).toString('hex')}.index`);
  try {
    return await work(file);
  } finally {
    await rm(file, { force: true });
  }
}
