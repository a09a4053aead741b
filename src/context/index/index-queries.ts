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
const COLUMN_WEIGHTS = [6.0, 4.0, 1.0] as const;
/**
 * How a word's rarity weighs in BM25. `fts5` is SQLite's own: log((N − n + 0.5)/(n + 0.5)), which
 * gives a word in half the chunks or more (nearly) nothing — "flag" in a flags library, "route"
 * in a router — so a request made of such words matches nothing. `lucene` is Lucene's and the
 * BM25 baseline's log(1 + (N − n + 0.5)/(n + 0.5)): a common word still counts, a little.
 */
export type Idf = 'fts5' | 'lucene';

/** Names defined in more files than this are too common to link files by (e.g. `get`, `name`). */
export const UBIQUITOUS_DEFS = 12;

/** Read-only queries over the index, prepared once. */
export interface IndexQueries {
  /** Chunks matching any of `terms` (already lower-case words), best first; `columns` weighs path, names, body. */
  searchChunks(
    terms: readonly string[],
    limit: number,
    columns?: readonly [number, number, number],
    idf?: Idf,
  ): ChunkHit[];
  /** Of `fileIds`, the files whose path, names or text have the word `term` (no scoring: cheap). */
  filesWithWord(term: string, fileIds: readonly number[]): Set<number>;
  /** Definitions of any of `names` (exact, case-sensitive). */
  definitionsNamed(names: readonly string[]): StoredDefinition[];
  /** Definitions whose `normalName` is one of `names` (for spoken or loosely typed names). */
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
  /** Every indexed path. */
  allPaths(): string[];
  /** Counts: files, files with content indexed, definitions. */
  counts(): { files: number; indexed: number; defs: number };
}

/** Prepares the index's queries. */
export function createIndexQueries(db: IndexDb): IndexQueries {
  const search = db.prepare(
    `SELECT c.file_id AS fileId, f.path AS path, c.start_line AS startLine, c.end_line AS endLine,
            -bm25(fts, ?, ?, ?) AS score
       FROM fts JOIN chunks c ON c.id = fts.rowid JOIN files f ON f.id = c.file_id
      WHERE fts MATCH ? ORDER BY score DESC LIMIT ?`,
  );
  // One word's chunks with FTS5's score, whose idf `searchChunks` swaps for Lucene's: [id, score]
  // rows, not objects (a common word has thousands of chunks in a large project).
  const searchWord = db
    .prepare('SELECT rowid AS id, -bm25(fts, ?, ?, ?) AS score FROM fts WHERE fts MATCH ?')
    .raw(true);
  const chunkCount = db.prepare('SELECT count(*) AS n FROM chunks');
  const chunksById = db.prepare(
    `SELECT c.id AS id, c.file_id AS fileId, f.path AS path, c.start_line AS startLine, c.end_line AS endLine
       FROM chunks c JOIN files f ON f.id = c.file_id WHERE c.id IN (SELECT value FROM json_each(?))`,
  );
  const withWord = db.prepare(
    `SELECT DISTINCT c.file_id AS fileId FROM fts JOIN chunks c ON c.id = fts.rowid
      WHERE fts MATCH ? AND c.file_id IN (SELECT value FROM json_each(?))`,
  );
  const defCols = `d.file_id AS fileId, f.path AS path, d.name AS name, d.kind AS kind, d.line AS line,
                   d.end_line AS endLine, d.signature AS signature`;
  const defsIn = db.prepare(
    `SELECT ${defCols} FROM defs d JOIN files f ON f.id = d.file_id WHERE d.file_id = ? ORDER BY d.line`,
  );
  const refNames = db.prepare('SELECT names FROM refs WHERE file_id = ?');
  // One statement for any number of names: they come in as a JSON array.
  const definersOf = db.prepare(
    'SELECT DISTINCT d.name AS name, d.file_id AS target FROM json_each(?) j JOIN defs d ON d.name = j.value WHERE d.file_id != ?',
  );
  const spreadOfOwn = db.prepare(
    `SELECT o.name AS name, (SELECT COUNT(DISTINCT file_id) FROM defs x WHERE x.name = o.name) AS n
       FROM (SELECT DISTINCT name FROM defs WHERE file_id = ?) o`,
  );
  const referencingFts = db.prepare('SELECT rowid AS source FROM refs_fts WHERE refs_fts MATCH ? LIMIT 2000');
  const fileByPath = db.prepare(
    'SELECT id, path, lang, content, lines, size, tokens FROM files WHERE path = ?',
  );
  const fileById = db.prepare('SELECT id, path, lang, content, lines, size, tokens FROM files WHERE id = ?');
  const setTokens = db.prepare('UPDATE files SET tokens = ? WHERE id = ?');
  return {
    searchChunks(terms, limit, columns = COLUMN_WEIGHTS, idf = 'fts5') {
      if (terms.length === 0) return [];
      // Each term quoted: FTS5 syntax in the user's words ("NOT", "-", "*") is matched as text.
      if (idf === 'fts5') return search.all(...columns, terms.map(quoted).join(' OR '), limit) as ChunkHit[];
      // BM25 is a sum over the request's words: each word's FTS5 score, its idf replaced.
      const n = (chunkCount.get() as { n: number }).n;
      const scores = new Map<number, number>();
      for (const term of new Set(terms)) {
        const rows = searchWord.all(...columns, quoted(term)) as [id: number, score: number][];
        const ratio = (n - rows.length + 0.5) / (rows.length + 0.5);
        const scale = Math.log(1 + ratio) / Math.max(Math.log(ratio), 1e-6);
        for (const [id, score] of rows) scores.set(id, (scores.get(id) ?? 0) + score * scale);
      }
      const best = [...scores].sort((a, b) => b[1] - a[1]).slice(0, limit);
      const rows = new Map(
        (
          chunksById.all(JSON.stringify(best.map(([id]) => id))) as (Omit<ChunkHit, 'score'> & {
            id: number;
          })[]
        ).map((r) => [r.id, r]),
      );
      return best.flatMap(([id, score]) => {
        const r = rows.get(id);
        return r
          ? [{ fileId: r.fileId, path: r.path, startLine: r.startLine, endLine: r.endLine, score }]
          : [];
      });
    },
    filesWithWord(term, fileIds) {
      if (fileIds.length === 0) return new Set();
      const rows = withWord.all(quoted(term), JSON.stringify(fileIds)) as { fileId: number }[];
      return new Set(rows.map((r) => r.fileId));
    },
    definitionsNamed(names) {
      if (names.length === 0) return [];
      const q = `SELECT ${defCols} FROM defs d JOIN files f ON f.id = d.file_id WHERE d.name IN (${names.map(() => '?').join(',')}) LIMIT 500`;
      return db.prepare(q).all(...names) as StoredDefinition[];
    },
    definitionsNamedLoosely(names) {
      if (names.length === 0) return [];
      const q = `SELECT ${defCols} FROM defs d JOIN files f ON f.id = d.file_id WHERE d.norm IN (${names.map(() => '?').join(',')}) LIMIT 500`;
      return db.prepare(q).all(...names) as StoredDefinition[];
    },
    definitionsIn: (fileId) => defsIn.all(fileId) as StoredDefinition[],
    referencedFiles(fileId) {
      const out = new Map<number, number>();
      const row = refNames.get(fileId) as { names: string } | undefined;
      if (!row) return out;
      const definers = new Map<string, number[]>();
      for (const r of definersOf.all(JSON.stringify(row.names.split(' ')), fileId) as {
        name: string;
        target: number;
      }[]) {
        const list = definers.get(r.name) ?? [];
        list.push(r.target);
        definers.set(r.name, list);
      }
      for (const targets of definers.values()) {
        if (targets.length > UBIQUITOUS_DEFS) continue;
        for (const t of targets) out.set(t, (out.get(t) ?? 0) + 1 / targets.length);
      }
      return out;
    },
    referencingFiles(fileId) {
      const out = new Map<number, number>();
      const names = (spreadOfOwn.all(fileId) as { name: string; n: number }[])
        .filter((r) => r.n <= UBIQUITOUS_DEFS && r.name.length >= 3)
        .map((r) => r.name)
        .slice(0, 60);
      if (names.length === 0) return out;
      const match = names.map((n) => `"${n.replace(/"/g, '""')}"`).join(' OR ');
      for (const r of referencingFts.all(match) as { source: number }[]) {
        if (r.source !== fileId) out.set(r.source, 1);
      }
      return out;
    },
    file: (path) => fileByPath.get(path) as StoredFile | undefined,
    fileById: (id) => fileById.get(id) as StoredFile | undefined,
    setTokens: (fileId, tokens) => void setTokens.run(tokens, fileId),
    allPaths: () => db.prepare('SELECT path FROM files').pluck().all() as string[],
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

/** A word as an FTS5 string: its syntax in the user's words ("NOT", "-", "*") is matched as text. */
function quoted(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}
