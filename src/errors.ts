/**
 * Ralex's one error type. Every error that crosses a boundary (HTTP, WebSocket, CLI --json)
 * carries a stable `code`; `server/http-errors.ts` is the one place that maps codes to
 * HTTP statuses and wire shapes.
 */

/** Stable error codes. Clients and tests match on these, never on messages. */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_config'
  | 'not_a_git_repository'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'model_not_found'
  | 'no_model_configured'
  | 'payload_too_large'
  | 'rate_limited'
  | 'budget_exceeded'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'policy_denied'
  | 'approval_timeout'
  | 'cancelled'
  | 'timeout'
  | 'conflict'
  | 'busy'
  | 'internal_error';

/** Base error: a code, a message a person understands, optional details and a fix hint. */
export class RalexError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  /** What the user can do about it, in one sentence. */
  readonly hint?: string;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RalexError';
    this.code = code;
    this.details = options.details;
    this.hint = options.hint;
  }

  /** The wire shape: stable code, message, hint and details. */
  toJSON(): { code: ErrorCode; message: string; hint?: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** Wraps anything thrown into a RalexError, keeping the original as the cause. */
export function toRalexError(error: unknown): RalexError {
  if (error instanceof RalexError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RalexError('internal_error', message, { cause: error });
}
