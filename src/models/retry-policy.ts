import type { RoutingPreferences } from '../config/models-schema.js';

/** What to do after a failed model call. */
export type FailureAction =
  /** Try the same model again after `waitMs`. */
  | { kind: 'retry'; waitMs: number; reason: string }
  /** Go on to the next candidate. */
  | { kind: 'next'; reason: string }
  /** Give up: the failure is the request's own (bad request, cancelled, over budget). */
  | { kind: 'fail'; reason: string };

/** A failure as seen on the wire: HTTP status (null for network errors), headers, message. */
export interface CallFailure {
  status: number | null;
  headers?: Record<string, string | string[] | undefined>;
  message: string;
  /** A timeout or a dropped connection (no status). */
  transient?: boolean;
}

/** How long `retry-after` / `retry-after-ms` ask to wait, in ms; null when they do not say. */
export function retryAfterMs(headers: CallFailure['headers'], now = Date.now()): number | null {
  const get = (name: string) => {
    const v = headers?.[name] ?? headers?.[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  };
  const ms = Number(get('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && get('retry-after-ms') !== undefined) return ms;
  const raw = get('retry-after');
  if (raw === undefined) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}

/**
 * Decides what follows a failed call: 429, 5xx, 408 and network failures are retried on the same
 * model (after the `retry-after` wait, or exponential backoff) while tries remain and the wait is
 * within `max_retry_wait_ms`, then the next candidate; 401/403/404 (this provider or model will not
 * serve it) go straight to the next candidate; other 4xx fail — the request itself is wrong.
 */
export function onFailure(
  failure: CallFailure,
  attempt: number,
  routing: Pick<RoutingPreferences, 'retries' | 'max_retry_wait_ms'>,
): FailureAction {
  const { status } = failure;
  const what = status === null ? failure.message : `${status}: ${failure.message}`.slice(0, 200);
  const retryable =
    status === null ? failure.transient !== false : status === 429 || status === 408 || status >= 500;
  if (retryable) {
    if (attempt > routing.retries) return { kind: 'next', reason: `${what} (no tries left)` };
    const asked = retryAfterMs(failure.headers);
    const backoff = Math.min(8_000, 250 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
    const waitMs = Math.round(asked ?? backoff);
    if (waitMs > routing.max_retry_wait_ms)
      return { kind: 'next', reason: `${what} (asked to wait ${Math.round(waitMs / 1000)} s)` };
    return { kind: 'retry', waitMs, reason: what };
  }
  if (status === 401 || status === 403 || status === 404) return { kind: 'next', reason: what };
  return { kind: 'fail', reason: what };
}

/** Waits `ms`, or less if the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
