import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '../runtime.js';
import type { Db } from '../store/database.js';

const DAY_MS = 86_400_000;
/** Events are deleted this many at a time, so a `ralex run` meanwhile waits only briefly. */
const EVENT_BATCH = 5_000;

/** What one compaction removed (or, with `dryRun`, would remove). */
export interface CompactionReport {
  dryRun: boolean;
  events: { before: string; deleted: number };
  audit: { before: string; dropped: number; through: number | null; findings: number };
  sessions: { before: string; removed: string[] };
  statsHourly: { before: string; deleted: number };
  /** Finished model calls, budget windows and alerts older than `retention.ledger_days`. */
  ledger: { before: string; calls: number; windows: number };
}

/**
 * Applies the retention bounds of preferences.yaml (`retention.*`): the event log, the audit
 * trail (behind a sealed epoch, see `AuditTrail.compact`), session logs not written to since,
 * the hourly statistics, and the model ledger's finished calls and stale budget windows (a call
 * under way, and every window charged since the cut-off, stay; the statistics keep the days). Events of a command still running are kept. Freed pages are reused
 * by SQLite; the file shrinks only with `VACUUM`.
 */
export function compactState(rt: Runtime, options: { now?: Date; dryRun?: boolean } = {}): CompactionReport {
  const now = options.now ?? rt.clock();
  const r = rt.config.preferences.retention;
  const cutoff = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const dryRun = options.dryRun ?? false;
  const eventsBefore = cutoff(r.events_days);
  const auditBefore = cutoff(r.audit_days);
  const sessionsBefore = cutoff(r.sessions_days);
  const hourlyBefore = cutoff(r.stats_hourly_days);

  const lastOld = lastEventBefore(rt.db, eventsBefore);
  const keepRunning =
    "(command_id IS NULL OR command_id NOT IN (SELECT id FROM commands WHERE status = 'running'))";
  let deleted = 0;
  if (lastOld > 0) {
    if (dryRun)
      deleted = (
        rt.db.prepare(`SELECT COUNT(*) AS n FROM events WHERE id <= ? AND ${keepRunning}`).get(lastOld) as {
          n: number;
        }
      ).n;
    else {
      const batch = rt.db.prepare(
        `DELETE FROM events WHERE id IN (SELECT id FROM events WHERE id <= ? AND ${keepRunning} ORDER BY id LIMIT ${EVENT_BATCH})`,
      );
      for (let n = batch.run(lastOld).changes; n > 0; n = batch.run(lastOld).changes) deleted += n;
    }
  }

  let audit: CompactionReport['audit'] = { before: auditBefore, dropped: 0, through: null, findings: 0 };
  if (dryRun) {
    const old = rt.db
      .prepare('SELECT COUNT(*) AS n, MAX(seq) AS seq FROM audit_log WHERE ts < ?')
      .get(auditBefore) as { n: number; seq: number | null };
    audit = { ...audit, dropped: old.n, through: old.seq };
  } else {
    const done = rt.audit.compact(auditBefore, `retention.audit_days: ${r.audit_days}`);
    if (done)
      audit = {
        before: auditBefore,
        dropped: done.dropped.entries,
        through: done.dropped.through,
        findings: done.found.length,
      };
  }

  const removed: string[] = [];
  for (const name of safeList(rt.paths.sessionsDir)) {
    const file = join(rt.paths.sessionsDir, name);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!name.endsWith('.md') || !stat?.isFile() || stat.mtime.toISOString() >= sessionsBefore) continue;
    if (!dryRun) rmSync(file);
    removed.push(`.ralex/sessions/${name}`);
  }

  const hourPeriod = hourlyBefore.slice(0, 13);
  const statsDeleted = dryRun
    ? (
        rt.db
          .prepare(
            "SELECT (SELECT COUNT(*) FROM stat_commands WHERE grain = 'hour' AND period < ?) + (SELECT COUNT(*) FROM stat_latency WHERE grain = 'hour' AND period < ?) + (SELECT COUNT(*) FROM stat_counts WHERE grain = 'hour' AND period < ?) AS n",
          )
          .get(hourPeriod, hourPeriod, hourPeriod) as { n: number }
      ).n
    : ['stat_commands', 'stat_latency', 'stat_counts'].reduce(
        (n, table) =>
          n +
          rt.db.prepare(`DELETE FROM ${table} WHERE grain = 'hour' AND period < ?`).run(hourPeriod).changes,
        0,
      );

  const ledgerBefore = cutoff(r.ledger_days);
  const ledger = { before: ledgerBefore, ...compactLedger(rt.db, ledgerBefore, dryRun) };

  return {
    dryRun,
    ledger,
    events: { before: eventsBefore, deleted },
    audit,
    sessions: { before: sessionsBefore, removed },
    statsHourly: { before: hourlyBefore, deleted: statsDeleted },
  };
}

/** Model calls settled or released before `iso`, and budget windows and alerts untouched since. */
function compactLedger(db: Db, iso: string, dryRun: boolean): { calls: number; windows: number } {
  const calls = "FROM model_calls WHERE state != 'reserved' AND created_at < ?";
  const windows = 'FROM budget_totals WHERE updated_at < ?';
  if (dryRun) {
    const count = (from: string) => (db.prepare(`SELECT COUNT(*) AS n ${from}`).get(iso) as { n: number }).n;
    return { calls: count(calls), windows: count(windows) };
  }
  return db
    .transaction(() => {
      db.prepare('DELETE FROM budget_alerts WHERE at < ?').run(iso);
      return {
        calls: db.prepare(`DELETE ${calls}`).run(iso).changes,
        windows: db.prepare(`DELETE ${windows}`).run(iso).changes,
      };
    })
    .immediate();
}

/**
 * The largest event id stored before `iso`. Ids grow with time, so a binary search over ids
 * finds it in ~20 primary-key lookups, with no index on the time.
 */
export function lastEventBefore(db: Db, iso: string): number {
  const bounds = db.prepare('SELECT MIN(id) AS lo, MAX(id) AS hi FROM events').get() as {
    lo: number | null;
    hi: number | null;
  };
  if (bounds.lo === null || bounds.hi === null) return 0;
  const tsAtOrAfter = db.prepare('SELECT id, ts FROM events WHERE id >= ? ORDER BY id LIMIT 1');
  let lo = bounds.lo;
  let hi = bounds.hi;
  let best = 0;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = tsAtOrAfter.get(mid) as { id: number; ts: string } | undefined;
    if (row && row.ts < iso) {
      best = row.id;
      lo = row.id + 1;
    } else hi = mid - 1;
  }
  return best;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
