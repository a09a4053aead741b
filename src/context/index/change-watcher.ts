import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';

/** Paths that changed since the last `take()`, from file-system notifications (inotify on Linux). */
export interface ChangeWatcher {
  /** The changed project-relative paths (files or folders), and whether some events were lost. */
  take(): { paths: string[]; overflow: boolean };
  /** Stops watching. */
  close(): void;
}

/** More folders than this are not watched: the index falls back to a full scan each time. */
export const MAX_WATCHED_DIRS = 30_000;

/**
 * Watches each of `dirs` (project-relative; '' is the root) without recursion: a change to a file
 * or a new entry marks its path. A folder created later is marked, not watched, until the next
 * full scan starts a new watcher. The watches do not keep the process alive.
 */
export function watchProjectDirs(root: string, dirs: Iterable<string>): ChangeWatcher | null {
  const list = [...dirs];
  if (list.length > MAX_WATCHED_DIRS) return null;
  const dirty = new Set<string>();
  let overflow = false;
  const watchers: FSWatcher[] = [];
  for (const dir of list) {
    try {
      const w = watch(join(root, dir), { persistent: false }, (_type, name) => {
        if (name === null || name === undefined) {
          overflow = true;
          return;
        }
        const path = dir ? `${dir}/${name}` : String(name);
        if (path === '.git' || path.startsWith('.git/') || path === '.ralex' || path.startsWith('.ralex/'))
          return;
        dirty.add(path);
      });
      w.on('error', () => {
        overflow = true;
      });
      watchers.push(w);
    } catch {
      // A folder that vanished between listing and watching: its files are checked by the next full scan.
      overflow = true;
    }
  }
  return {
    take() {
      const out = { paths: [...dirty], overflow };
      dirty.clear();
      overflow = false;
      return out;
    },
    close() {
      for (const w of watchers) w.close();
      watchers.length = 0;
    },
  };
}

/** The folders holding `paths` (and their parents), '' for the root. */
export function foldersOf(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>(['']);
  for (const p of paths) {
    let i = p.lastIndexOf('/');
    while (i > 0) {
      const d = p.slice(0, i);
      if (dirs.has(d)) break;
      dirs.add(d);
      i = d.lastIndexOf('/');
    }
  }
  return dirs;
}
