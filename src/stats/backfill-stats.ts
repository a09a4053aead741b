import type { RalexEvent } from '../events/events.js';
import type { EventLog } from '../store/event-log.js';
import { createStatsRecorder } from './record-stats.js';
import type { StatsStore } from './stats-store.js';

/** Meta keys: events up to `live_from` were stored before statistics existed; `backfill_cursor` is how far they were counted. */
const LIVE_FROM = 'live_from';
const CURSOR = 'backfill_cursor';

/**
 * Marks where live counting starts: the first process that opens a store with the statistics
 * tables notes the last event id, and every event after it is counted by the process that
 * publishes it. Events before it are counted once by `backfillStats`.
 */
export function markLiveFrom(stats: StatsStore, log: EventLog): void {
  if (stats.meta(LIVE_FROM) === null) stats.setMeta(LIVE_FROM, String(log.lastId()));
}

/** How far the backfill is. */
export interface BackfillProgress {
  done: boolean;
  /** Events counted so far, out of `through`. */
  cursor: number;
  through: number;
}

/** Counts the events stored before statistics existed, a batch at a time. */
export interface Backfill {
  /**
   * Counts one batch and moves the cursor in the same transaction (a crash repeats nothing).
   * Call until `done`.
   */
  step(batchSize?: number): BackfillProgress;
}

/** Creates the backfill of a store's older events. */
export function createBackfill(stats: StatsStore, log: EventLog): Backfill {
  const recorder = createStatsRecorder(stats);
  return { step: (batchSize = 2_000) => backfillBatch(stats, log, recorder, batchSize) };
}

function backfillBatch(
  stats: StatsStore,
  log: EventLog,
  recorder: ReturnType<typeof createStatsRecorder>,
  batchSize: number,
): BackfillProgress {
  const through = Number(stats.meta(LIVE_FROM) ?? 0);
  const cursor = Number(stats.meta(CURSOR) ?? 0);
  if (cursor >= through) return { done: true, cursor, through };
  let last = cursor;
  stats.batch(() => {
    const events: RalexEvent[] = log.read({ afterId: cursor, limit: batchSize });
    for (const event of events) {
      if (event.id > through) break;
      recorder.record(event);
      last = event.id;
    }
    if (events.length === 0 || last === cursor) last = through;
    stats.setMeta(CURSOR, String(last));
  });
  return { done: last >= through, cursor: last, through };
}
