import type { CommandOutcome, CommandResult } from '../command/command-result.js';
import type { RalexError } from '../errors.js';

const STATUS_OF_CODE: Partial<Record<string, CommandOutcome>> = {
  cancelled: 'cancelled',
  policy_denied: 'denied',
};

/** The result of a command that ended in an error: the message and its fix as the reply, nothing changed. */
export function failedResult(
  error: RalexError,
  at: {
    commandId: string;
    sessionId: string;
    intent: CommandResult['intent'];
    durationMs: number;
    stages: CommandResult['stages'];
  },
): CommandResult {
  const status = STATUS_OF_CODE[error.code] ?? 'failed';
  return {
    commandId: at.commandId,
    sessionId: at.sessionId,
    status,
    intent: at.intent,
    reply: error.hint ? `${error.message}\n\n${error.hint}` : error.message,
    spoken: status === 'cancelled' ? 'Cancelled.' : `That did not work: ${error.message}`.slice(0, 220),
    files: [],
    filesChanged: [],
    diff: null,
    checks: [],
    commit: null,
    model: null,
    modelReason: null,
    usage: null,
    cost: null,
    durationMs: at.durationMs,
    stages: at.stages,
    error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
  };
}
