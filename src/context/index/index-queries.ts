import type { IndexDb } from './index-database.js';

/** A full-text hit: one chunk of one file, with its BM25 score (higher is better). */
export interface ChunkHit {
  fileId: number;
  path: string;
  startLine: number;
  endLine: number;
  score: number;
}

/** A definition as stored. */
export interface StoredDefinition {
  fileId: number;
  path: string;
  name: string;
  kind: string;
  line: number;
  endLine: number;
  signature: string;
}

/** A file row as stored. */
export interface StoredFile {
  id: number;
  path: string;
  lang: string | null;
  content: string;
  lines: number;
  size: number;
  tokens: number | null;
}

/** Weights of the full-text columns in BM25: a path word counts most, then a defined name, then body text. */
const COLUMN_WEIGHTS = [6.0, 4.0, 1.0];
/** Names defined in more files than this are too common to link files by (e.g. `get`, `name`). */
export const UBIQUITOUS_DEFS = 12;

/** Read-only queries over the index, prepared once. */
export interface IndexQueries {
  /** Chunks matching any of `terms` (already lower-case words), best first. */
  searchChunks(terms: readonly string[], limit: number): ChunkHit[];
  /** Definitions of any of `names` (exact, case-sensitive). */
  definitionsNamed(names: readonly string[]): StoredDefinition[];
  /** Definitions whose lower-cased name is one of `names` (for spoken or loosely typed names). */
  definitionsNamedLoosely(names: readonly string[]): StoredDefinition[];
  /** Definitions in one file, in line order. */
  definitionsIn(fileId: number): StoredDefinition[];
  /** Files that define what `fileId` references: [target file, shared names weight]. */
  referencedFiles(fileId: number): Map<number, number>;
  /** Files that reference what `fileId` defines. */
  referencingFiles(fileId: number): Map<number, number>;
  file(path: string): StoredFile | undefined;
  fileById(id: number): StoredFile | undefined;
  setTokens(fileId: number, tokens: number): void;
  /** Counts: files, files with content indexed, definitions. */
  counts(): { files: number; indexed: number; defs: number };
}

/** Prepares the index's queries. */
export function createIndexQueries(db: IndexDb): IndexQueries {
  const search = db.prepare(
    `SELECT c.file_id AS fileId, f.path AS path, c.start_line AS startLine, c.end_line AS endLine,
            -bm25(fts, ${COLUMN_WEIGHTS.join(', ')}) AS score
       FROM fts JOIN chunks c ON c.id = fts.rowid JOIN files f ON f.id = c.file_id
      WHERE fts MATCH ? ORDER BY bm25(fts, ${COLUMN_WEIGHTS.join(', ')}) LIMIT ?`,
  );
  const defCols = `d.file_id AS fileId, f.path AS path, d.name AS name, d.kind AS kind, d.line AS line,
                   d.end_line AS endLine, d.signature AS signature`;
  const defsIn = db.prepare(
    `SELECT ${defCols} FROM defs d JOIN files f ON f.id = d.file_id WHERE d.file_id = ? ORDER BY d.line`,
  );
  const refNames = db.prepare('SELECT names FROM refs WHERE file_id = ?');
  const defCount = db.prepare('SELECT COUNT(DISTINCT file_id) AS n FROM defs WHERE name = ?');
  const referencingFts = db.prepare('SELECT rowid AS source FROM refs_fts WHERE refs_fts MATCH ? LIMIT 2000');
  const fileByPath = db.prepare(
    'SELECT id, path, lang, content, lines, size, tokens FROM files WHERE path = ?',
  );
  const fileById = db.prepare('SELECT id, path, lang, content, lines, size, tokens FROM files WHERE id = ?');
  const setTokens = db.prepare('UPDATE files SET tokens = ? WHERE id = ?');
  return {
    searchChunks(terms, limit) {
      if (terms.length === 0) return [];
      // Each term quoted: FTS5 syntax in the user's words ("NOT", "-", "*") is matched as text.
      const match = terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
      return search.all(match, limit) as ChunkHit[];
    },
    definitionsNamed(names) {
      if (names.length === 0) return [];
      const q = `SELECT ${defCols} FROM defs d JOIN files f ON f.id = d.file_id WHERE d.name IN (${names.map(() => '?').join(',')}) LIMIT 500`;
      return db.prepare(q).all(...names) as StoredDefinition[];
    },
    definitionsNamedLoosely(names) {
      if (names.length === 0) return [];
      const q = `SELECT ${defCols} FROM defs d JOIN files f ON f.id = d.file_id WHERE lower(d.name) IN (${names.map(() => '?').join(',')}) LIMIT 500`;
      return db.prepare(q).all(...names) as StoredDefinition[];
    },
    definitionsIn: (fileId) => defsIn.all(fileId) as StoredDefinition[],
    referencedFiles(fileId) {
      const out = new Map<number, number>();
      const row = refNames.get(fileId) as { names: string } | undefined;
      if (!row) return out;
      const names = row.names.split(' ');
      // Chunks of names: SQLite limits the number of bound parameters.
      for (let i = 0; i < names.length; i += 500) {
        const part = names.slice(i, i + 500);
        const rows = db
          .prepare(
            `SELECT name, file_id AS target FROM defs WHERE name IN (${part.map(() => '?').join(',')}) AND file_id != ?`,
          )
          .all(...part, fileId) as { name: string; target: number }[];
        const definers = new Map<string, Set<number>>();
        for (const r of rows) {
          const set = definers.get(r.name) ?? new Set<number>();
          set.add(r.target);
          definers.set(r.name, set);
        }
        for (const targets of definers.values()) {
          if (targets.size > UBIQUITOUS_DEFS) continue;
          for (const t of targets) out.set(t, (out.get(t) ?? 0) + 1 / targets.size);
        }
      }
      return out;
    },
    referencingFiles(fileId) {
      const out = new Map<number, number>();
      const names = [...new Set((defsIn.all(fileId) as StoredDefinition[]).map((d) => d.name))].filter(
        (n) => n.length >= 3 && ((defCount.get(n) as { n: number }).n ?? 0) <= UBIQUITOUS_DEFS,
      );
      for (const name of names.slice(0, 50)) {
        for (const r of referencingFts.all(`"${name.replace(/"/g, '""')}"`) as { source: number }[]) {
          if (r.source !== fileId) out.set(r.source, (out.get(r.source) ?? 0) + 1);
        }
      }
      return out;
    },
    file: (path) => fileByPath.get(path) as StoredFile | undefined,
    fileById: (id) => fileById.get(id) as StoredFile | undefined,
    setTokens: (fileId, tokens) => void setTokens.run(tokens, fileId),
    counts() {
      const r = db
        .prepare(
          "SELECT (SELECT COUNT(*) FROM files) AS files, (SELECT COUNT(*) FROM files WHERE content = 'indexed') AS indexed, (SELECT COUNT(*) FROM defs) AS defs",
        )
        .get() as { files: number; indexed: number; defs: number };
      return r;
    },
  };
}
