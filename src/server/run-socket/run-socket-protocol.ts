import { z } from 'zod';

/**
 * The messages of `ralex serve`'s command socket (`.ralex/state/run.sock`), one JSON object per
 * line. The client opens with `run` (carrying the server's token); the server answers with the
 * command's events, then one `result` (or `refused` / `error`) and closes. A client may open with
 * `context` instead (`ralex context`): the answer is one `context` message (or `refused` / `error`). While the command
 * runs the client may answer its approvals and cancel it. Contract: docs/run-socket.md.
 */

/** Longest line either side accepts; a longer one closes the connection. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** The first message: the token and the command, as `ralex run` was given it. */
export const RunMessageSchema = z.object({
  type: z.literal('run'),
  token: z.string().max(1024),
  text: z.string().min(1).max(100_000),
  sessionId: z.string().max(200).optional(),
  model: z.string().max(300).optional(),
  autoApprove: z.boolean().optional(),
});

/** Instead of `run`: the context package the pipeline would send with `text` (`ralex context`); no model is called. */
export const ContextMessageSchema = z.object({
  type: z.literal('context'),
  token: z.string().max(1024),
  text: z.string().min(1).max(100_000),
  budget: z.number().int().min(100).max(10_000_000).optional(),
  sessionId: z.string().max(200).optional(),
});

/** An answer to an approval of the running command. */
export const ApprovalMessageSchema = z.object({
  type: z.literal('approval'),
  approvalId: z.string().max(200),
  approve: z.boolean(),
});

/** Stops the running command (Ctrl-C in the client). */
export const CancelMessageSchema = z.object({ type: z.literal('cancel') });

/** Any message a client sends. */
export const ClientMessageSchema = z.discriminatedUnion('type', [
  RunMessageSchema,
  ContextMessageSchema,
  ApprovalMessageSchema,
  CancelMessageSchema,
]);
/** Any message a client sends. */
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/** Why the server refused a connection before running anything. */
export const REFUSAL_CODES = ['unauthorized', 'bad_request'] as const;
