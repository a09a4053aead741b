import type { Db } from '../store/database.js';

/** One labelled total. */
export interface Total {
  labels: Record<string, string>;
  value: number;
}

/**
 * All-time totals from the daily statistics, for `/metrics`: counters that include every
 * process's commands (a `ralex run` in a terminal too) and survive restarts.
 */
export interface StoreTotals {
  commands(): Total[];
  /** A count metric's totals by label (`tokens_in` by model, `errors` by code, …). */
  count(metric: string): Total[];
  /** Histogram counts of the latency series starting with `prefix`, by series and bucket. */
  latency(prefix: string): { series: string; bucket: number; n: number }[];
}

/** Opens the totals queries over a store. */
export function createStoreTotals(db: Db): StoreTotals {
  const commands = db.prepare(
    "SELECT intent, status, SUM(n) AS value FROM stat_commands WHERE grain = 'day' GROUP BY intent, status",
  );
  const counts = db.prepare(
    "SELECT label, SUM(value) AS value FROM stat_counts WHERE grain = 'day' AND metric = ? GROUP BY label",
  );
  const latency = db.prepare(
    "SELECT series, bucket, SUM(n) AS n FROM stat_latency WHERE grain = 'day' AND series >= ? AND series < ? GROUP BY series, bucket",
  );
  return {
    latency: (prefix) =>
      latency.all(prefix, `${prefix}\uffff`) as { series: string; bucket: number; n: number }[],
    commands: () =>
      (commands.all() as { intent: string; status: string; value: number }[]).map((r) => ({
        labels: { intent: r.intent, status: r.status },
        value: r.value,
      })),
    count: (metric) =>
      (counts.all(metric) as { label: string; value: number }[]).map((r) => ({
        labels: { label: r.label },
        value: r.value,
      })),
  };
}
