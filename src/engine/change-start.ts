import { join } from 'node:path';
import type { CommandRun } from '../command/command-run.js';
import type { ParsedCommand } from '../command/parsed-command.js';
import type { Runtime } from '../runtime.js';
import { type AgentWrites, openWriteLedger, type WriteLedger } from './attribution/write-ledger.js';
import { acquireChangeLock } from './change-lock.js';
import type { Checkpoint } from './checkpoint/checkpoint.js';
import { createCheckpoint } from './checkpoint/create-checkpoint.js';
import { requireIdleRepo } from './checkpoint/git-state.js';
import { openBaselineCache } from './checks/baseline-cache.js';
import { planVerification, type Verification, type VerificationPlan } from './checks/verify-change.js';
import { projectSandbox } from './project-sandbox.js';

/**
 * A change begun as soon as the command is known to be one, so its lock, checkpoint and test
 * baseline run beside the context, enhance and route stages and the agent's first model turn.
 * The order that keeps the user's work safe is kept: lock → repository idle → checkpoint of the
 * whole work tree → baseline on that tree; the agent may read meanwhile, but every write of
 * its (tool writes, shell commands, an OpenCode turn) waits until the checkpoint and the
 * baseline are done, so the checkpoint holds the tree from before any agent write and the
 * baseline never sees one.
 */
export interface ChangeStart {
  /** The change lock held (the next change waits) and git idle (no merge or rebase under way). */
  locked: Promise<void>;
  /** The checkpoint taken and recorded, the write ledger open. */
  checkpointed: Promise<{ checkpoint: Checkpoint; ledger: WriteLedger }>;
  /** How the change is verified (null: the project has no test command). */
  plan: VerificationPlan | null;
  /** The verification with its baseline, taken on the checkpoint's tree (null without a test command). */
  verification: Promise<Verification | null>;
  /** What the agent writes through: each write waits for `ready`. */
  writes: AgentWrites;
  /** Stops what is still running (a baseline) and waits until nothing of the start runs. */
  settle(): Promise<void>;
  /** Marks the start as taken by `runChange`, which then ends the change itself. */
  claim(): void;
  /** Ends a change no agent ran in (a later stage failed): row closed, ledger closed, lock released. No-op once claimed. */
  abandon(): Promise<void>;
  /** Releases the change lock (when it was taken). */
  release(): void;
}

/** Begins a change in the background; see `ChangeStart`. Every promise of it is safe to leave unawaited. */
export function beginChange(parsed: ParsedCommand, run: CommandRun, rt: Runtime): ChangeStart {
  const prefs = rt.config.preferences;
  const stop = new AbortController();
  const signal = AbortSignal.any([run.signal, stop.signal]);
  let releaseLock: (() => void) | null = null;
  let claimed = false;

  const locked = (async () => {
    releaseLock = await acquireChangeLock(run, rt, { wait: true });
    await requireIdleRepo(rt.root, 'change the code');
  })();
  const checkpointed = locked.then(async () => {
    const checkpoint = await createCheckpoint(rt.root, {
      label: `before: ${run.text.slice(0, 120)}`,
      id: run.id,
      now: rt.clock,
    });
    rt.changes.start({
      id: run.id,
      commandId: run.id,
      sessionId: run.sessionId,
      checkpointId: checkpoint.id,
      checkpointCommit: checkpoint.commit,
      beforeTree: checkpoint.tree,
      summary: parsed.request,
      now: rt.clock().toISOString(),
    });
    run.emit({
      type: 'checkpoint.created',
      checkpointId: checkpoint.id,
      label: checkpoint.label,
      files: checkpoint.fileCount,
    });
    const ledger = await openWriteLedger({
      root: rt.root,
      changeId: run.id,
      checkpointTree: checkpoint.tree,
      changes: rt.changes,
      clock: rt.clock,
    });
    return { checkpoint, ledger };
  });
  // Checks are not bracketed like the agent's commands: they can run for minutes, and what
  // changes meanwhile is most likely the user's. Whatever a check writes is left alone.
  const plan = planVerification({
    parsed,
    root: rt.root,
    checks: prefs.checks,
    signal,
    emit: run.emit,
    sandbox: projectSandbox(rt, { network: prefs.checks.network === 'on' }),
  });
  const cache = openBaselineCache(join(rt.paths.stateDir, 'baselines'));
  const verification = checkpointed.then(({ checkpoint, ledger }) =>
    plan ? plan.takeBaseline(checkpoint.tree, cache, () => ledger.workTree()) : null,
  );
  const writable = verification.then(() => checkpointed).then(({ ledger }) => ledger);
  for (const p of [locked, checkpointed, verification, writable]) p.catch(() => undefined);

  const settle = async () => {
    stop.abort();
    await Promise.allSettled([checkpointed, verification]);
  };
  const release = () => {
    releaseLock?.();
    releaseLock = null;
  };
  return {
    locked,
    checkpointed,
    plan,
    verification,
    writes: {
      ready: () => writable.then(() => undefined),
      recordIntent: async (path, content) => (await writable).recordIntent(path, content),
      recordToolWrites: async (paths) => (await writable).recordToolWrites(paths),
      around: async (source, work) => (await writable).around(source, work),
    },
    settle,
    claim() {
      claimed = true;
    },
    async abandon() {
      if (claimed) return;
      await settle();
      const started = await checkpointed.catch(() => null);
      if (started) {
        rt.changes.update(run.id, { state: 'rolled_back' }, rt.clock().toISOString());
        await started.ledger.close().catch(() => undefined);
      }
      release();
    },
    release,
  };
}
