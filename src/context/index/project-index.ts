import { join } from 'node:path';
import { type ChangeWatcher, foldersOf, watchProjectDirs } from './change-watcher.js';
import { createIndexDatabase, type IndexDb, isCorruptionError, openIndexDatabase } from './index-database.js';
import { createIndexQueries, type IndexQueries } from './index-queries.js';
import { loadSymbolParser } from './symbol-parser.js';
import { type IndexUpdate, readStoredFiles, type StoredFiles, updateIndex } from './update-index.js';

const NOTHING_CHANGED: IndexUpdate = {
  files: 0,
  updated: 0,
  removed: 0,
  unreadable: 0,
  nameOnly: 0,
  leftOut: 0,
  durationMs: 0,
};

/** File name of the index inside `.ralex/state/`. */
export const INDEX_FILE = 'context-index.db';

/** A project's incremental index of files, symbols and text, kept in `.ralex/state/`. */
export interface ProjectIndex {
  readonly root: string;
  /** Brings the index up to date with the project (only what changed); concurrent calls share one run. */
  update(): Promise<IndexUpdate & { rebuilt: string | null }>;
  /** Queries over the current index (valid until the next rebuild; take them after `update`). */
  queries(): IndexQueries;
  /** The underlying database, for the project's history cache. */
  db(): IndexDb;
  /** Throws the index away and starts an empty one (after a query found it damaged). */
  rebuild(reason: string): void;
  close(): void;
}

/** Options of `openProjectIndex`. */
export interface ProjectIndexOptions {
  /** Where the database lives (default `<root>/.ralex/state`). */
  stateDir?: string;
  /** Told once when the index was damaged or outdated and is rebuilt. */
  onRebuild?: (reason: string) => void;
  /**
   * Watch the project's folders after the first scan, so later updates read only what changed
   * (for a long-lived process such as `ralex serve`; default false).
   */
  watch?: boolean;
  /** Most files indexed (default `MAX_PROJECT_FILES`); the update says how many it left out. */
  maxFiles?: number;
}

/** With a watcher, a full scan still runs this often, to catch what notifications miss. */
const FULL_SCAN_EVERY_MS = 5 * 60_000;
/** More changed paths than this at once (a checkout, a build): scan everything instead. */
const MAX_PARTIAL_PATHS = 2_000;

/** Opens (or creates) the index of `root`; nothing is read from the project until `update()`. */
export function openProjectIndex(root: string, options: ProjectIndexOptions = {}): ProjectIndex {
  const file = join(options.stateDir ?? join(root, '.ralex', 'state'), INDEX_FILE);
  let opened = openIndexDatabase(file);
  let pendingRebuild = opened.rebuilt;
  let stored: StoredFiles | undefined;
  let queries: IndexQueries | undefined;
  let running: Promise<IndexUpdate & { rebuilt: string | null }> | undefined;
  let watcher: ChangeWatcher | null = null;
  let lastFullScan = 0;
  let closed = false;
  /** Files the last full scan left out, plus new ones since that did not fit: what the index lacks now. */
  let leftOut = 0;

  /** What to look at: everything, or only what the watcher saw change. */
  const scope = (): 'all' | string[] => {
    if (!watcher || Date.now() - lastFullScan > FULL_SCAN_EVERY_MS) return 'all';
    const { paths, overflow } = watcher.take();
    if (overflow || paths.length > MAX_PARTIAL_PATHS) return 'all';
    return paths;
  };

  const startWatching = () => {
    if (!options.watch || watcher || closed || !stored) return;
    watcher = watchProjectDirs(root, foldersOf(stored.keys()));
    // What changed between the scan and the watch start is caught by one more full scan, now.
    lastFullScan = 0;
    if (watcher) void update().catch(() => {});
  };

  const rebuild = (reason: string) => {
    try {
      opened.db.close();
    } catch {}
    opened = { db: createIndexDatabase(file), rebuilt: reason };
    stored = undefined;
    queries = undefined;
    pendingRebuild = reason;
  };

  const run = async () => {
    const attempt = async () => {
      stored ??= readStoredFiles(opened.db);
      const what = scope();
      if (what !== 'all' && what.length === 0) return { ...NOTHING_CHANGED, files: stored.size, leftOut };
      if (what === 'all') lastFullScan = Date.now();
      const u = await updateIndex(
        opened.db,
        root,
        stored,
        loadSymbolParser,
        what,
        Date.now,
        options.maxFiles,
      );
      leftOut = what === 'all' ? u.leftOut : leftOut + u.leftOut;
      return { ...u, leftOut };
    };
    let result: IndexUpdate;
    try {
      result = await attempt();
    } catch (error) {
      if (!isCorruptionError(error)) throw error;
      rebuild(`the index was damaged (${(error as Error).message})`);
      result = await attempt();
    }
    const rebuilt = pendingRebuild;
    if (rebuilt) options.onRebuild?.(rebuilt);
    pendingRebuild = null;
    return { ...result, rebuilt };
  };

  const update = () => {
    running ??= run().finally(() => {
      running = undefined;
      startWatching();
    });
    return running;
  };

  return {
    root,
    update,
    queries() {
      queries ??= createIndexQueries(opened.db);
      return queries;
    },
    db: () => opened.db,
    rebuild,
    close() {
      closed = true;
      watcher?.close();
      watcher = null;
      opened.db.close();
    },
  };
}
