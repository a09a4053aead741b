import type { RalexError } from '../errors.js';
import type { CommandSource, EventBody, RalexEvent } from '../events/events.js';
import type { SpeechEvidence } from './parsed-command.js';

/** What to run: the text as said or typed, where it came from, and how approvals are answered. */
export interface CommandRequest {
  text: string;
  /** Id to give the command (so a caller can follow its events before it starts); generated when absent. */
  commandId?: string;
  /** Session to run in; a new one is made when absent. */
  sessionId?: string;
  source: CommandSource;
  /** Approve every `ask` without asking (`ralex run --yes`). */
  autoApprove?: boolean;
  /** A `provider:model` the request names: used instead of routing (an explicit choice always wins). */
  model?: string;
  /** Cancels the command: stops the model stream and kills running processes. */
  signal?: AbortSignal;
  /** The text was heard, with this certainty (otherwise looked up among Ralex's recent transcripts). */
  speech?: SpeechEvidence;
}

/** One command on its way through the pipeline: its ids, its cancel signal and its event emitter. */
export interface CommandRun {
  id: string;
  sessionId: string;
  text: string;
  source: CommandSource;
  autoApprove: boolean;
  signal: AbortSignal;
  /** Publishes an event scoped to this command's session and id. */
  emit(body: EventBody): RalexEvent;
  /** Stops the command with a reason (the anomaly response pauses a command this way). */
  pause(error: RalexError): void;
}
