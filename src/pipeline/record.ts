import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { learnFromChange, reconcileOutcomes } from '../models/learn-from-changes.js';
import { taskTypeOf } from '../models/task-type.js';
import type { Runtime } from '../runtime.js';
import type { CommandRun } from './command-run.js';
import type { ExecutionOutcome } from './execute.js';
import type { ParsedCommand } from './parsed-command.js';

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
  learnOutcome(parsed, outcome, run, rt);
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

function learnOutcome(parsed: ParsedCommand, outcome: ExecutionOutcome, run: CommandRun, rt: Runtime): void {
  if (!CHANGE_INTENTS.has(parsed.intent) && !REVISING_INTENTS.has(parsed.intent)) return;
  const now = rt.clock().toISOString();
  try {
    let learned = 0;
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
