import { z } from 'zod';
import { RalexError } from '../../errors.js';
import { type OpenCodeError, OpenCodeMessageInfoSchema, OpenCodePartSchema } from './opencode-events.js';

/** One entry of `GET /session/{id}/message`. */
export const OpenCodeMessageSchema = z.object({
  info: OpenCodeMessageInfoSchema,
  parts: z.array(OpenCodePartSchema),
});

/** What a finished OpenCode session amounts to. */
export interface OpenCodeSessionSummary {
  text: string;
  finishReason: string;
  inputTokens: number | null;
  outputTokens: number | null;
  /** The error the last assistant message ended with, if any. */
  error: OpenCodeError | null;
}

/**
 * Reads the session's messages: the assistant's visible text (step by step, one line apart), the
 * last finish reason, and the tokens summed over every model call of the run.
 */
export function summarizeOpenCodeSession(messages: unknown): OpenCodeSessionSummary {
  const parsed = z.array(OpenCodeMessageSchema).safeParse(messages);
  if (!parsed.success) {
    throw new RalexError(
      'upstream_error',
      `OpenCode returned session messages Ralex cannot read: ${parsed.error.message.slice(0, 300)}`,
    );
  }
  const assistant = parsed.data.filter((m) => m.info.role === 'assistant');
  const texts = assistant.flatMap((m) =>
    m.parts
      .filter((p) => p.type === 'text' && !p.synthetic && p.text?.trim())
      .map((p) => (p.text ?? '').trim()),
  );
  const last = assistant.at(-1)?.info;
  const withTokens = assistant.filter((m) => m.info.tokens);
  const sum = (pick: (t: { input: number; output: number }) => number) =>
    withTokens.length ? withTokens.reduce((n, m) => n + (m.info.tokens ? pick(m.info.tokens) : 0), 0) : null;
  return {
    text: texts.join('\n'),
    finishReason: last?.finish ?? (last?.error ? 'error' : 'unknown'),
    inputTokens: sum((t) => t.input),
    outputTokens: sum((t) => t.output),
    error: last?.error ?? null,
  };
}

/** Maps an OpenCode error to the RalexError a caller of the built-in engine would get. */
export function openCodeErrorToRalex(error: OpenCodeError): RalexError {
  const message = error.data?.message ?? error.name;
  const status = error.data?.statusCode;
  if (error.name === 'MessageAbortedError') return new RalexError('cancelled', 'The command was cancelled.');
  if (status === 429) {
    return new RalexError('rate_limited', `The model provider answered 429: ${message}`, {
      details: { status, engine: 'opencode' },
      hint: 'The provider is rate limiting; wait a moment and try again.',
    });
  }
  const what =
    error.name === 'APIError'
      ? `The model provider answered ${status ?? 'an error'}`
      : `OpenCode stopped (${error.name})`;
  return new RalexError('upstream_error', `${what}: ${message}`, {
    details: { status, engine: 'opencode', name: error.name },
  });
}
