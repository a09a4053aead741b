import { RalexError } from '../../errors.js';
import { withChangeLock } from '../change-lock.js';
import { requireIdleRepo } from '../checkpoint/git-state.js';
import { redoChange, undoChange } from '../history/change-history.js';
import type { DirectAction, DirectOutcome } from './direct-action.js';

/**
 * "undo that": reverses the latest applied change (or the one named by `args.change`), also
 * after it was committed (a revert commit). A change the user has edited over since is refused,
 * with the file named; nothing is touched then.
 */
export const undoLast: DirectAction = async (parsed, run, rt) => {
  // The offline recogniser can hear "confirm" as "undo": while an approval waits, a bare "undo"
  // is asked back instead of undoing something.
  const waiting = rt.approvals.pending(run.sessionId)[0];
  if (waiting && /^undo$/i.test(parsed.request.trim())) {
    return {
      status: 'needs_input',
      reply: `An approval is waiting (${waiting.detail}). Did you mean "confirm"? To undo the last change, say "undo that".`,
      spoken: 'An approval is waiting. Did you mean confirm? To undo, say undo that.',
    };
  }
  // Not while another change is being made (the "last change" would be the wrong one) or git is mid-operation.
  return withChangeLock(run, rt, { wait: false }, async (): Promise<DirectOutcome> => {
    await requireIdleRepo(rt.root, 'undo');
    const change = parsed.args.change
      ? rt.changes.get(parsed.args.change)
      : rt.changes.list({ state: 'applied', limit: 1 })[0];
    if (!change)
      return {
        status: 'failed',
        reply: 'There is no change of Ralex to undo.',
        spoken: 'There is nothing to undo.',
      };
    const step = await undoChange(rt.root, rt.changes, change, rt.clock);
    rt.files.invalidate();
    run.emit({ type: 'change.undone', changeId: change.id, files: step.files, revertCommit: step.commit });
    return {
      reply: `Undid "${change.summary.split('\n')[0]}" in ${step.files.join(', ')}${step.commit ? ` (revert commit ${step.commit.slice(0, 8)})` : ''}.`,
      spoken: `Undone. ${step.files.length} file${step.files.length === 1 ? '' : 's'} put back.`,
      filesChanged: step.files,
    };
  });
};

/** "redo": re-applies the latest undone change (committing it again if it had been committed). */
export const redoLast: DirectAction = (parsed, run, rt) =>
  withChangeLock(run, rt, { wait: false }, async () => {
    await requireIdleRepo(rt.root, 'redo');
    const change = parsed.args.change
      ? rt.changes.get(parsed.args.change)
      : rt.changes.list({ state: 'undone', limit: 1 })[0];
    if (!change) throw new RalexError('conflict', 'There is no undone change to redo.');
    const step = await redoChange(rt.root, rt.changes, change, rt.clock);
    rt.files.invalidate();
    run.emit({ type: 'change.redone', changeId: change.id, files: step.files, commit: step.commit });
    return {
      reply: `Redid "${change.summary.split('\n')[0]}" in ${step.files.join(', ')}${step.commit ? ` (commit ${step.commit.slice(0, 8)})` : ''}.`,
      spoken: 'Redone.',
      filesChanged: step.files,
    };
  });
