import { statSync } from 'node:fs';
import { Counter, Gauge, type Registry } from 'prom-client';
import { checkpointStats } from '../engine/checkpoint/checkpoint-stats.js';
import type { Runtime } from '../runtime.js';
import { createStoreTotals, type Total } from '../stats/store-totals.js';
import { registerModelCallMetrics } from './model-call-metrics.js';

const CHECKPOINTS_CACHE_MS = 60_000;

/**
 * The metrics read from the store at each scrape: commands, errors by code, the model calls
 * (`model-call-metrics.ts`: tokens, cost, upstream errors and latency, budgets) — all-time totals that include every process's commands (`ralex run` in a terminal too)
 * and survive restarts — plus what checkpoints keep and how large the state files are.
 */
export function registerStoreMetrics(registry: Registry, rt: Runtime): void {
  const totals = createStoreTotals(rt.db);
  const fill = (metric: Counter | Gauge, rows: Total[], relabel: (t: Total) => Record<string, string>) => {
    metric.reset();
    for (const row of rows) if (row.value) metric.inc(relabel(row), row.value);
  };
  new Counter({
    name: 'ralex_commands_total',
    help: 'Commands finished, by intent and status (every process on the project, since the store began).',
    labelNames: ['intent', 'status'],
    registers: [registry],
    collect() {
      fill(this, totals.commands(), (t) => t.labels);
    },
  });
  registerModelCallMetrics(registry, rt);
  new Counter({
    name: 'ralex_command_errors_total',
    help: 'Commands that ended with an error, by error code.',
    labelNames: ['code'],
    registers: [registry],
    collect() {
      fill(this, totals.count('errors'), (t) => ({ code: t.labels.label! }));
    },
  });

  let kept: { at: number; count: number; bytes: number } | null = null;
  const checkpoints = async () => {
    if (!kept || Date.now() - kept.at > CHECKPOINTS_CACHE_MS) {
      const s = await checkpointStats(rt.root).catch(() => null);
      kept = { at: Date.now(), count: s?.count ?? 0, bytes: s?.approxBytes ?? 0 };
    }
    return kept;
  };
  new Gauge({
    name: 'ralex_checkpoints',
    help: 'Checkpoints kept (refs/ralex/checkpoints).',
    registers: [registry],
    async collect() {
      this.set((await checkpoints()).count);
    },
  });
  new Gauge({
    name: 'ralex_checkpoint_bytes',
    help: 'Content the kept checkpoints add beyond the project history (an upper bound), in bytes.',
    registers: [registry],
    async collect() {
      this.set((await checkpoints()).bytes);
    },
  });
  new Gauge({
    name: 'ralex_state_bytes',
    help: 'Size of Ralex state files: the SQLite database and its write-ahead log.',
    labelNames: ['file'],
    registers: [registry],
    collect() {
      for (const [file, path] of [
        ['database', rt.paths.database],
        ['wal', `${rt.paths.database}-wal`],
      ] as const)
        this.set({ file }, statSync(path, { throwIfNoEntry: false })?.size ?? 0);
    },
  });
}
