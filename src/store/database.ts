import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { RalexError } from '../errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';

/** An open SQLite database (better-sqlite3). */
export type Db = Database.Database;

/** The page cache of one connection, KiB: bounded, so memory stays flat as the database grows. */
export const PAGE_CACHE_KIB = 2000;

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
  return db;
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
