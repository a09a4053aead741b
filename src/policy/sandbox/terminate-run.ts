import { setTimeout as delay } from 'node:timers/promises';
import { findRunProcesses, type RunIdentity, signalRun } from './process-tree.js';

/** How long a run's processes get between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 1000;

const POLL_MS = 25;

/**
 * Ends every process of a run: SIGTERM to the whole tree, then SIGKILL to whatever is still
 * there after `graceMs`, repeated (a tree may fork while it dies) until nothing is left or
 * another second has passed. `rootExited` tells whether Node has already reaped the root.
 */
export async function terminateRun(
  run: RunIdentity,
  rootExited: () => boolean,
  graceMs: number = KILL_GRACE_MS,
): Promise<void> {
  const gone = () => rootExited() && findRunProcesses(run).length === 0;
  if (signalRun(run, 'SIGTERM') === 0 && rootExited()) return;
  const graceEnd = Date.now() + graceMs;
  while (Date.now() < graceEnd) {
    await delay(POLL_MS);
    if (gone()) return;
  }
  const killEnd = Date.now() + 1000;
  do {
    signalRun(run, 'SIGKILL');
    await delay(POLL_MS);
  } while (!gone() && Date.now() < killEnd);
}
