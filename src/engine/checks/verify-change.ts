import type { ModelMessage } from 'ai';
import type { CheckOutcome } from '../../command/command-result.js';
import type { ParsedCommand } from '../../command/parsed-command.js';
import type { Preferences } from '../../config/preferences-schema.js';
import type { EventBody } from '../../events/events.js';
import type { SandboxOptions } from '../../policy/sandbox/sandbox-options.js';
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

/** One change's verification: the baseline taken before the agent starts, then a check after each turn. */
export interface Verification {
  /** The check run before the change. */
  baseline: CheckRun;
  /** The plan for the first turn: a fix gets the baseline's failing tests and their output. */
  firstTurn<P extends { prompt: { messages: ModelMessage[] } }>(plan: P): P;
  /** Runs the checks after a turn and judges them against the baseline. */
  afterTurn(attempt: number): Promise<TurnCheck>;
}

/**
 * Starts verifying a change: finds the project's test command (null when it has none) and runs
 * the baseline, in the sandbox with the network as `checks.network` says. A fix (`fix_bug`) is
 * judged by the tests it targets; any other change by "nothing that passed fails, the suite
 * still runs" (`judgeChange`).
 */
export async function startVerification(options: {
  parsed: ParsedCommand;
  root: string;
  checks: Preferences['checks'];
  signal: AbortSignal;
  emit: (body: EventBody) => void;
  /** The project's sandbox (home, environment, secrets as preferences say). */
  sandbox?: SandboxOptions;
}): Promise<Verification | null> {
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
  const baseline = await runTestCheck({ ...spec, name: 'tests (before)' }, runOptions);
  return {
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
  };
}
