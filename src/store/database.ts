import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { RalexError } from '../errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';

/** An open SQLite database (better-sqlite3). */
export type Db = Database.Database;

/** The page cache of one connection, KiB: bounded, so memory stays flat as the database grows. */
export const PAGE_CACHE_KIB = 2000;

/** How often a connection moves its committed WAL pages into the database (a PASSIVE checkpoint). */
export const CHECKPOINT_INTERVAL_MS = 500;

/**
 * WAL pages after which a commit checkpoints on its own thread anyway (SQLite's default is 1,000):
 * only a burst the timer cannot keep up with (a migration, a backfill in one loop) reaches it, so
 * the WAL stays bounded (~40 MB at 4 KiB pages) without the request path paying the checkpoint.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Opens (creating if needed) the SQLite database at `file` and brings its schema up to date.
 * WAL mode lets a `ralex run` in a terminal and a `ralex serve` share one database.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw new RalexError(
      'internal_error',
      `Cannot open the Ralex database at ${file}: ${(error as Error).message}`,
      {
        cause: error,
        hint: 'Check that the directory is writable, or delete the file to start afresh.',
      },
    );
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection, which a long-running
  // server fills page by page as the event log grows (RSS creeping up by every command's pages);
  // SQLite's own default of ~2 MB holds the hot pages (the log's tail, indexes, budget totals).
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  migrate(db, migrations);
  if (file !== ':memory:') checkpointInBackground(db);
  return db;
}

/**
 * Takes the WAL checkpoint off the committing call. With SQLite's default, the commit that
 * brings the WAL to 1,000 pages copies them into the database and fsyncs it on the caller's
 * thread, and every request of a server waits for that fsync (tens of milliseconds on a busy
 * disk). Instead, an unref'd timer checkpoints every CHECKPOINT_INTERVAL_MS (PASSIVE: it never
 * waits for another connection, never blocks their writers, and has nothing to do when nothing
 * was written), so a server under load pays one checkpoint per interval instead of several a
 * second; closing checkpoints what is left. Every Ralex process sharing the database (a
 * `ralex serve`, CLI runs) does the same for its own commits, and a checkpoint any of them runs
 * moves every process's pages. A short-lived CLI process that never closes still leaves nothing
 * unsafe: committed pages in the WAL are durable and readable, and the next checkpoint (its
 * close at exit, or any other process's timer) moves them.
 */
function checkpointInBackground(db: Db): void {
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  const checkpoint = () => {
    if (!db.open || db.inTransaction) return;
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or read-only: the next tick, or another connection, checkpoints.
    }
  };
  const timer = setInterval(checkpoint, CHECKPOINT_INTERVAL_MS).unref();
  const close = db.close.bind(db);
  db.close = () => {
    clearInterval(timer);
    checkpoint();
    return close();
  };
}

/** Applies, in one transaction each, the migrations the database has not seen yet. */
export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const ran: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
    })();
    ran.push(m.version);
  }
  return ran;
}
