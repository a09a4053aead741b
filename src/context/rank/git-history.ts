import { gitExec } from '../../git/git-exec.js';
import type { IndexDb } from '../index/index-database.js';

/** One commit of the project's recent history: its subject and the files it changed, newest commit first. */
export interface HistoryCommit {
  files: string[];
  /** The commit's subject line (absent in a history cached by an older Ralex). */
  subject?: string;
}

/** Cache rows of this shape (with subjects) are keyed `v2:<sha>`, so an older cache is read again. */
const CACHE_KEY = 'v2:';

/** Commits read from `git log` (enough to see which files change together, cheap to parse). */
export const HISTORY_COMMITS = 500;

/**
 * The last commits before HEAD with the files each changed, cached in the index by HEAD's sha
 * (so `git log` runs once per new HEAD). Empty in a repository with no commits yet.
 */
export async function recentHistory(
  root: string,
  db: IndexDb,
  limit = HISTORY_COMMITS,
): Promise<HistoryCommit[]> {
  const head = (
    await gitExec(root, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'], { allowExitCodes: [1] })
  ).trim();
  if (!head) return [];
  const key = `${CACHE_KEY}${limit === HISTORY_COMMITS ? '' : `${limit}:`}${head}`;
  const cached = db.prepare('SELECT commits_json FROM history WHERE head = ?').get(key) as
    | { commits_json: string }
    | undefined;
  if (cached) return JSON.parse(cached.commits_json) as HistoryCommit[];
  const log = await gitExec(root, [
    'log',
    `-n${limit}`,
    '--no-merges',
    '--name-only',
    '--no-renames',
    '--format=%x1e%s',
    head,
  ]);
  const commits: HistoryCommit[] = [];
  for (const block of log.split('\x1e').slice(1)) {
    const [subject, ...lines] = block.split('\n');
    const files = lines.filter((l) => l.length > 0);
    if (files.length) commits.push({ files, subject: subject ?? '' });
  }
  db.transaction(() => {
    db.prepare('DELETE FROM history').run();
    db.prepare('INSERT INTO history (head, commits_json) VALUES (?, ?)').run(key, JSON.stringify(commits));
  })();
  return commits;
}

/** Commits touching more files than this (a rename sweep, a format run) say nothing about pairs. */
const MAX_COMMIT_FILES = 30;

/**
 * How likely each file is to change when the `seeds` do: for each seed, the share of its commits
 * that also changed the file (smoothed, so one shared commit of a file changed once counts
 * little), weighted by the seed's weight and by how small the commits were.
 */
export function coChanged(
  commits: readonly HistoryCommit[],
  seeds: ReadonlyMap<string, number>,
): Map<string, { weight: number; with: string; commits: number }> {
  const seedCommits = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  const counts = new Map<string, number>();
  for (const c of commits) {
    if (c.files.length > MAX_COMMIT_FILES) continue;
    const size = 1 / Math.log2(1 + c.files.length);
    for (const seed of c.files) {
      if (!seeds.has(seed)) continue;
      seedCommits.set(seed, (seedCommits.get(seed) ?? 0) + 1);
      const row = pairs.get(seed) ?? new Map<string, number>();
      for (const f of c.files) {
        if (f === seed || seeds.has(f)) continue;
        row.set(f, (row.get(f) ?? 0) + size);
        counts.set(`${seed}\0${f}`, (counts.get(`${seed}\0${f}`) ?? 0) + 1);
      }
      pairs.set(seed, row);
    }
  }
  const out = new Map<string, { weight: number; with: string; commits: number; best: number }>();
  for (const [seed, row] of pairs) {
    const total = seedCommits.get(seed)! + 2;
    const sw = seeds.get(seed)!;
    for (const [f, together] of row) {
      const w = (sw * together) / total;
      const n = counts.get(`${seed}\0${f}`)!;
      const e = out.get(f) ?? { weight: 0, with: seed, commits: n, best: 0 };
      // The reason names the seed that contributes most.
      if (w > e.best) Object.assign(e, { with: seed, commits: n, best: w });
      e.weight += w;
      out.set(f, e);
    }
  }
  return out;
}

/** Files changed in the last `depth` commits, newest weighing most (each older commit by `decay`). */
export function recentlyChanged(
  commits: readonly HistoryCommit[],
  depth = 20,
  decay = 0.85,
): Map<string, number> {
  const out = new Map<string, number>();
  commits.slice(0, depth).forEach((c, i) => {
    if (c.files.length > MAX_COMMIT_FILES) return;
    for (const f of c.files) out.set(f, (out.get(f) ?? 0) + decay ** i);
  });
  return out;
}
