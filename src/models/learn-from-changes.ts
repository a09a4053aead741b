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

/** Lines of one file, as `[start, end)` in the version the agent left. */
export interface LineRange {
  path: string;
  start: number;
  end: number;
}

/** How long after a change the user editing the same lines counts against it. */
export const EDIT_WINDOW_MS = 30 * 60_000;

/**
 * Ranges of a zero-context unified diff (`git diff -U0`): `side: 'new'` gives the lines it wrote
 * (in the new version), `side: 'old'` the lines it touched of the old one. A pure insertion or
 * deletion counts as the one line it sits at.
 */
export function diffRanges(diff: string, side: 'old' | 'new'): LineRange[] {
  const out: LineRange[] = [];
  let path = '';
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ') || line.startsWith('--- ')) {
      const name = line.slice(4);
      if (name !== '/dev/null' && (line.startsWith('+++ ') ? side === 'new' : side === 'old'))
        path = name.replace(/^[ab]\//, '');
      else if (line.startsWith('--- ') && side === 'new') path = '';
      continue;
    }
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!m) continue;
    const start = Number(side === 'old' ? m[1] : m[3]);
    const count = Number((side === 'old' ? m[2] : m[4]) ?? '1');
    out.push({ path, start, end: start + Math.max(1, count) });
  }
  return out;
}

/** True when the user's edits touch lines the agent wrote. */
export function overlaps(agent: readonly LineRange[], user: readonly LineRange[]): boolean {
  return agent.some((a) => user.some((u) => u.path === a.path && u.start < a.end && a.start < u.end));
}

/**
 * A verified change whose lines the user edited within `EDIT_WINDOW_MS` counts half a success:
 * the agent got it working, not right. `diffs` reads the agent's diff and the user's since.
 */
export async function learnFromEdits(
  stats: PerformanceStats,
  changes: readonly ChangeRecord[],
  now: Date,
  diffs: (change: ChangeRecord) => Promise<{ agent: string; user: string } | null>,
): Promise<number> {
  const recent = changes.flatMap((change) => {
    if (change.state !== 'applied' || !change.afterTree || !change.files.length) return [];
    if (now.getTime() - Date.parse(change.updatedAt) > EDIT_WINDOW_MS) return [];
    const known = stats.outcomeOf(change.id);
    return known?.outcome === 'verified' ? [{ change, known }] : [];
  });
  // The recent changes' diffs are asked for side by side: each is two git processes.
  const found = await Promise.all(recent.map(({ change }) => diffs(change).catch(() => null)));
  let n = 0;
  recent.forEach(({ change, known }, i) => {
    const d = found[i];
    if (!d || !overlaps(diffRanges(d.agent, 'new'), diffRanges(d.user, 'old'))) return;
    stats.record({
      changeId: change.id,
      commandId: change.commandId,
      model: known.model,
      task: known.task,
      outcome: 'edited',
      now: now.toISOString(),
    });
    n++;
  });
  return n;
}
