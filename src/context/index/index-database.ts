import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** The index's own SQLite database (kept apart from ralex.db: it can be thrown away and rebuilt). */
export type IndexDb = Database.Database;

/** Bumped when the schema or what is stored changes; an older index is rebuilt. */
/** 3: Kotlin, Scala and Elixir files have definitions (pattern-symbols.ts). 4: the full-text table stores its text, so deletes leave bm25's statistics right. */
export const INDEX_SCHEMA_VERSION = 4;

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    lang TEXT,
    content TEXT NOT NULL,
    lines INTEGER NOT NULL DEFAULT 0,
    tokens INTEGER
  );
  CREATE TABLE defs (
    file_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    -- lower case without '_' or '$': what a spoken or loosely typed name is matched against
    norm TEXT NOT NULL,
    kind TEXT NOT NULL,
    line INTEGER NOT NULL,
    end_line INTEGER NOT NULL,
    signature TEXT NOT NULL
  );
  CREATE INDEX defs_by_name ON defs(name);
  CREATE INDEX defs_by_file ON defs(file_id);
  CREATE INDEX defs_by_norm ON defs(norm);
  CREATE TABLE refs (file_id INTEGER PRIMARY KEY, names TEXT NOT NULL);
  CREATE VIRTUAL TABLE refs_fts USING fts5(
    names, tokenize = "unicode61 remove_diacritics 0 tokenchars '_$'",
    content = '', contentless_delete = 1
  );
  CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL,
    start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL
  );
  CREATE INDEX chunks_by_file ON chunks(file_id);
  -- The chunks' text is stored: a contentless table's DELETE leaves the deleted rows in the
  -- statistics bm25 weighs words by (row count and lengths), so every re-indexed file inflated them.
  CREATE VIRTUAL TABLE fts USING fts5(
    path, names, body,
    tokenize = 'porter unicode61 remove_diacritics 2'
  );
  CREATE TABLE history (head TEXT PRIMARY KEY, commits_json TEXT NOT NULL);
  -- token counts of texts packed or sent before (instructions, memory, standards, docs, prompt
  -- paragraphs), by a digest of the text: a warm one-shot command never loads the tokenizer
  CREATE TABLE token_counts (key TEXT PRIMARY KEY, tokens INTEGER NOT NULL);
`;

/** The opened index and whether it had to be made afresh (and why). */
export interface OpenedIndex {
  db: IndexDb;
  /** Set when an existing index was unreadable or from another version and was replaced. */
  rebuilt: string | null;
}

/** True for SQLite errors that mean the file is damaged or not a database. */
export function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'SQLITE_CANTOPEN';
}

/**
 * Opens the index at `file`, creating it when missing. A damaged file, or one from another
 * schema version, is deleted and made afresh: the index is a cache of the project, never data.
 */
export function openIndexDatabase(file: string): OpenedIndex {
  mkdirSync(dirname(file), { recursive: true });
  const existed = existsSync(file);
  try {
    const db = connect(file);
    const version = Number(
      (db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined)
        ?.value ?? 0,
    );
    if (version === INDEX_SCHEMA_VERSION) return { db, rebuilt: null };
    db.close();
    return {
      db: createIndexDatabase(file),
      rebuilt: existed ? `the index was from another version (${version})` : null,
    };
  } catch (error) {
    if (!existed) return { db: createIndexDatabase(file), rebuilt: null };
    return {
      db: createIndexDatabase(file),
      rebuilt: `the index could not be read (${(error as Error).message})`,
    };
  }
}

function connect(file: string): IndexDb {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('busy_timeout = 5000');
  // A new database has no meta table: create it so the version query answers 0 rather than throwing.
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  return db;
}

/** Deletes the index files and makes an empty index with the current schema. */
export function createIndexDatabase(file: string): IndexDb {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  db.prepare("INSERT INTO meta (key, value) VALUES ('schema', ?)").run(String(INDEX_SCHEMA_VERSION));
  return db;
}
