import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runtime } from '../runtime.js';
import type { CommandRun } from './command-run.js';
import type { ExecutionOutcome } from './execute.js';
import type { ParsedCommand } from './parsed-command.js';

/**
 * The record stage: the session's markdown log in `.ralex/sessions/` gets the request and a
 * short account of the outcome (the store already holds every event). Later: checks, commit or
 * rollback, the cost ledger, memory and patterns.
 */
export async function record(
  parsed: ParsedCommand,
  outcome: ExecutionOutcome,
  run: CommandRun,
  rt: Runtime,
): Promise<string> {
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
