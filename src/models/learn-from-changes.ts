import type { ChangeRecord } from '../store/changes.js';
import type { ChangeOutcomeKind, PerformanceStats } from './performance-stats.js';

/** A change command that just ended, as the record stage sees it. */
export interface FinishedChange {
  change: ChangeRecord;
  /** The model that answered (`provider:model`). */
  model: string;
  /** The task type key, e.g. `fix_bug/hard`. */
  task: string;
  /** The command failed (checks failed after every attempt: rolled back). */
  failed: boolean;
}

/**
 * Learns from a change's outcome: verified (and committed or kept) counts as a success, rolled
 * back after failing checks as a failure; a change that touched no file teaches nothing. Returns
 * whether anything was learned.
 */
export function learnFromChange(stats: PerformanceStats, done: FinishedChange, now: string): boolean {
  const { change } = done;
  let outcome: ChangeOutcomeKind | null = null;
  if (change.state === 'applied') outcome = 'verified';
  else if (change.state === 'rolled_back' && done.failed) outcome = 'rolled_back';
  if (!outcome) return false;
  stats.record({
    changeId: change.id,
    commandId: change.commandId,
    model: done.model,
    task: done.task,
    outcome,
    now,
  });
  return true;
}

/**
 * Brings learned outcomes up to date with what happened to changes since: one undone later
 * (`ralex undo`, in any process) counts as a failure; one redone counts as verified again.
 */
export function reconcileOutcomes(
  stats: PerformanceStats,
  changes: readonly ChangeRecord[],
  now: string,
): number {
  let n = 0;
  for (const change of changes) {
    const known = stats.outcomeOf(change.id);
    if (!known) continue;
    const next: ChangeOutcomeKind | null =
      change.state === 'undone' && known.outcome !== 'undone'
        ? 'undone'
        : change.state === 'applied' && known.outcome === 'undone'
          ? 'verified'
          : null;
    if (!next) continue;
    stats.record({
      changeId: change.id,
      commandId: change.commandId,
      model: known.model,
      task: known.task,
      outcome: next,
      now,
    });
    n++;
  }
  return n;
}
