import { RalexError } from '../errors.js';

/** Why a run was stopped: the reason given to abort() when it is a RalexError (a pause), else a plain cancel. */
export function abortError(signal: AbortSignal): RalexError {
  return signal.reason instanceof RalexError
    ? signal.reason
    : new RalexError('cancelled', 'The command was cancelled.');
}
