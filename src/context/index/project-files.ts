import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { gitExecStream } from '../../git/git-exec.js';

/** One project file as the index sees it: path, size and modification time. */
export interface ProjectFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** What listing the project found. */
export interface ProjectFileList {
  files: ProjectFile[];
  /** Listed by git but unreadable (permissions, vanished, not a regular file). */
  unreadable: number;
  /** Files past `maxFiles`, not listed (0 unless the project is larger than the bound). */
  leftOut: number;
}

/**
 * Most files indexed: the index of a larger project holds the first this many git lists and
 * says how many it left out (the update's `leftOut`, a note in `ralex context`). A bound on
 * memory only: a million paths with their symbols and text is more than a laptop's index should hold.
 */
export const MAX_PROJECT_FILES = 1_000_000;

/**
 * The project's files from git (or, with `pathspecs`, those of them at or under these paths): tracked ones still on disk plus untracked ones not ignored,
 * never anything under `.ralex/`, with sizes and mtimes (what the index compares to see change).
 */
export async function listProjectFiles(
  root: string,
  pathspecs: readonly string[] = [],
  maxFiles = MAX_PROJECT_FILES,
): Promise<ProjectFileList> {
  const spec = pathspecs.length ? ['--', ...pathspecs.map((p) => `:(literal)${p}`)] : [];
  const seen = new Set<string>();
  const files: ProjectFile[] = [];
  let unreadable = 0;
  let leftOut = 0;
  const take = (path: string) => {
    if (!path || seen.has(path) || path === '.ralex' || path.startsWith('.ralex/')) return;
    seen.add(path);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(join(root, path), { throwIfNoEntry: false });
    } catch {
      unreadable++;
      return;
    }
    // Gone from disk but still in git's index (deleted, not yet staged): not a project file now.
    if (!st) return;
    // Symlinks and submodules are skipped: a link may point outside the project, a submodule is another repository.
    if (!st.isFile()) {
      if (!st.isDirectory() && !st.isSymbolicLink()) unreadable++;
      return;
    }
    if (files.length >= maxFiles) leftOut++;
    else files.push({ path, size: st.size, mtimeMs: st.mtimeMs });
  };
  // Streamed: paths are taken as git prints them, so no listing is held whole or cut by a buffer size.
  // A chunk may end inside a multi-byte character: the decoder keeps it for the next.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  await gitExecStream(
    root,
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard', ...spec],
    (chunk) => {
      const parts = (rest + decoder.write(chunk)).split('\0');
      rest = parts.pop() ?? '';
      for (const path of parts) take(path);
    },
  );
  take(rest + decoder.end());
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, unreadable, leftOut };
}
