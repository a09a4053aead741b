import { z } from 'zod';

/** How a component is doing: working, working with less, or not working. */
export const HealthStateSchema = z.enum(['ok', 'degraded', 'down']);
/** How a component is doing. */
export type HealthState = z.infer<typeof HealthStateSchema>;

/** One component of Ralex as `GET /health` reports it. */
export const ComponentHealthSchema = z.object({
  state: HealthStateSchema,
  /** What was found, in words (names no secret). */
  detail: z.string(),
  /** When it entered this state (ISO). */
  since: z.string(),
  /** When it was last checked (ISO); null before the first check. */
  checkedAt: z.string().nullable(),
  /** The last failure seen, even after recovery, and when. */
  lastError: z.object({ message: z.string(), at: z.string() }).nullable(),
  /** How long the last probe took, for probes that call out (providers, the remote). */
  latencyMs: z.number().optional(),
});
/** One component's health. */
export type ComponentHealth = z.infer<typeof ComponentHealthSchema>;

/** What a probe found. */
export interface ProbeResult {
  state: HealthState;
  detail: string;
  /** The failure, when not ok. */
  error?: string;
  latencyMs?: number;
}

/** Keeps each component's current state, when it started, and the last failure. */
export interface HealthBoard {
  /** Records a probe's result for a component at `at`. */
  set(name: string, result: ProbeResult, at: Date): void;
  /** Forgets a component (a provider no longer configured). */
  drop(name: string): void;
  snapshot(): Record<string, ComponentHealth>;
}

/** Creates an empty board; `startedAt` is the `since` of a state never seen to change. */
export function createHealthBoard(): HealthBoard {
  const components = new Map<string, ComponentHealth>();
  return {
    set(name, result, at) {
      const now = at.toISOString();
      const before = components.get(name);
      const failed = result.state !== 'ok' ? (result.error ?? result.detail) : null;
      components.set(name, {
        state: result.state,
        detail: result.detail,
        since: before && before.state === result.state ? before.since : now,
        checkedAt: now,
        lastError: failed ? { message: failed, at: now } : (before?.lastError ?? null),
        ...(result.latencyMs !== undefined ? { latencyMs: Math.round(result.latencyMs) } : {}),
      });
    },
    drop(name) {
      components.delete(name);
    },
    snapshot: () => Object.fromEntries(components),
  };
}

/** The whole: down when the store is, degraded when anything else is not ok. */
export function overallState(components: Record<string, ComponentHealth>): HealthState {
  if (components.store?.state === 'down') return 'down';
  return Object.values(components).some((c) => c.state !== 'ok') ? 'degraded' : 'ok';
}
