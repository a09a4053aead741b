import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from '../store/database.js';

/** What became of a change a model made, as far as learning is concerned. */
export type ChangeOutcomeKind = 'verified' | 'rolled_back' | 'undone' | 'edited';

/** How much each outcome counts as a success (the rest counts as a failure). */
const SCORE: Record<ChangeOutcomeKind, number> = { verified: 1, rolled_back: 0, undone: 0, edited: 0.5 };

/** How long a read of the statistics is reused. */
const CACHE_MS = 1000;

/** Learned successes and failures of one model on one task type. */
export interface TaskStats {
  model: string;
  task: string;
  successes: number;
  failures: number;
}

/** The Beta posterior of a success rate, started from a prior of `strength` pseudo-observations at `prior`. */
export interface Posterior {
  mean: number;
  sd: number;
  /** Observations behind it (successes + failures). */
  n: number;
}

/** Beta(prior·k + s, (1−prior)·k + f): its mean and standard deviation. */
export function posterior(
  prior: number,
  stats: Pick<TaskStats, 'successes' | 'failures'> | undefined,
  strength = 4,
): Posterior {
  const s = stats?.successes ?? 0;
  const f = stats?.failures ?? 0;
  const a = Math.max(1e-3, prior * strength) + s;
  const b = Math.max(1e-3, (1 - prior) * strength) + f;
  const mean = a / (a + b);
  const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
  return { mean, sd, n: s + f };
}

/** Per model × task type statistics, learned from change outcomes, kept in the store. */
export interface PerformanceStats {
  /** Records (or revises) the outcome of one change; the statistics move by the difference. */
  record(o: {
    changeId: string;
    commandId: string;
    model: string;
    task: string;
    outcome: ChangeOutcomeKind;
    now: string;
  }): void;
  /** The outcome recorded for a change, if any. */
  outcomeOf(changeId: string): { model: string; task: string; outcome: ChangeOutcomeKind } | null;
  /** Statistics of every model for one task type. */
  forTask(task: string): Map<string, TaskStats>;
  /** Statistics of every model for every task type of a difficulty (`easy`…), pooled: what each model's prior learns from. */
  forDifficulty(difficulty: string): Map<string, TaskStats>;
  all(): TaskStats[];
  /** Writes every statistic to a JSON file (`.ralex/cache/model_performance.json`). */
  exportTo(file: string, now: string): void;
}

/** Opens the statistics over the store's `model_outcomes` and `model_stats` tables. */
export function createPerformanceStats(db: Db): PerformanceStats {
  const getOutcome = db.prepare('SELECT model, task, outcome, score FROM model_outcomes WHERE change_id = ?');
  const putOutcome = db.prepare(
    `INSERT INTO model_outcomes (change_id, command_id, model, task, outcome, score, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(change_id) DO UPDATE SET outcome = excluded.outcome, score = excluded.score, updated_at = excluded.updated_at`,
  );
  const bump = db.prepare(
    `INSERT INTO model_stats (model, task, successes, failures, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(model, task) DO UPDATE SET successes = MAX(0, successes + excluded.successes),
       failures = MAX(0, failures + excluded.failures), updated_at = excluded.updated_at`,
  );
  const byTask = db.prepare('SELECT model, task, successes, failures FROM model_stats WHERE task = ?');
  const all = db.prepare('SELECT model, task, successes, failures FROM model_stats ORDER BY model, task');
  const pooled = db.prepare(
    `SELECT model, '*/' || ? AS task, SUM(successes) AS successes, SUM(failures) AS failures
     FROM model_stats WHERE task LIKE '%/' || ? GROUP BY model`,
  );
  const record = db.transaction(
    (o: {
      changeId: string;
      commandId: string;
      model: string;
      task: string;
      outcome: ChangeOutcomeKind;
      now: string;
    }) => {
      const before = getOutcome.get(o.changeId) as
        | { model: string; task: string; outcome: string; score: number }
        | undefined;
      if (before?.outcome === o.outcome) return;
      const score = SCORE[o.outcome];
      // A revised outcome (committed, then undone) replaces the first one rather than adding to it.
      if (before) bump.run(before.model, before.task, -before.score, -(1 - before.score), o.now);
      bump.run(before?.model ?? o.model, before?.task ?? o.task, score, 1 - score, o.now);
      putOutcome.run(
        o.changeId,
        o.commandId,
        before?.model ?? o.model,
        before?.task ?? o.task,
        o.outcome,
        score,
        o.now,
      );
    },
  );
  // Outcomes are rare and routing is frequent: reads are cached briefly (another process's
  // outcome shows within CACHE_MS), and this process's own outcomes clear the cache.
  const cache = new Map<string, { at: number; value: Map<string, TaskStats> }>();
  const cached = (key: string, read: () => TaskStats[]) => {
    const hit = cache.get(key);
    const now = Date.now();
    if (hit && now - hit.at < CACHE_MS) return hit.value;
    const value = new Map(read().map((r) => [r.model, r]));
    cache.set(key, { at: now, value });
    return value;
  };
  return {
    record(o) {
      record.immediate(o);
      cache.clear();
    },
    outcomeOf(changeId) {
      const row = getOutcome.get(changeId) as
        | { model: string; task: string; outcome: ChangeOutcomeKind }
        | undefined;
      return row ? { model: row.model, task: row.task, outcome: row.outcome } : null;
    },
    forTask: (task) => cached(task, () => byTask.all(task) as TaskStats[]),
    forDifficulty: (difficulty) =>
      cached(`*/${difficulty}`, () => pooled.all(difficulty, difficulty) as TaskStats[]),
    all: () => all.all() as TaskStats[],
    exportTo(file, now) {
      const models: Record<
        string,
        Record<string, { successes: number; failures: number; rate: number }>
      > = {};
      for (const r of all.all() as TaskStats[]) {
        models[r.model] ??= {};
        const n = r.successes + r.failures;
        models[r.model]![r.task] = {
          successes: r.successes,
          failures: r.failures,
          rate: n ? Math.round((r.successes / n) * 1000) / 1000 : 0,
        };
      }
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ updatedAt: now, models }, null, 2)}\n`);
      renameSync(tmp, file);
    },
  };
}
