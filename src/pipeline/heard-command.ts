import type { CommandRequest, CommandRun } from '../command/command-run.js';
import type { ParsedCommand } from '../command/parsed-command.js';
import { RalexError } from '../errors.js';
import { askForCommand } from '../policy/approvals/ask-for-command.js';
import type { Runtime } from '../runtime.js';
import { heardSpeech } from '../voice/heard-speech.js';
import { checkHeard } from './parse/heard-check.js';
import { parseCommand } from './parse/parse-command.js';

/**
 * The parse stage of one request: its text parsed and, when Ralex's recogniser heard it (the
 * request says so, or the text is a transcript it just produced), how sure it was and whether
 * to ask back before acting (`heardCheck`).
 */
export async function parseRequest(
  request: Pick<CommandRequest, 'text' | 'speech' | 'source'>,
  run: Pick<CommandRun, 'sessionId'>,
  rt: Pick<Runtime, 'fileNames' | 'approvals'>,
): Promise<ParsedCommand> {
  const parsed = parseCommand(request.text, { matcher: await rt.fileNames.matcher() });
  // A workflow's steps and the terminal's `ralex run` are typed, whatever they say.
  const typed = request.source === 'workflow' || request.source === 'cli';
  const speech = request.speech ?? (typed ? undefined : heardSpeech(rt).take(request.text));
  if (!speech) return parsed;
  const approvalWaiting = rt.approvals.pending(run.sessionId).length > 0;
  const heardCheck = checkHeard(parsed, speech, { approvalWaiting });
  return { ...parsed, speech, ...(heardCheck ? { heardCheck } : {}) };
}

/**
 * Never act on a guess: asks the question of `parsed.heardCheck` as an approval (answered by
 * voice — "yes" / "no" — typed, or in the web app) and goes on only on a yes. Anything else
 * ends the command, nothing done.
 */
export async function confirmHeard(
  parsed: ParsedCommand,
  run: Pick<CommandRun, 'id' | 'sessionId' | 'autoApprove' | 'signal'>,
  rt: Pick<Runtime, 'approvals' | 'config'>,
): Promise<void> {
  const check = parsed.heardCheck;
  if (!check) return;
  // `--yes` approves what Ralex may do, not what it heard: the question is always asked.
  const answer = await askForCommand({ ...run, autoApprove: false }, rt, {
    action: `heard:${parsed.intent}`,
    detail: check.question,
    reason: check.reason,
  });
  if (answer === 'approved') return;
  throw new RalexError(
    'cancelled',
    answer === 'timed_out'
      ? `Not done: nobody answered "${check.question}"`
      : `Not done: the answer to "${check.question}" was no.`,
    { hint: 'Say it again, or type it.' },
  );
}
