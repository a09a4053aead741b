import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { HOST_GIT_CONFIG, hostGitEnv } from '../../git/git-exec.js';
import { isSecretPath } from '../../project/secret-files.js';

/** Folders the search for secret files does not enter: dependencies, builds, VCS and Ralex's own. */
const SKIPPED = new Set([
  '.git',
  'node_modules',
  '.ralex',
  'vendor',
  'dist',
  'build',
  'target',
  '.venv',
  'venv',
  '__pycache__',
  '.next',
  '.cache',
]);
const MAX_DEPTH = 6;
const MAX_ENTRIES = 20_000;

/**
 * The project's secret files (`.env`, private keys, credential files — the path policy's list),
 * project-relative, found by a bounded walk; `visible` globs (from `sandbox.visible_secrets`) are
 * left out, and so are files git tracks: those are in the repository's history for anyone to
 * read (`git show HEAD:…`), usually test fixtures, and an empty stand-in would make git report
 * them modified. The sandbox mounts an empty file over each, so neither `cat .en?` nor `grep -r`
 * in a command can read them, whatever the command line looks like.
 */
export function findProjectSecrets(project: string, visible: readonly string[] = []): string[] {
  const shown = visible.length ? picomatch([...visible], { dot: true }) : () => false;
  const found: string[] = [];
  const queue: { dir: string; depth: number }[] = [{ dir: '', depth: 0 }];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_ENTRIES) {
    const { dir, depth } = queue.shift()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(join(project, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      seen++;
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name) && depth < MAX_DEPTH) queue.push({ dir: rel, depth: depth + 1 });
      } else if ((entry.isFile() || entry.isSymbolicLink()) && isSecretPath(rel) && !shown(rel)) {
        found.push(rel);
      }
    }
  }
  return found.length ? untracked(project, found) : found;
}

/** The paths git does not track (all of them outside a repository). */
function untracked(project: string, paths: string[]): string[] {
  let tracked: Set<string>;
  try {
    const args = [...HOST_GIT_CONFIG, 'ls-files', '-z', '--', ...paths.map((p) => `:(literal)${p}`)];
    const out = execFileSync('git', args, { cwd: project, encoding: 'utf8', env: hostGitEnv() });
    tracked = new Set(out.split('\0').filter(Boolean));
  } catch {
    tracked = new Set();
  }
  return paths.filter((p) => !tracked.has(p));
}
