import type { Db } from '../store/database.js';
import { latencyBucket } from './latency-buckets.js';

/** Rollups are kept twice: by UTC hour (`2026-12-01T14`) and by UTC day (`2026-12-01`). */
export type Grain = 'hour' | 'day';

/** The periods an ISO time falls in, one per grain. */
export function periodsOf(iso: string): Record<Grain, string> {
  return { hour: iso.slice(0, 13), day: iso.slice(0, 10) };
}

/** What the rollups count besides commands and durations (each with a free-form label). */
export type CountMetric =
  | 'model_commands'
  | 'tokens_in'
  | 'tokens_out'
  | 'cost_usd'
  | 'errors'
  | 'failures'
  | 'tool_calls'
  | 'approvals'
  | 'approval_wait_ms'
  | 'approval_waits'
  | 'checkpoints'
  | 'checks'
  | 'queued'
  | 'asks_back'
  | 'corrections'
  | 'unresolved_mentions'
  | 'calls'
  | 'call_errors'
  | 'call_tokens_in'
  | 'call_tokens_out'
  | 'call_cost_usd'
  | 'call_priced'
  | 'upstream_calls'
  | 'upstream_errors';

/** One finished command, as the rollups count it. */
export interface CommandFact {
  at: string;
  intent: string;
  status: string;
  source: string;
  durationMs: number;
}

/**
 * The statistics tables (`stat_*`): commands by intent, outcome and source, durations as
 * histograms, and labelled counts, each summed per hour and per day. Writes are upserts, so
 * every Ralex process on the project (a `ralex serve`, a `ralex run` in a terminal) adds to the
 * same rows; reads add rows up over a range.
 */
export interface StatsStore {
  /** Counts a finished command. */
  command(fact: CommandFact): void;
  /** Counts one duration of a series (a stage name, or `command`); `n` durations in the same bucket. */
  latency(at: string, series: string, ms: number, n?: number): void;
  /** Adds `value` to a labelled count. */
  count(at: string, metric: CountMetric, label: string, value?: number): void;
  /** Runs writes in one transaction (one event's worth). */
  batch(work: () => void): void;
  /** A value kept beside the rollups (backfill progress). */
  meta(key: string): string | null;
  setMeta(key: string, value: string): void;
  readonly db: Db;
}

/** Opens the statistics tables of a store. */
export function createStatsStore(db: Db): StatsStore {
  const upCommand = db.prepare(
    `INSERT INTO stat_commands (grain, period, intent, status, source, n, duration_ms) VALUES (?, ?, ?, ?, ?, 1, ?)
     ON CONFLICT DO UPDATE SET n = n + 1, duration_ms = duration_ms + excluded.duration_ms`,
  );
  const upLatency = db.prepare(
    `INSERT INTO stat_latency (grain, period, series, bucket, n) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET n = n + excluded.n`,
  );
  const upCount = db.prepare(
    `INSERT INTO stat_counts (grain, period, metric, label, value) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET value = value + excluded.value`,
  );
  const getMeta = db.prepare('SELECT value FROM stat_meta WHERE key = ?');
  const putMeta = db.prepare(
    'INSERT INTO stat_meta (key, value) VALUES (?, ?) ON CONFLICT DO UPDATE SET value = excluded.value',
  );
  const each = (iso: string, write: (grain: Grain, period: string) => void) => {
    const p = periodsOf(iso);
    write('hour', p.hour);
    write('day', p.day);
  };
  const batch = db.transaction((work: () => void) => work());
  return {
    db,
    command(f) {
      each(f.at, (g, p) => upCommand.run(g, p, f.intent, f.status, f.source, f.durationMs));
    },
    latency(at, series, ms, n = 1) {
      const bucket = latencyBucket(ms);
      each(at, (g, p) => upLatency.run(g, p, series, bucket, n));
    },
    count(at, metric, label, value = 1) {
      if (!Number.isFinite(value) || value === 0) return;
      each(at, (g, p) => upCount.run(g, p, metric, label, value));
    },
    batch(work) {
      if (db.inTransaction) work();
      else batch.immediate(work);
    },
    meta(key) {
      return (getMeta.get(key) as { value: string } | undefined)?.value ?? null;
    },
    setMeta(key, value) {
      putMeta.run(key, value);
    },
  };
}
