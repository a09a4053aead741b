import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '../runtime.js';

/** How large Ralex's own records are, for `ralex status` and `ralex compact`. */
export interface StateSizes {
  databaseBytes: number;
  walBytes: number;
  events: number;
  auditEntries: number;
  commands: number;
  sessionLogs: number;
  sessionsBytes: number;
  /** Rows of the statistics tables (hourly and daily). */
  statRows: number;
}

/** Measures the database (file, write-ahead log, rows of each record) and the session logs. */
export function stateSizes(rt: Runtime): StateSizes {
  const size = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  const count = (sql: string) => (rt.db.prepare(sql).get() as { n: number }).n;
  let sessionLogs = 0;
  let sessionsBytes = 0;
  try {
    for (const name of readdirSync(rt.paths.sessionsDir)) {
      if (!name.endsWith('.md')) continue;
      sessionLogs += 1;
      sessionsBytes += size(join(rt.paths.sessionsDir, name));
    }
  } catch {
    // No session logs yet.
  }
  return {
    databaseBytes: size(rt.paths.database),
    walBytes: size(`${rt.paths.database}-wal`),
    events: count('SELECT COUNT(*) AS n FROM events'),
    auditEntries: count('SELECT COUNT(*) AS n FROM audit_log'),
    commands: count('SELECT COUNT(*) AS n FROM commands'),
    sessionLogs,
    sessionsBytes,
    statRows: count(
      'SELECT (SELECT COUNT(*) FROM stat_commands) + (SELECT COUNT(*) FROM stat_latency) + (SELECT COUNT(*) FROM stat_counts) AS n',
    ),
  };
}

/** "512 KB", "1.4 MB". */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
