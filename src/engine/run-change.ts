import type { CheckOutcome } from '../command/command-result.js';
import type { CommandRun } from '../command/command-run.js';
import type { ModelPlan } from '../command/model-plan.js';
import type { ParsedCommand } from '../command/parsed-command.js';
import { RalexError } from '../errors.js';
import { askForCommand } from '../policy/approvals/ask-for-command.js';
import type { Runtime } from '../runtime.js';
import { type AgentTurn, openAgentSession } from './agent-session.js';
import type { Attribution } from './attribution/attribute-changes.js';
import type { RollbackReport } from './attribution/roll-back-writes.js';
import { beginChange, type ChangeStart } from './change-start.js';
import { checkpointRefIntact } from './checkpoint/checkpoint-ref.js';
import { createCheckpoint } from './checkpoint/create-checkpoint.js';
import { pruneCheckpoints } from './checkpoint/prune-checkpoints.js';
import { rolledBackReply, testEditsApproval } from './checks/check-prompts.js';
import { checkpointReader } from './checks/checkpoint-reader.js';
import { findTestEdits, weakensTests } from './checks/test-edits.js';
import type { Verdict } from './checks/verdict.js';
import { commitChange } from './history/change-history.js';
import { commitMessage } from './history/commit-message.js';
import { agentChangeDiff } from './history/tree-patch.js';
import { ralexMessage } from './prompts/fence-data.js';
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
 * A request that may change the project, start to end, holding the repository's change lock
 * (one change at a time; the next waits in a visible queue): checkpoint the whole working tree,
 * take the test baseline, let the agent work with every tool (each call through the policy,
 * each write recorded as the agent's), verify with the project's checks — giving the agent the
 * failure and another attempt while attempts remain — then commit only the agent's own hunks,
 * or roll back only what the agent wrote. Whatever the user changes meanwhile stays theirs: never
 * reverted, never committed as the agent's. Any error or cancellation rolls back too.
 *
 * `start` is the change begun by the pipeline before the model stages (`beginChange`): its
 * checkpoint and baseline run beside them and beside the first model turn; the agent's writes
 * wait for both.
 */
export async function runChange(
  parsed: ParsedCommand,
  run: CommandRun,
  rt: Runtime,
  plan: ModelPlan,
  start: ChangeStart = beginChange(parsed, run, rt),
): Promise<ChangeOutcome> {
  start.claim();
  try {
    return await runStartedChange(parsed, run, rt, plan, start);
  } finally {
    start.release();
  }
}

async function runStartedChange(
  parsed: ParsedCommand,
  run: CommandRun,
  rt: Runtime,
  plan: ModelPlan,
  start: ChangeStart,
): Promise<ChangeOutcome> {
  const prefs = rt.config.preferences;
  // The model is not asked before the lock is ours: a queued change does not read a tree another agent is editing.
  await start.locked;
  const rollback = async (reason: string): Promise<RollbackReport & { refChanged: boolean }> => {
    const { checkpoint, ledger } = await start.checkpointed;
    // Restores come from the trees Ralex recorded; a checkpoint ref that moved is not trusted.
    const refChanged = !(await checkpointRefIntact(rt.root, checkpoint.id, checkpoint.commit));
    const report = await ledger.rollBack();
    rt.changes.update(run.id, { state: 'rolled_back' }, rt.clock().toISOString());
    rt.files.invalidate();
    run.emit({
      type: 'checkpoint.restored',
      checkpointId: checkpoint.id,
      reason: refChanged
        ? `${reason} (the checkpoint ref was changed by something other than Ralex; Ralex used its own record)`
        : reason,
      files: report.restored,
      kept: report.kept,
    });
    return { ...report, refChanged };
  };

  try {
    // Verification (engine/checks/): the baseline, then a check and a verdict after each turn.
    const gate = createToolGate({
      policy: rt.policy,
      ask: (request) => askForCommand(run, rt, request),
      pause: (error) => run.pause(error),
      // OpenCode runs its shell commands itself, outside Ralex's sandbox: each one asks.
      ...(prefs.engine.type === 'opencode'
        ? {
            sandboxed: async () => false,
            unsandboxedReason:
              "OpenCode runs this command itself, outside Ralex's sandbox (with your access to .git, your home and the network).",
          }
        : {}),
    });
    // A fix is told which tests fail before it starts, so its first turn waits for the baseline
    // (usually done by now: it ran beside the context and route stages); any other change does not.
    const early = start.plan?.firstTurnNeedsBaseline ? await start.verification : null;
    const firstPlan = early ? early.firstTurn(plan) : plan;
    const session = openAgentSession({
      rt,
      run,
      plan: firstPlan,
      tools: ALL_TOOLS,
      gate,
      ledger: start.writes,
    });
    let agent: AgentTurn = await session.turn();
    const { checkpoint, ledger } = await start.checkpointed;
    const verification = await start.verification;
    const checks: CheckOutcome[] = verification ? [verification.baseline.outcome] : [];
    let verdict: Verdict | null = null;
    let who: Attribution | null = null;
    let files: string[] = [];
    let inputTokens = 0;
    let outputTokens = 0;
    let followUp: string | undefined;
    for (let attempt = 1; attempt <= prefs.checks.max_attempts; attempt++) {
      if (followUp) agent = await session.turn(followUp);
      inputTokens += agent.inputTokens ?? 0;
      outputTokens += agent.outputTokens ?? 0;
      who = await ledger.attribute();
      files = [...who.agentFiles, ...who.editedAfterAgent].sort();
      if (!files.length || !verification) break;
      const after = await verification.afterTurn(attempt);
      checks.push(after.outcome);
      verdict = after.verdict;
      if (verdict.verified || attempt === prefs.checks.max_attempts) break;
      // Ralex's own words in the conversation, recognisable as such; the output inside is fenced data.
      followUp = ralexMessage(plan.prompt.requestId, after.followUp);
    }
    const usage = { inputTokens, outputTokens };
    const text = agent.text || '(The model gave no answer.)';
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
      const report = await rollback(reason);
      return {
        status: 'failed',
        reply: rolledBackReply(reason, agent.text, rollbackNotes(report)),
        filesChanged: [],
        diff: null,
        checks,
        commit: null,
        ...usage,
      };
    };
    if (verdict && !verdict.verified) {
      const attempts = checks.length - 1;
      return rolledBack(
        `the checks do not verify the change — ${verdict.summary} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
      );
    }
    // A change that edits existing tests, or what runs them, needs the user before it counts as verified.
    const [baseTree, agentTree] = await Promise.all([ledger.baseTree(), ledger.agentTree()]);
    const change = await agentChangeDiff(rt.root, baseTree, agentTree, files);
    const edits = await findTestEdits(change, checkpointReader(rt.root, baseTree, agentTree));
    let testNote = '';
    if (weakensTests(edits)) {
      const changed = [...edits.testFiles, ...edits.runnerFiles].join(', ');
      const answer = await askForCommand(run, rt, testEditsApproval(edits));
      if (answer !== 'approved')
        return rolledBack(
          `the change edits existing tests or how they run (${changed}) and the approval was ${answer === 'denied' ? 'denied' : 'not answered in time'}`,
        );
      testNote = `\n\nThis change edits existing tests or how they run (${changed}); you approved it.`;
    }
    // The change is the step from each file as it was before the agent first wrote it (usually
    // the checkpoint's version; the user's, when they edited it first) to the agent's version.
    const diff = change.patch; // the agent's change as verified
    const after = await createCheckpoint(rt.root, {
      label: `after: ${run.text.slice(0, 120)}`,
      id: `${run.id}-after`,
      now: rt.clock,
      tree: agentTree,
    });
    if (baseTree !== checkpoint.tree) {
      // Keeps the user's in-between edits reachable for undo (they are in no other commit).
      await createCheckpoint(rt.root, {
        label: `base: ${run.text.slice(0, 120)}`,
        id: `${run.id}-base`,
        now: rt.clock,
        tree: baseTree,
      });
    }
    const message = commitMessage(parsed, files, { commandId: run.id, model: plan.selection.model });
    rt.changes.update(
      run.id,
      { beforeTree: baseTree, afterTree: after.tree, files, state: 'applied' },
      rt.clock().toISOString(),
    );
    const commit = await commitIfWanted(
      rt,
      run,
      { beforeTree: baseTree, afterTree: after.tree, files, userFiles: who?.othersFiles ?? [] },
      message,
    );
    rt.files.invalidate();
    const mixed = who?.editedAfterAgent.length
      ? `\n\n(You edited ${who.editedAfterAgent.map((f) => `\`${f}\``).join(', ')} while the agent worked: ${commit ? "the commit has only the agent's version; your edits on top stay uncommitted" : 'your edits are kept'}.)`
      : '';
    return {
      status: 'succeeded',
      reply: `${text}${testNote}${mixed}`,
      filesChanged: files,
      diff,
      checks,
      commit,
      ...usage,
    };
  } catch (error) {
    // Nothing to roll back when the checkpoint was never taken: no agent write could happen without it.
    await start.settle();
    if (
      await start.checkpointed.then(
        () => true,
        () => false,
      )
    )
      await rollback(error instanceof RalexError ? error.message : String(error)).catch(() => undefined);
    throw error;
  } finally {
    await start.settle();
    await start.checkpointed.then(({ ledger }) => ledger.close()).catch(() => undefined);
    // Retention stays bounded (count, age, size): checkpoints of commands still running are kept.
    const keep = [...rt.running.keys()].flatMap((id) => [id, `${id}-after`, `${id}-base`]);
    await pruneCheckpoints(rt.root, { keep }).catch(() => undefined);
  }
}

/** What a rollback left as it was, for the reply: nothing when the project is exactly as before. */
function rollbackNotes(report: RollbackReport & { refChanged: boolean }): string[] {
  const notes: string[] = [];
  const kept = report.kept.filter((k) => k.reason !== 'ignored at the checkpoint');
  if (kept.length)
    notes.push(
      `${kept.map((k) => `\`${k.path}\``).join(', ')} ${kept.length === 1 ? 'was' : 'were'} kept as you left ${kept.length === 1 ? 'it' : 'them'} (changed after the agent wrote ${kept.length === 1 ? 'it' : 'them'}; the earlier version is in the checkpoint).`,
    );
  if (report.untouched.length)
    notes.push(
      `Your own changes meanwhile (${report.untouched.map((f) => `\`${f}\``).join(', ')}) were not touched.`,
    );
  if (report.refChanged)
    notes.push(
      'Warning: the checkpoint ref was changed by something other than Ralex; Ralex ignored it and used its own record.',
    );
  return notes;
}

/** Commits per `checks.commit` (auto | off); a change that cannot be committed alone stays uncommitted, said so. */
async function commitIfWanted(
  rt: Runtime,
  run: CommandRun,
  change: { beforeTree: string; afterTree: string; files: string[]; userFiles: string[] },
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
    run.emit({
      type: 'change.committed',
      sha,
      message,
      files: change.files,
      ...(change.userFiles.length ? { userFiles: change.userFiles } : {}),
    });
    return sha;
  } catch (error) {
    const reason = error instanceof RalexError ? error.message : String(error);
    run.emit({ type: 'change.kept', files: change.files, reason: `Left uncommitted: ${reason}` });
    return null;
  }
}
