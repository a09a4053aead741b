import type { CommandResult } from '../../command/command-result.js';
import { RalexError } from '../../errors.js';
import type { EventOf } from '../../events/events.js';

/** How a ralex-agent response ends: the commands it followed finished, or one waits for an approval. */
export type Ending =
  | { kind: 'finished'; results: CommandResult[] }
  | { kind: 'approval'; event: EventOf<'approval.requested'> };

/** A chat that ran nothing and has no model to answer it: say both, and what to do. */
export function notAnswerable(error: unknown, why: string): unknown {
  if (!(error instanceof RalexError) || error.code !== 'no_model_configured') return error;
  return new RalexError(
    'no_model_configured',
    `Ralex did not run this as a command (${why}), and no model is configured to answer it as a chat.`,
    {
      hint: `Say a command for the project ("run the tests", "what changed", or a change ending in "execute"), or configure a model: ${error.hint ?? error.message}`,
    },
  );
}

/** A chat client shows no model panel: when Ralex picked the model itself, the answer says so. */
export function replyWithModelNote(result: CommandResult): string {
  return result.modelReason?.startsWith('No default')
    ? `${result.reply}\n\n_${result.modelReason}_`
    : result.reply;
}

/** The question a chat gets while a command waits for an approval, with the approval's id. */
export function approvalQuestion(event: EventOf<'approval.requested'>): string {
  const until = new Date(event.expiresAt).toISOString().slice(11, 19);
  return `Waiting for your approval: ${event.detail}\n${event.reason}\n\nReply "confirm" to go ahead or "deny" to stop (from another conversation: "confirm ${event.approvalId}"). With no answer it is denied at ${until} UTC.`;
}

/** The answer as one JSON object, for `response_format: json_object`. */
export function resultJson(end: Ending, finished: CommandResult[], text: string) {
  if (end.kind === 'approval') {
    return {
      status: 'waiting_for_approval',
      approval_id: end.event.approvalId,
      detail: end.event.detail,
      reason: end.event.reason,
      reply: text,
    };
  }
  const last = finished.at(-1);
  return { ...(last ? resultSummary(last) : {}), reply: text };
}

/** The command result as it appears in `message.ralex`. */
export function resultSummary(result: CommandResult) {
  return {
    command_id: result.commandId,
    session_id: result.sessionId,
    status: result.status,
    intent: result.intent,
    files_changed: result.filesChanged,
    commit: result.commit,
    model: result.model,
    /** USD of the command's model calls (null while a price is unknown). */
    cost: result.cost,
    ...(result.costEstimated ? { cost_estimated: true } : {}),
    spoken: result.spoken,
    ...(result.error ? { error: result.error } : {}),
  };
}
