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
import { rolledBackReply, testEditsApproval } from './checks/check-prompts.js';
import { checkpointReader } from './checks/checkpoint-reader.js';
import { findTestEdits, weakensTests } from './checks/test-edits.js';
import type { Verdict } from './checks/verdict.js';
import { startVerification } from './checks/verify-change.js';
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
    // Verification (engine/checks/): the baseline, then a check and a verdict after each turn.
    const verification = await startVerification({
      parsed,
      root: rt.root,
      checks: prefs.checks,
      signal: run.signal,
      emit: run.emit,
    });
    const gate = createToolGate({
      policy: rt.policy,
      ask: (request) => askForCommand(run, rt, request),
      pause: (error) => run.pause(error),
    });
    const firstPlan = verification ? verification.firstTurn(plan) : plan;
    const session = openAgentSession({ rt, run, plan: firstPlan, tools: ALL_TOOLS, gate });
    const checks: CheckOutcome[] = verification ? [verification.baseline.outcome] : [];
    let agent: AgentTurn | null = null;
    let verdict: Verdict | null = null;
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
      if (!files.length || !verification) break;
      const after = await verification.afterTurn(attempt);
      checks.push(after.outcome);
      verdict = after.verdict;
      if (verdict.verified || attempt === prefs.checks.max_attempts) break;
      followUp = after.followUp;
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
    const rolledBack = async (reason: string): Promise<ChangeOutcome> => {
      await rollback(reason);
      const reply = rolledBackReply(reason, agent?.text);
      return { status: 'failed', reply, filesChanged: [], diff: null, checks, commit: null, ...usage };
    };
    if (verdict && !verdict.verified) {
      const attempts = checks.length - 1;
      return rolledBack(
        `the checks do not verify the change — ${verdict.summary} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
      );
    }
    // A change that edits existing tests, or what runs them, needs the user before it counts as verified.
    const edits = change ? await findTestEdits(change, checkpointReader(rt.root, checkpoint.tree)) : null;
    let testNote = '';
    if (edits && weakensTests(edits)) {
      const changed = [...edits.testFiles, ...edits.runnerFiles].join(', ');
      const answer = await askForCommand(run, rt, testEditsApproval(edits));
      if (answer !== 'approved')
        return rolledBack(
          `the change edits existing tests or how they run (${changed}) and the approval was ${answer === 'denied' ? 'denied' : 'not answered in time'}`,
        );
      testNote = `\n\nThis change edits existing tests or how they run (${changed}); you approved it.`;
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
    return {
      status: 'succeeded',
      reply: `${text}${testNote}`,
      filesChanged: files,
      diff,
      checks,
      commit,
      ...usage,
    };
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
