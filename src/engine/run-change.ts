import { RalexError } from '../errors.js';
import type { CheckOutcome } from '../pipeline/command-result.js';
import type { CommandRun } from '../pipeline/command-run.js';
import type { ModelPlan } from '../pipeline/execute.js';
import type { ParsedCommand } from '../pipeline/parsed-command.js';
import { askForCommand } from '../policy/approvals/ask-for-command.js';
import type { Runtime } from '../runtime.js';
import { type AgentTurn, openAgentSession } from './agent-session.js';
import { createCheckpoint } from './checkpoint/create-checkpoint.js';
import { type CheckpointDiff, diffSinceCheckpoint } from './checkpoint/diff-since-checkpoint.js';
import { pruneCheckpoints } from './checkpoint/prune-checkpoints.js';
import { restoreCheckpoint } from './checkpoint/restore-checkpoint.js';
import { type CheckVerdict, compareWithBaseline } from './checks/compare-with-baseline.js';
import { detectTestCheck } from './checks/detect-checks.js';
import { runCheck } from './checks/run-check.js';
import { commitChange } from './history/change-history.js';
import { commitMessage } from './history/commit-message.js';
import { createToolGate } from './tool-gate.js';
import { ALL_TOOLS } from './tools/agent-tools.js';

/** What a change run produced: the answer, the files changed, the diff, checks and commit. */
export interface ChangeOutcome {
  status: 'succeeded' | 'failed';
  reply: string;
  filesChanged: string[];
  diff: string | null;
  checks: CheckOutcome[];
  commit: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
}

/**
 * A request that may change the project, start to end: checkpoint the whole working tree,
 * take the test baseline, let the agent work with every tool (each call through the policy),
 * verify with the project's checks — giving the agent the failure and another attempt while
 * attempts remain — then commit only the agent's own hunks, or restore the checkpoint exactly.
 * Any error or cancellation restores the checkpoint too: no half-applied edit is left behind.
 */
export async function runChange(
  parsed: ParsedCommand,
  run: CommandRun,
  rt: Runtime,
  plan: ModelPlan,
): Promise<ChangeOutcome> {
  const prefs = rt.config.preferences;
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

  const rollback = async (reason: string) => {
    const restored = await restoreCheckpoint(rt.root, checkpoint.id);
    rt.changes.update(run.id, { state: 'rolled_back' }, rt.clock().toISOString());
    rt.files.invalidate();
    run.emit({
      type: 'checkpoint.restored',
      checkpointId: checkpoint.id,
      reason,
      files: restored.reverted.map((f) => f.path),
    });
  };

  try {
    const spec = detectTestCheck(rt.root, prefs.checks.test_command);
    const checkOptions = {
      root: rt.root,
      timeoutMs: prefs.checks.timeout_ms,
      signal: run.signal,
      emit: run.emit,
    };
    const baseline = spec ? await runCheck({ ...spec, name: 'tests (before)' }, checkOptions) : null;
    const gate = createToolGate({
      policy: rt.policy,
      ask: (request) => askForCommand(run, rt, request),
      pause: (error) => run.pause(error),
    });
    const session = openAgentSession({ rt, run, plan, tools: ALL_TOOLS, gate });
    const checks: CheckOutcome[] = baseline ? [baseline] : [];
    let agent: AgentTurn | null = null;
    let verdict: CheckVerdict | null = null;
    let files: string[] = [];
    let change: CheckpointDiff | null = null;
    let inputTokens = 0;
    let outputTokens = 0;
    let followUp: string | undefined;
    for (let attempt = 1; attempt <= prefs.checks.max_attempts; attempt++) {
      agent = await session.turn(followUp);
      inputTokens += agent.inputTokens ?? 0;
      outputTokens += agent.outputTokens ?? 0;
      change = await diffSinceCheckpoint(rt.root, checkpoint.id);
      files = change.files.map((f) => f.path);
      if (!files.length || !spec) break;
      const after = await runCheck(
        { ...spec, name: attempt === 1 ? 'tests' : `tests (attempt ${attempt})` },
        checkOptions,
      );
      checks.push(after);
      verdict = compareWithBaseline(baseline, after);
      if (verdict.ok || attempt === prefs.checks.max_attempts) break;
      followUp = `The project's checks failed after your change (${verdict.summary}). Output:\n${after.output}\n\nFix the change so the checks pass. Do not weaken or delete tests.`;
    }
    const usage = { inputTokens, outputTokens };
    const text = agent?.text || '(The model gave no answer.)';
    if (!files.length) {
      rt.changes.update(run.id, { state: 'rolled_back' }, rt.clock().toISOString());
      return {
        status: 'succeeded',
        reply: `${text}\n\n(No files were changed.)`,
        filesChanged: [],
        diff: null,
        checks,
        commit: null,
        ...usage,
      };
    }
    if (verdict && !verdict.ok) {
      await rollback(`checks failed: ${verdict.summary}`);
      return {
        status: 'failed',
        reply: `${text}\n\nThe change was rolled back: ${verdict.summary} after ${prefs.checks.max_attempts} attempt(s). The project is exactly as it was before.`,
        filesChanged: [],
        diff: null,
        checks,
        commit: null,
        ...usage,
      };
    }
    const diff = change?.patch ?? null; // the agent's change as it was verified
    const after = await createCheckpoint(rt.root, {
      label: `after: ${run.text.slice(0, 120)}`,
      id: `${run.id}-after`,
      now: rt.clock,
    });
    const message = commitMessage(parsed, files, { commandId: run.id, model: plan.selection.model });
    rt.changes.update(run.id, { afterTree: after.tree, files, state: 'applied' }, rt.clock().toISOString());
    const commit = await commitIfWanted(
      rt,
      run,
      { beforeTree: checkpoint.tree, afterTree: after.tree, files },
      message,
    );
    rt.files.invalidate();
    return { status: 'succeeded', reply: text, filesChanged: files, diff, checks, commit, ...usage };
  } catch (error) {
    await rollback(error instanceof RalexError ? error.message : String(error)).catch(() => undefined);
    throw error;
  } finally {
    // Retention stays bounded (count, age, size): checkpoints of commands still running are kept.
    const keep = [...rt.running.keys()].flatMap((id) => [id, `${id}-after`]);
    await pruneCheckpoints(rt.root, { keep }).catch(() => undefined);
  }
}

/** Commits per `checks.commit` (auto | off); a change that cannot be committed alone stays uncommitted, said so. */
async function commitIfWanted(
  rt: Runtime,
  run: CommandRun,
  change: { beforeTree: string; afterTree: string; files: string[] },
  message: string,
): Promise<string | null> {
  const mode = rt.config.preferences.checks.commit;
  if (mode === 'off') {
    run.emit({
      type: 'change.kept',
      files: change.files,
      reason: 'Automatic commits are off (checks.commit: off).',
    });
    return null;
  }
  if (mode === 'ask') {
    const answer = await askForCommand(run, rt, {
      action: 'commit',
      detail: `commit ${change.files.join(', ')} as "${message.split('\n')[0]}"`,
      reason: 'Commits ask first (checks.commit: ask).',
    });
    if (answer !== 'approved') {
      run.emit({
        type: 'change.kept',
        files: change.files,
        reason: `Not committed: the commit was ${answer.replace('_', ' ')}.`,
      });
      return null;
    }
  }
  try {
    const sha = await commitChange(rt.root, change, message);
    rt.changes.update(run.id, { commitSha: sha }, rt.clock().toISOString());
    run.emit({ type: 'change.committed', sha, message, files: change.files });
    return sha;
  } catch (error) {
    const reason = error instanceof RalexError ? error.message : String(error);
    run.emit({ type: 'change.kept', files: change.files, reason: `Left uncommitted: ${reason}` });
    return null;
  }
}
