import type { ModelMessage } from 'ai';
import type { CheckOutcome } from '../../command/command-result.js';
import type { ParsedCommand } from '../../command/parsed-command.js';
import type { Preferences } from '../../config/preferences-schema.js';
import type { EventBody } from '../../events/events.js';
import type { SandboxOptions } from '../../policy/sandbox/sandbox-options.js';
import type { BaselineCache } from './baseline-cache.js';
import { baselineNote, followUpPrompt, withNote } from './check-prompts.js';
import { detectTestCheck } from './detect-checks.js';
import { type CheckRun, type CheckRunOptions, runTestCheck } from './run-check.js';
import { isFixCommand, targetsOf } from './test-targets.js';
import { judgeChange, type Verdict } from './verdict.js';

/** The checks after one agent turn: the outcome every client sees, the verdict, and the follow-up prompt. */
export interface TurnCheck {
  outcome: CheckOutcome;
  verdict: Verdict;
  /** The next user message when the verdict fails: why, the new failures, the output. */
  followUp: string;
}

/** One change's verification: the baseline taken before the agent writes, then a check after each turn. */
export interface Verification {
  /** The check run before the change. */
  baseline: CheckRun;
  /** The plan for the first turn: a fix gets the baseline's failing tests and their output. */
  firstTurn<P extends { prompt: { messages: ModelMessage[] } }>(plan: P): P;
  /** Runs the checks after a turn and judges them against the baseline. */
  afterTurn(attempt: number): Promise<TurnCheck>;
}

/** A change's verification before its baseline: the test command found, the baseline still to take. */
export interface VerificationPlan {
  /** A fix's first turn is given the tests failing before it (`baselineNote`), so it waits for the baseline. */
  firstTurnNeedsBaseline: boolean;
  /**
   * Takes the baseline of the tree the checkpoint captured (`tree`) — read from `cache` when a
   * run on the same tree with the same command is known, else run and stored — and returns the
   * verification. The caller keeps the agent from writing until this has resolved.
   */
  takeBaseline(tree: string, cache?: BaselineCache, stillTree?: () => Promise<string>): Promise<Verification>;
}

/**
 * Plans verifying a change: finds the project's test command (null when it has none); the
 * checks run in the sandbox with the network as `checks.network` says. A fix (`fix_bug`) is
 * judged by the tests it targets; any other change by "nothing that passed fails, the suite
 * still runs" (`judgeChange`).
 */
export function planVerification(options: {
  parsed: ParsedCommand;
  root: string;
  checks: Preferences['checks'];
  signal: AbortSignal;
  emit: (body: EventBody) => void;
  /** The project's sandbox (home, environment, secrets as preferences say). */
  sandbox?: SandboxOptions;
}): VerificationPlan | null {
  const spec = detectTestCheck(options.root, options.checks.test_command);
  if (!spec) return null;
  const runOptions: CheckRunOptions = {
    root: options.root,
    timeoutMs: options.checks.timeout_ms,
    signal: options.signal,
    emit: options.emit,
    network: options.checks.network === 'on',
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  };
  const kind = isFixCommand(options.parsed) ? 'fix' : 'change';
  const targets = targetsOf(options.parsed);
  const verification = (baseline: CheckRun): Verification => ({
    baseline,
    firstTurn(plan) {
      const note = kind === 'fix' ? baselineNote(baseline) : null;
      return note
        ? { ...plan, prompt: { ...plan.prompt, messages: withNote(plan.prompt.messages, note) } }
        : plan;
    },
    async afterTurn(attempt) {
      const after = await runTestCheck(
        { ...spec, name: attempt === 1 ? 'tests' : `tests (attempt ${attempt})` },
        runOptions,
      );
      const verdict = judgeChange({ kind, targets, baseline, after });
      const outcome = { ...after.outcome, verdict: { verified: verdict.verified, summary: verdict.summary } };
      return { outcome, verdict, followUp: verdict.verified ? '' : followUpPrompt(verdict, after) };
    },
  });
  return {
    firstTurnNeedsBaseline: kind === 'fix',
    async takeBaseline(tree, cache, stillTree) {
      const name = 'tests (before)';
      const key = { tree, command: spec.command, network: runOptions.network === true };
      const started = performance.now();
      const known = await cache?.get(key);
      if (known) {
        const outcome = {
          ...known.outcome,
          name,
          durationMs: Math.round(performance.now() - started),
          cached: true,
        };
        options.emit({ type: 'check.started', name, command: spec.command });
        options.emit({
          type: 'check.finished',
          name,
          ok: outcome.ok,
          exitCode: outcome.exitCode,
          durationMs: outcome.durationMs,
          output: outcome.output,
          sandboxed: outcome.sandboxed,
          network: outcome.network,
          tests: outcome.tests,
          cached: true,
        });
        return verification({ ...known, outcome });
      }
      const baseline = await runTestCheck({ ...spec, name }, runOptions);
      // Stored only when the files the tests saw were still the checkpoint's at their end (the
      // user may edit meanwhile): a baseline is never filed under a tree it did not run on.
      if (cache && !options.signal.aborted && (!stillTree || (await stillTree()) === tree))
        await cache.put(key, baseline);
      return verification(baseline);
    },
  };
}
