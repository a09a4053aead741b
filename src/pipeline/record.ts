import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandRun } from '../command/command-run.js';
import type { ParsedCommand } from '../command/parsed-command.js';
import { gitExec } from '../git/git-exec.js';
import { learnFromChange, learnFromEdits, reconcileOutcomes } from '../models/learn-from-changes.js';
import { taskTypeOf } from '../models/task-type.js';
import type { Runtime } from '../runtime.js';
import type { ChangeRecord } from '../store/changes.js';
import type { ExecutionOutcome } from './execute.js';

/**
 * The record stage: the session's markdown log in `.ralex/sessions/` gets the request and a
 * short account of the outcome (the store already holds every event); a change's outcome teaches
 * the router (verified or rolled back, and changes undone or redone since), exported to
 * `.ralex/cache/model_performance.json`. Every model call is already in the ledger.
 */
export async function record(
  parsed: ParsedCommand,
  outcome: ExecutionOutcome,
  run: CommandRun,
  rt: Runtime,
): Promise<string> {
  await learnOutcome(parsed, outcome, run, rt);
  const session = rt.sessions.get(run.sessionId);
  const file = join(
    rt.paths.sessionsDir,
    `${(session?.createdAt ?? rt.clock().toISOString()).slice(0, 10)}-${run.sessionId}.md`,
  );
  await mkdir(rt.paths.sessionsDir, { recursive: true });
  const when = rt.clock().toISOString();
  const head = rt.audit.head();
  const reply = outcome.reply.length > 1_500 ? `${outcome.reply.slice(0, 1_500)}\n…` : outcome.reply;
  const entry = [
    `## ${when} — ${parsed.intent}${outcome.model ? ` (${outcome.model})` : ''}`,
    '',
    `> ${run.text.replace(/\n/g, '\n> ')}`,
    '',
    reply,
    '',
    // The chain's head, so a later rewrite or an older copy of the database shows (`ralex audit verify`).
    ...(head ? [rt.audit.headLine(head), ''] : []),
    '',
  ].join('\n');
  await appendFile(file, entry, 'utf8');
  return file.slice(rt.root.length + 1);
}

/** Intents whose outcome the router learns from, and the ones that revise what it learned. */
const CHANGE_INTENTS = new Set(['fix_bug', 'implement', 'refactor', 'test']);
const REVISING_INTENTS = new Set(['undo', 'redo']);

async function learnOutcome(
  parsed: ParsedCommand,
  outcome: ExecutionOutcome,
  run: CommandRun,
  rt: Runtime,
): Promise<void> {
  const now = rt.clock().toISOString();
  try {
    // The user editing lines a recent change wrote, by the time of their next command, is a signal too.
    let learned = await learnFromEdits(
      rt.models.stats,
      rt.changes.list({ state: 'applied', limit: 5 }),
      rt.clock(),
      (change) => editsSince(rt.root, change),
    );
    if (!CHANGE_INTENTS.has(parsed.intent) && !REVISING_INTENTS.has(parsed.intent)) {
      if (learned) rt.models.exportStats();
      return;
    }
    const change = CHANGE_INTENTS.has(parsed.intent) ? rt.changes.byCommand(run.id) : null;
    if (change && outcome.model) {
      const task = taskTypeOf(parsed.intent, parsed.complexity).key;
      if (
        learnFromChange(
          rt.models.stats,
          { change, model: outcome.model, task, failed: outcome.status === 'failed' },
          now,
        )
      )
        learned++;
    }
    learned += reconcileOutcomes(rt.models.stats, rt.changes.list({ limit: 50 }), now);
    if (learned) rt.models.exportStats();
  } catch (error) {
    // Learning is never worth failing a command for.
    console.error('ralex: could not record the model outcome:', (error as Error).message);
  }
}

/** The agent's diff of a change and the user's edits of the same files since (work tree against the change's result). */
async function editsSince(root: string, change: ChangeRecord): Promise<{ agent: string; user: string }> {
  const files = ['--', ...change.files];
  const flags = ['diff', '-U0', '--no-color', '--no-ext-diff', '--no-textconv'];
  const [agent, user] = await Promise.all([
    gitExec(root, [...flags, change.beforeTree, change.afterTree as string, ...files]),
    gitExec(root, [...flags, change.afterTree as string, ...files]),
  ]);
  return { agent, user };
}
