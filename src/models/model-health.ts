import type { RoutingPreferences } from '../config/models-schema.js';

/** Which models failed lately: a model failing `cooldown_after` times in a row rests for `cooldown_ms`. */
export interface ModelHealth {
  /** A call to the model failed with a retryable error (429, 5xx, timeout, dropped). */
  failed(model: string): void;
  /** A call to the model succeeded: its failures are forgotten. */
  succeeded(model: string): void;
  /** Milliseconds the model still rests (0 when it does not). */
  coolingMs(model: string): number;
}

/** Creates the in-process health record (each Ralex process learns it on its own). */
export function createModelHealth(
  routing: Pick<RoutingPreferences, 'cooldown_after' | 'cooldown_ms'>,
  now: () => number = Date.now,
): ModelHealth {
  const failures = new Map<string, number>();
  const until = new Map<string, number>();
  return {
    failed(model) {
      const n = (failures.get(model) ?? 0) + 1;
      failures.set(model, n);
      if (n >= routing.cooldown_after) {
        until.set(model, now() + routing.cooldown_ms);
        failures.set(model, 0);
      }
    },
    succeeded(model) {
      failures.delete(model);
      until.delete(model);
    },
    coolingMs(model) {
      const end = until.get(model);
      if (end === undefined) return 0;
      const left = end - now();
      if (left <= 0) until.delete(model);
      return Math.max(0, left);
    },
  };
}
