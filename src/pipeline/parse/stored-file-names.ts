import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type FileMatcher, knowsFileExtension, knowsSpokenWord } from './file-matcher.js';
import {
  bestMatches,
  byLength,
  type FileMatch,
  folderKeys,
  fuzzyQueries,
  fuzzyScore,
  pathKeys,
  pathWords,
} from './path-keys.js';

/** Bump when the tables or the keys change: an older file is thrown away and rebuilt. */
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, ext TEXT NOT NULL, name TEXT NOT NULL, nlen INTEGER NOT NULL);
CREATE INDEX files_ext ON files (ext, nlen);
CREATE TABLE keys (key TEXT NOT NULL, stem INTEGER NOT NULL, id INTEGER NOT NULL, score REAL NOT NULL);
CREATE INDEX keys_key ON keys (key, stem);
CREATE INDEX keys_id ON keys (id);
CREATE TABLE words (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE dirs (dir TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE dir_keys (key TEXT NOT NULL, dir TEXT NOT NULL);
CREATE INDEX dir_keys_key ON dir_keys (key);
CREATE INDEX dir_keys_dir ON dir_keys (dir);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;

/**
 * The project's file names kept on disk (SQLite, `.ralex/state/file-names.db`) with the keys
 * spoken and typed names are matched by, so a command's file names are looked up by key — no
 * pass over every file — and the index outlives the process. Updated by difference.
 */
export interface StoredFileNames {
  /** Makes the stored files exactly `files` (adding and removing only what differs), and sets `meta` with them, in one transaction. */
  sync(
    files: readonly string[],
    meta?: Record<string, string>,
  ): { added: number; removed: number; files: number };
  /** Lookups over the stored files, each a query by key; the same answers as `createFileMatcher`. */
  readonly matcher: FileMatcher;
  /** A value kept beside the names (the listing stamp), or undefined. */
  getMeta(key: string): string | undefined;
  close(): void;
}

/** Opens (or creates) the stored names at `file`; a damaged or older file is replaced by an empty one. */
export function openStoredFileNames(file: string): StoredFileNames {
  mkdirSync(dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    db = openDb(file);
  } catch {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    db = openDb(file);
  }
  return storedNames(db);
}

function openDb(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return db;
    // Another version's tables: the caller starts a new file (the names are re-listed from git).
    if (version !== 0) throw new Error(`file names stored in version ${version}`);
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function storedNames(db: Database.Database): StoredFileNames {
  const q = {
    paths: db.prepare('SELECT path FROM files').pluck(),
    idOf: db.prepare('SELECT id FROM files WHERE path = ?').pluck(),
    insertFile: db.prepare('INSERT INTO files (path, ext, name, nlen) VALUES (?, ?, ?, ?)'),
    deleteFile: db.prepare('DELETE FROM files WHERE id = ?'),
    insertKey: db.prepare('INSERT INTO keys (key, stem, id, score) VALUES (?, ?, ?, ?)'),
    deleteKeys: db.prepare('DELETE FROM keys WHERE id = ?'),
    addWord: db.prepare(
      'INSERT INTO words (word, n) VALUES (?, 1) ON CONFLICT (word) DO UPDATE SET n = n + 1',
    ),
    dropWord: db.prepare('UPDATE words SET n = n - 1 WHERE word = ?'),
    pruneWords: db.prepare('DELETE FROM words WHERE n <= 0'),
    addDir: db
      .prepare(
        'INSERT INTO dirs (dir, n) VALUES (?, 1) ON CONFLICT (dir) DO UPDATE SET n = n + 1 RETURNING n',
      )
      .pluck(),
    dropDir: db.prepare('UPDATE dirs SET n = n - 1 WHERE dir = ? RETURNING n').pluck(),
    deleteDir: db.prepare('DELETE FROM dirs WHERE dir = ?'),
    insertDirKey: db.prepare('INSERT INTO dir_keys (key, dir) VALUES (?, ?)'),
    deleteDirKeys: db.prepare('DELETE FROM dir_keys WHERE dir = ?'),
    byKey: db.prepare(
      'SELECT f.path AS path, k.score AS score FROM keys k JOIN files f ON f.id = k.id WHERE k.key = ? AND k.stem = ?',
    ),
    hasPath: db.prepare('SELECT 1 FROM files WHERE path = ?').pluck(),
    hasWord: db.prepare('SELECT 1 FROM words WHERE word = ?').pluck(),
    hasExt: db.prepare('SELECT 1 FROM files WHERE ext = ? LIMIT 1').pluck(),
    dirsByKey: db.prepare('SELECT dir FROM dir_keys WHERE key = ?').pluck(),
    nearNames: db.prepare('SELECT path, name FROM files WHERE ext = ? AND nlen BETWEEN ? AND ?'),
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };

  const add = (path: string) => {
    const keys = pathKeys(path);
    const id = q.insertFile.run(path, keys.ext, keys.name, keys.name.length).lastInsertRowid;
    for (const k of keys.suffixes) q.insertKey.run(k.key, 0, id, k.score);
    for (const k of keys.stems) q.insertKey.run(k.key, 1, id, k.score);
    for (const w of new Set(pathWords(path))) q.addWord.run(w);
    for (const { dir, keys: dirKeys } of folderKeys(path, new Set())) {
      if (q.addDir.get(dir) === 1) for (const key of dirKeys) q.insertDirKey.run(key, dir);
    }
  };

  const remove = (path: string) => {
    const id = q.idOf.get(path) as number | undefined;
    if (id === undefined) return;
    q.deleteKeys.run(id);
    q.deleteFile.run(id);
    for (const w of new Set(pathWords(path))) q.dropWord.run(w);
    for (const { dir } of folderKeys(path, new Set())) {
      if ((q.dropDir.get(dir) as number | undefined) === 0) {
        q.deleteDir.run(dir);
        q.deleteDirKeys.run(dir);
      }
    }
  };

  const sync = db.transaction((files: readonly string[], meta: Record<string, string>) => {
    const wanted = new Set(files);
    const stored = new Set(q.paths.all() as string[]);
    let removed = 0;
    for (const path of stored) {
      if (wanted.has(path)) continue;
      remove(path);
      removed++;
    }
    let added = 0;
    for (const path of wanted) {
      if (stored.has(path)) continue;
      add(path);
      added++;
    }
    if (removed > 0) q.pruneWords.run();
    for (const [key, value] of Object.entries(meta)) q.setMeta.run(key, value);
    return { added, removed, files: wanted.size };
  });

  const lookup = (keys: readonly string[], stem: 0 | 1) =>
    bestMatches(keys.flatMap((k) => q.byKey.all(k, stem) as FileMatch[]));

  const matcher: FileMatcher = {
    has: (path) => q.hasPath.get(path) !== undefined,
    knowsExtension: (ext) => knowsFileExtension(ext, (e) => q.hasExt.get(e) !== undefined),
    knowsWord: (word) => knowsSpokenWord(word, (w) => q.hasWord.get(w) !== undefined),
    exact: (keys) => lookup(keys, 0),
    stem: (keys) => lookup(keys, 1),
    directories: (keys) => byLength(new Set(keys.flatMap((k) => q.dirsByKey.all(k) as string[]))),
    fuzzy(keys, limit = 5) {
      const found: FileMatch[] = [];
      for (const query of fuzzyQueries(keys)) {
        // An edit distance within the budget needs a length within it too.
        const near = q.nearNames.all(
          query.ext,
          query.name.length - query.maxEdits,
          query.name.length + query.maxEdits,
        ) as { path: string; name: string }[];
        for (const candidate of near) {
          const score = fuzzyScore(query, candidate.name, candidate.path);
          if (score !== undefined) found.push({ path: candidate.path, score });
        }
      }
      return bestMatches(found).slice(0, limit);
    },
  };

  return {
    sync: (files, meta = {}) => sync.immediate(files, meta),
    matcher,
    getMeta: (key) => q.getMeta.get(key) as string | undefined,
    close: () => db.close(),
  };
}
