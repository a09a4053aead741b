import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { gitExec } from '../../git/git-exec.js';

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
}

/** Most files listed; a project larger than this is indexed up to it (sorted by path). */
export const MAX_PROJECT_FILES = 100_000;

/**
 * The project's files from git (or, with `pathspecs`, those of them at or under these paths): tracked ones still on disk plus untracked ones not ignored,
 * never anything under `.ralex/`, with sizes and mtimes (what the index compares to see change).
 */
export async function listProjectFiles(
  root: string,
  pathspecs: readonly string[] = [],
): Promise<ProjectFileList> {
  const spec = pathspecs.length ? ['--', ...pathspecs.map((p) => `:(literal)${p}`)] : [];
  const listed = await gitExec(root, [
    'ls-files',
    '-z',
    '--cached',
    '--others',
    '--exclude-standard',
    ...spec,
  ]);
  const seen = new Set<string>();
  const files: ProjectFile[] = [];
  let unreadable = 0;
  for (const path of listed.split('\0')) {
    if (!path || seen.has(path) || path === '.ralex' || path.startsWith('.ralex/')) continue;
    seen.add(path);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(join(root, path), { throwIfNoEntry: false });
    } catch {
      unreadable++;
      continue;
    }
    // Gone from disk but still in git's index (deleted, not yet staged): not a project file now.
    if (!st) continue;
    // Symlinks and submodules are skipped: a link may point outside the project, a submodule is another repository.
    if (!st.isFile()) {
      if (!st.isDirectory() && !st.isSymbolicLink()) unreadable++;
      continue;
    }
    files.push({ path, size: st.size, mtimeMs: st.mtimeMs });
    if (files.length >= MAX_PROJECT_FILES) break;
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, unreadable };
}
