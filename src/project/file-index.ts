import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gitExec } from '../git/git-exec.js';

/** The project's file list, cached: what the parse stage resolves spoken file names against. */
export interface FileIndex {
  /**
   * Project-relative POSIX paths: tracked plus untracked-not-ignored (git), sorted, all of them
   * (`maxFiles` only bounds the walk of a folder that is not a git work tree).
   * The same array object is returned while the listing is unchanged; treat it as read-only.
   */
  list(): Promise<string[]>;
  /** Forgets the cached list; the next `list()` reads the project again. */
  invalidate(): void;
}

/** Options for `createFileIndex`. */
export interface FileIndexOptions {
  /** Most paths the fallback walk (outside a git work tree) collects (default 200,000); git's listing is never cut. */
  maxFiles?: number;
  /** How long a list stays fresh, in ms (default 5,000). */
  ttlMs?: number;
  /** Clock in ms, injectable for tests (default `Date.now`). */
  now?: () => number;
}

/** Folders the fallback walk never enters. */
const SKIPPED_DIRS = new Set([
  '.git',
  'node_modules',
  '.ralex',
  'dist',
  'build',
  '.venv',
  '__pycache__',
  'target',
]);

/** Creates a cached file index over `root`, via `git ls-files`, or a bounded walk when `root` is not a git repository. */
export function createFileIndex(root: string, opts: FileIndexOptions = {}): FileIndex {
  const maxFiles = opts.maxFiles ?? 200_000;
  const ttlMs = opts.ttlMs ?? 5_000;
  const now = opts.now ?? Date.now;
  let cached: { at: number; files: Promise<string[]> } | undefined;
  let previous: string[] = [];
  // An unchanged listing comes back as the very same array, so consumers can cache work per array (parseCommand does).
  const reuse = (files: string[]) => {
    if (files.length !== previous.length || files.some((f, i) => f !== previous[i])) previous = files;
    return previous;
  };

  return {
    list() {
      if (cached && now() - cached.at < ttlMs) return cached.files;
      const entry = { at: now(), files: readFiles(root, maxFiles).then(reuse) };
      cached = entry;
      // A failed read is not cached: the next call tries again.
      entry.files.catch(() => {
        if (cached === entry) cached = undefined;
      });
      return entry.files;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

async function readFiles(root: string, maxFiles: number): Promise<string[]> {
  const fromGit = await gitFiles(root);
  const files = fromGit ?? (await walkFiles(root, maxFiles));
  return files.sort();
}

/** Paths from git (tracked files still on disk, plus untracked ones not ignored), or undefined outside a work tree. */
async function gitFiles(root: string): Promise<string[] | undefined> {
  const [listed, deleted] = await Promise.all([
    gitPaths(root, ['--cached', '--others', '--exclude-standard']),
    gitPaths(root, ['--deleted']),
  ]);
  if (!listed) return undefined;
  const gone = new Set(deleted ?? []);
  const seen = new Set<string>();
  for (const path of listed) {
    if (gone.has(path) || seen.has(path)) continue;
    seen.add(path);
  }
  return [...seen];
}

/** Ralex's own folder is never a project file: not for spoken names, not for the vocabulary. */
const NOT_RALEX = [':(exclude,glob).ralex/**', ':(exclude).ralex'];

function gitPaths(root: string, options: readonly string[]): Promise<string[] | undefined> {
  return gitExec(root, ['ls-files', '-z', ...options, '--', '.', ...NOT_RALEX]).then(
    (stdout) => stdout.split('\0').filter((p) => p.length > 0),
    () => undefined,
  );
}

/** Breadth-first walk, skipping dependency and VCS folders and symlinks, stopping at `maxFiles`. */
async function walkFiles(root: string, maxFiles: number): Promise<string[]> {
  const files: string[] = [];
  const queue: string[] = [''];
  while (queue.length > 0 && files.length < maxFiles) {
    const dir = queue.shift()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) queue.push(rel);
      } else if (entry.isFile()) {
        files.push(rel);
        if (files.length >= maxFiles) break;
      }
    }
  }
  return files;
}
