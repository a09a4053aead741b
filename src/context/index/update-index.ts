import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { type ListingStamp, listingStampHolds, takeListingStamp } from '../../project/listing-stamp.js';
import { normalName, searchablePath, splitIdentifier } from './identifiers.js';
import type { IndexDb } from './index-database.js';
import { analyseFile, type IndexedFile } from './index-file.js';
import { listProjectFiles, MAX_PROJECT_FILES, type ProjectFile } from './project-files.js';
import type { SymbolParser } from './symbol-parser.js';

/** What one update did. */
export interface IndexUpdate {
  files: number;
  /** Files (re)indexed because they are new or their size or mtime changed. */
  updated: number;
  removed: number;
  /** Files git lists that could not be read. */
  unreadable: number;
  /** Files kept by name only (binary, huge, generated, minified). */
  nameOnly: number;
  /** Files git lists that this scan left out of the index, past its bound (`MAX_PROJECT_FILES`). */
  leftOut: number;
  durationMs: number;
}

/** A file whose mtime is this close to the time it was read may change again within the same tick. */
const RACY_MS = 100;
/** Files analysed between two writes (and two yields to the event loop). */
const BATCH = 64;

/** Index rows by path: what the update compares the project against. */
export type StoredFiles = Map<string, { id: number; size: number; mtimeMs: number }>;

/** Reads the stored file rows. */
export function readStoredFiles(db: IndexDb): StoredFiles {
  const rows = db.prepare('SELECT id, path, size, mtime_ms FROM files').all() as {
    id: number;
    path: string;
    size: number;
    mtime_ms: number;
  }[];
  return new Map(rows.map((r) => [r.path, { id: r.id, size: r.size, mtimeMs: r.mtime_ms }]));
}

/**
 * Brings the index up to date with the project: files git lists that are new or whose size or
 * mtime changed are read again (symbols and text), files gone are removed — over the whole
 * project, or only at and under the `scope` paths a watcher reported. Work is done in
 * batches with a yield between them, so a large first build does not stall the event loop.
 */
export async function updateIndex(
  db: IndexDb,
  root: string,
  stored: StoredFiles,
  parser: () => Promise<SymbolParser>,
  scope: 'all' | readonly string[] = 'all',
  now: () => number = Date.now,
  maxFiles = MAX_PROJECT_FILES,
): Promise<IndexUpdate> {
  const t0 = performance.now();
  const partial = scope !== 'all';
  // A known file that changed needs only a stat; git is asked about new paths (tracked? ignored?).
  const known = partial ? scope.filter((p) => stored.has(p)) : [];
  const unknown = partial ? scope.filter((p) => !stored.has(p)) : [];
  // A full scan whose listing git would give the same as the last one's (its stamps hold: git's
  // index, the folders, the ignore files) only stats the files it knows: no git process.
  const sameListing = partial ? null : unchangedListing(db);
  const listedAt = Date.now();
  const listing = sameListing
    ? { files: statFiles(root, [...stored.keys()]), unreadable: sameListing.unreadable, leftOut: 0 }
    : !partial || unknown.length > 0
      ? await listProjectFiles(root, unknown, partial ? Math.max(0, maxFiles - stored.size) : maxFiles)
      : { files: [] as ProjectFile[], unreadable: 0, leftOut: 0 };
  if (!partial && !sameListing) saveListing(db, root, listing, listedAt);
  const files = [...listing.files, ...statFiles(root, known)];
  const unreadable = listing.unreadable;
  const current = new Set<string>();
  const changed: ProjectFile[] = [];
  for (const f of files) {
    current.add(f.path);
    const s = stored.get(f.path);
    if (!s || s.size !== f.size || s.mtimeMs !== f.mtimeMs) changed.push(f);
  }
  const inScope = partial ? pathFilter(scope) : () => true;
  const removed = [...stored.keys()].filter((p) => !current.has(p) && inScope(p));
  const writer = createWriter(db);
  if (removed.length) {
    db.transaction(() => {
      for (const p of removed) writer.remove(stored.get(p)!.id);
    })();
    for (const p of removed) stored.delete(p);
  }
  let nameOnly = 0;
  let unreadableContent = 0;
  for (let i = 0; i < changed.length; i += BATCH) {
    const batch = await Promise.all(changed.slice(i, i + BATCH).map((f) => analyseFile(root, f, parser)));
    const readAt = now();
    db.transaction(() => {
      for (const a of batch) {
        if (a.content === 'unreadable') unreadableContent++;
        else if (a.content !== 'indexed') nameOnly++;
        const old = stored.get(a.file.path);
        if (old) writer.remove(old.id);
        // Racy mtime (written within the same tick as read): stored as unknown, so the next update looks again.
        const mtime = readAt - a.file.mtimeMs < RACY_MS ? -1 : a.file.mtimeMs;
        const id = writer.insert(a, mtime);
        stored.set(a.file.path, { id, size: a.file.size, mtimeMs: mtime });
      }
    })();
    if (i + BATCH < changed.length) await new Promise((r) => setImmediate(r));
  }
  return {
    files: stored.size,
    updated: changed.length,
    removed: removed.length,
    unreadable: unreadable + unreadableContent,
    nameOnly,
    leftOut: listing.leftOut,
    durationMs: performance.now() - t0,
  };
}

/** Meta key of the last full listing's stamp and its count of unreadable files. */
const LISTING_KEY = 'listing';

/** The last full listing's stamp and unreadable count, when git would list the same files now. */
function unchangedListing(db: IndexDb): { unreadable: number } | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(LISTING_KEY) as
    | { value: string }
    | undefined;
  if (!row) return null;
  try {
    const saved = JSON.parse(row.value) as { stamp: ListingStamp; unreadable: number };
    return listingStampHolds(saved.stamp) ? { unreadable: saved.unreadable } : null;
  } catch {
    return null;
  }
}

/** Stamps a full listing (none when it was cut at the bound: the next scan lists again). */
function saveListing(
  db: IndexDb,
  root: string,
  listing: { files: ProjectFile[]; unreadable: number; leftOut: number },
  listedAt: number,
): void {
  if (listing.leftOut > 0) {
    db.prepare('DELETE FROM meta WHERE key = ?').run(LISTING_KEY);
    return;
  }
  const stamp = takeListingStamp(
    root,
    listing.files.map((f) => f.path),
    listedAt,
  );
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
    LISTING_KEY,
    JSON.stringify({ stamp, unreadable: listing.unreadable }),
  );
}

/** Known files as they are on disk now (a missing one is left out, so it is removed). */
function statFiles(root: string, paths: readonly string[]): ProjectFile[] {
  const out: ProjectFile[] = [];
  for (const path of paths) {
    try {
      const st = lstatSync(join(root, path), { throwIfNoEntry: false });
      if (st?.isFile()) out.push({ path, size: st.size, mtimeMs: st.mtimeMs });
    } catch {}
  }
  return out;
}

/** Whether a path is one of `paths` or inside one of them. */
function pathFilter(paths: readonly string[]): (p: string) => boolean {
  const exact = new Set(paths);
  return (p) => {
    if (exact.has(p)) return true;
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1))
      if (exact.has(p.slice(0, i))) return true;
    return false;
  };
}

function createWriter(db: IndexDb) {
  const delFts = db.prepare('DELETE FROM fts WHERE rowid IN (SELECT id FROM chunks WHERE file_id = ?)');
  const delChunks = db.prepare('DELETE FROM chunks WHERE file_id = ?');
  const delDefs = db.prepare('DELETE FROM defs WHERE file_id = ?');
  const delRefs = db.prepare('DELETE FROM refs WHERE file_id = ?');
  const delRefsFts = db.prepare('DELETE FROM refs_fts WHERE rowid = ?');
  const delFile = db.prepare('DELETE FROM files WHERE id = ?');
  const insFile = db.prepare(
    'INSERT INTO files (path, size, mtime_ms, lang, content, lines) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insDef = db.prepare(
    'INSERT INTO defs (file_id, name, norm, kind, line, end_line, signature) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insRef = db.prepare('INSERT INTO refs (file_id, names) VALUES (?, ?)');
  const insRefFts = db.prepare('INSERT INTO refs_fts (rowid, names) VALUES (?, ?)');
  const insChunk = db.prepare('INSERT INTO chunks (file_id, start_line, end_line) VALUES (?, ?, ?)');
  const insFts = db.prepare('INSERT INTO fts (rowid, path, names, body) VALUES (?, ?, ?, ?)');
  return {
    remove(id: number) {
      delFts.run(id);
      delChunks.run(id);
      delDefs.run(id);
      delRefs.run(id);
      delRefsFts.run(id);
      delFile.run(id);
    },
    insert(a: IndexedFile, mtime: number): number {
      const f = a.file;
      const id = Number(insFile.run(f.path, f.size, mtime, a.lang, a.content, a.lines).lastInsertRowid);
      for (const d of a.defs)
        insDef.run(id, d.name, normalName(d.name), d.kind, d.line, d.endLine, d.signature);
      if (a.refs.size > 0) {
        const names = [...a.refs.keys()].join(' ');
        insRef.run(id, names);
        insRefFts.run(id, names);
      }
      const path = searchablePath(f.path);
      for (const c of a.chunks) {
        const chunkId = Number(insChunk.run(id, c.startLine, c.endLine).lastInsertRowid);
        const names = a.defs
          .filter((d) => d.line >= c.startLine && d.line <= c.endLine)
          .map((d) => `${splitIdentifier(d.name).join(' ')} ${d.name.toLowerCase()}`)
          .join(' ');
        insFts.run(chunkId, path, names, c.words);
      }
      return id;
    },
  };
}
