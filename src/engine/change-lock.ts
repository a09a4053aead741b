import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandRun } from '../command/command-run.js';
import { RalexError } from '../errors.js';
import type { RepoLockStore } from '../store/repo-lock.js';
import type { Clock } from '../util/ids.js';
import type { OwnerProcess } from '../util/proc-stat.js';
import { abortError } from './abort-error.js';

/** What taking the change lock needs. */
export interface ChangeLockDeps {
  locks: RepoLockStore;
  owner: OwnerProcess;
  clock: Clock;
}

/** How long to wait for the lock, and how often to look again (another process may hold it). */
export interface ChangeLockOptions {
  /** Wait in the queue (a change command), or refuse at once (commit, undo, redo). */
  wait: boolean;
  timeoutMs?: number;
  pollMs?: number;
}

/**
 * Runs `work` holding the repository's change lock: one command that changes the project at a
 * time, across every Ralex process on it. A change command waits its turn (`command.queued`
 * says behind what; cancelling it leaves the queue); commit, undo and redo refuse at once
 * instead, saying what is running — undoing "the last change" while another is being made would
 * undo the wrong one.
 */
export async function withChangeLock<T>(
  run: CommandRun,
  deps: ChangeLockDeps,
  options: ChangeLockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const release = await acquireChangeLock(run, deps, options);
  try {
    return await work();
  } finally {
    release();
  }
}

/** Takes the change lock as `withChangeLock` does; resolves with the function that releases it. */
export async function acquireChangeLock(
  run: CommandRun,
  deps: ChangeLockDeps,
  options: ChangeLockOptions,
): Promise<() => void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let announced = false;
  for (;;) {
    const got = deps.locks.tryAcquire({
      commandId: run.id,
      text: run.text,
      owner: deps.owner,
      now: deps.clock().toISOString(),
    });
    if (got.acquired) return () => deps.locks.release(run.id);
    if (!options.wait || Date.now() >= deadline) {
      throw new RalexError('busy', `Another change is running: "${got.holder.text}".`, {
        details: { holder: got.holder.commandId },
        hint: options.wait
          ? 'It took too long; cancel it or try again later.'
          : 'Say it again when that command has finished, or cancel it first.',
      });
    }
    if (!announced) {
      run.emit({
        type: 'command.queued',
        behindCommandId: got.holder.commandId,
        behindText: got.holder.text,
      });
      announced = true;
    }
    try {
      await sleep(options.pollMs ?? 100, undefined, { signal: run.signal });
    } catch {
      throw abortError(run.signal);
    }
  }
}
