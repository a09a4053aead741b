import { z } from 'zod';

/**
 * The subset of OpenCode's server events (`GET /event`, opencode 1.18) the engine reads, as
 * zod schemas. Unknown event types and unknown fields are ignored, so a newer OpenCode that adds
 * events does not break the adapter.
 */

const Json = z.record(z.string(), z.unknown());

/** A tool call's state: pending → running → completed | error. */
export const OpenCodeToolStateSchema = z.object({
  status: z.enum(['pending', 'running', 'completed', 'error']),
  input: Json.optional(),
  output: z.string().optional(),
  error: z.string().optional(),
  title: z.string().optional(),
  metadata: Json.optional(),
  time: z.object({ start: z.number(), end: z.number().optional() }).optional(),
});

/** A message part: text, reasoning, tool, step-start, step-finish, … */
export const OpenCodePartSchema = z.object({
  id: z.string(),
  sessionID: z.string(),
  messageID: z.string(),
  type: z.string(),
  text: z.string().optional(),
  synthetic: z.boolean().optional(),
  time: z.object({ start: z.number().optional(), end: z.number().optional() }).optional(),
  tool: z.string().optional(),
  callID: z.string().optional(),
  state: OpenCodeToolStateSchema.optional(),
});
/** A message part. */
export type OpenCodePart = z.infer<typeof OpenCodePartSchema>;

/** An error OpenCode attaches to a message or a session (`APIError`, `MessageAbortedError`, …). */
export const OpenCodeErrorSchema = z.object({
  name: z.string(),
  data: z.object({ message: z.string().optional(), statusCode: z.number().optional() }).loose().optional(),
});
/** An error OpenCode reports. */
export type OpenCodeError = z.infer<typeof OpenCodeErrorSchema>;

/** A message's metadata: role, finish reason, tokens, error. */
export const OpenCodeMessageInfoSchema = z.object({
  id: z.string(),
  sessionID: z.string(),
  role: z.enum(['user', 'assistant']),
  finish: z.string().optional(),
  error: OpenCodeErrorSchema.optional(),
  tokens: z.object({ input: z.number(), output: z.number() }).loose().optional(),
});
/** A message's metadata. */
export type OpenCodeMessageInfo = z.infer<typeof OpenCodeMessageInfoSchema>;

/** A permission request: OpenCode waits until it gets `once`, `always` or `reject`. */
export const OpenCodePermissionRequestSchema = z.object({
  id: z.string(),
  sessionID: z.string(),
  /** `edit` (write/edit/patch), `bash`, `webfetch`, `external_directory`, `doom_loop`, `task`, … */
  permission: z.string(),
  patterns: z.array(z.string()),
  metadata: Json,
  always: z.array(z.string()).optional(),
  tool: z.object({ messageID: z.string(), callID: z.string() }).optional(),
});
/** A permission request. */
export type OpenCodePermissionRequest = z.infer<typeof OpenCodePermissionRequestSchema>;

const SessionInfoSchema = z.object({ id: z.string(), parentID: z.string().optional() });

const event = <T extends string, S extends z.ZodType>(type: T, properties: S) =>
  z.object({ type: z.literal(type), properties });

/** The OpenCode events the engine acts on. */
export const OpenCodeEventSchema = z.discriminatedUnion('type', [
  event('message.part.updated', z.object({ sessionID: z.string(), part: OpenCodePartSchema })),
  event(
    'message.part.delta',
    z.object({
      sessionID: z.string(),
      messageID: z.string(),
      partID: z.string(),
      field: z.string(),
      delta: z.string(),
    }),
  ),
  event('message.updated', z.object({ sessionID: z.string(), info: OpenCodeMessageInfoSchema })),
  event('permission.asked', OpenCodePermissionRequestSchema),
  event('session.status', z.object({ sessionID: z.string(), status: z.object({ type: z.string() }) })),
  event('session.idle', z.object({ sessionID: z.string() })),
  event(
    'session.error',
    z.object({ sessionID: z.string().optional(), error: OpenCodeErrorSchema.optional() }),
  ),
  event('session.created', z.object({ info: SessionInfoSchema })),
  event('session.updated', z.object({ info: SessionInfoSchema })),
]);
/** An OpenCode event the engine acts on. */
export type OpenCodeEvent = z.infer<typeof OpenCodeEventSchema>;

/** Parses one event from the stream; null for event types the engine does not use or shapes it does not know. */
export function parseOpenCodeEvent(raw: unknown): OpenCodeEvent | null {
  const parsed = OpenCodeEventSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
