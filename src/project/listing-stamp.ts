import { lstatSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * What the project's file listing depends on, as file-system stamps: git's index (tracked files),
 * the folders holding the files (a file added, removed or renamed changes its folder's mtime),
 * and the ignore files (which untracked files count). While every stamp holds, `git ls-files`
 * would list the same files, so the listing need not be read again. Kept as JSON.
 */
export interface ListingStamp {
  /** [absolute path, "mtimeNs:size:ino" or "-" when absent] */
  entries: [string, string][];
  /** False when something changed too close to the listing to be sure it was seen. */
  settled: boolean;
}

/** A change this close before the listing started (ms) may have been missed by it. */
const RACY_MS = 2_000;

function signature(path: string): { sig: string; mtimeMs: number } {
  try {
    const st = statSync(path, { bigint: true });
    return { sig: `${st.mtimeNs}:${st.size}:${st.ino}`, mtimeMs: Number(st.mtimeNs / 1_000_000n) };
  } catch {
    return { sig: '-', mtimeMs: 0 };
  }
}

/** The git directory of a work tree (`.git`, or where a `.git` file of a worktree points). */
export function gitDirOf(root: string): string {
  const dotGit = join(root, '.git');
  const st = lstatSync(dotGit, { throwIfNoEntry: false });
  if (st?.isFile()) {
    const target = /^gitdir:\s*(.+)\s*$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
    if (target) return isAbsolute(target) ? target : resolve(root, target);
  }
  return dotGit;
}

/** The paths whose stamps the listing of `files` (project-relative) depends on. */
function stampedPaths(root: string, files: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const gitDir = gitDirOf(root);
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  const paths = [join(gitDir, 'index'), join(gitDir, 'info', 'exclude'), join(configHome, 'git', 'ignore')];
  const dirs = new Set<string>(['']);
  for (const file of files) {
    if (file === '.gitignore' || file.endsWith('/.gitignore')) paths.push(join(root, file));
    let i = file.lastIndexOf('/');
    while (i > 0) {
      const dir = file.slice(0, i);
      if (dirs.has(dir)) break;
      dirs.add(dir);
      i = dir.lastIndexOf('/');
    }
  }
  for (const dir of dirs) paths.push(dir ? join(root, dir) : root);
  return paths;
}

/** Stamps the listing of `files`, which was read starting at `listedAt` (ms). */
export function takeListingStamp(
  root: string,
  files: readonly string[],
  listedAt: number,
  env: NodeJS.ProcessEnv = process.env,
): ListingStamp {
  let settled = true;
  const entries = stampedPaths(root, files, env).map((path): [string, string] => {
    const { sig, mtimeMs } = signature(path);
    if (mtimeMs >= listedAt - RACY_MS) settled = false;
    return [path, sig];
  });
  return { entries, settled };
}

/** Whether the listing a stamp was taken of is still what git would list (O(folders) stats, no git). */
export function listingStampHolds(stamp: ListingStamp | undefined): boolean {
  if (!stamp?.settled) return false;
  for (const [path, sig] of stamp.entries) if (signature(path).sig !== sig) return false;
  return true;
}
