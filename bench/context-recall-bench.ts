/**
 * Recall of the context ranking on real repositories' history. Each sampled commit is a test
 * case: its subject is the command, the source files it modified are the answer, and the
 * project is checked out at its parent. Ralex's ranking (every signal; the session is empty)
 * is compared with a plain BM25 over the same files and with "the files the command names".
 * recall@5 = |top 5 ∩ answer| / |answer|, averaged over the commits of a repository.
 *
 * The repositories are not part of Ralex: pass git repositories (any clone or bare mirror;
 * each is cloned into a temp dir at run time) with
 *   RALEX_CONTEXT_BENCH_REPOS=/path/a,/path/b node --import tsx bench/context-recall-bench.ts
 * or as arguments. Options: --commits N (per repository, default 40), --window N (how many
 * recent commits to sample from, default 1500).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { languageOf } from '../src/context/index/file-kind.js';
import { identifiersIn, splitIdentifier } from '../src/context/index/identifiers.js';
import { openProjectIndex } from '../src/context/index/project-index.js';
import { recentHistory } from '../src/context/rank/git-history.js';
import { rankFiles, SIGNAL_WEIGHTS, type SignalWeights } from '../src/context/rank/rank-files.js';
import { gitExec } from '../src/git/git-exec.js';
import { looselyNamed } from '../src/pipeline/context.js';
import { parseCommand } from '../src/pipeline/parse/parse-command.js';
import { printTable } from './bench-stats.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback;
};
const COMMITS = option('commits', 40);
const WINDOW = option('window', 1500);
const K = 5;
/** `--without graph,coChange`: rank with those signals off, to measure what each adds. */
const withoutIndex = args.indexOf('--without');
const without = withoutIndex >= 0 ? args.splice(withoutIndex, 2)[1]!.split(',') : [];
const WEIGHTS: SignalWeights = { ...SIGNAL_WEIGHTS };
for (const w of without) {
  if (!(w in WEIGHTS)) throw new Error(`--without: no signal ${w} (${Object.keys(WEIGHTS).join(', ')})`);
  WEIGHTS[w as keyof SignalWeights] = 0;
}
const repos = (args.length ? args : (process.env.RALEX_CONTEXT_BENCH_REPOS ?? '').split(',')).filter(Boolean);

interface Case {
  sha: string;
  parent: string;
  subject: string;
  answer: string[];
}

/** Commits of the window that modify 1–5 source files that existed before (added files cannot be found). */
async function sampleCases(dir: string): Promise<Case[]> {
  const log = await gitExec(dir, [
    'log',
    `-n${WINDOW}`,
    '--no-merges',
    '--first-parent',
    '--no-renames',
    '--name-status',
    '--format=%x1e%H %P%x1f%s',
  ]);
  const eligible: Case[] = [];
  for (const block of log.split('\x1e').slice(1)) {
    const [head, ...lines] = block.split('\n');
    const [ids, subject] = head!.split('\x1f');
    const [sha, parent] = ids!.split(' ');
    if (!parent || !subject) continue;
    const changed = lines.filter((l) => /^[MA]\t/.test(l)).map((l) => [l[0], l.slice(2)] as const);
    const source = changed.filter(([, p]) => languageOf(p) !== null);
    if (source.length === 0 || source.length > 5 || source.some(([s]) => s === 'A')) continue;
    eligible.push({ sha: sha!, parent, subject, answer: source.map(([, p]) => p) });
  }
  // Evenly spread over the window, oldest first (so the index walks forward, incrementally).
  const step = Math.max(1, eligible.length / COMMITS);
  const picked: Case[] = [];
  for (let i = 0; i < COMMITS && Math.floor(i * step) < eligible.length; i++)
    picked.push(eligible[Math.floor(i * step)]!);
  return picked.reverse();
}

/** Plain BM25 (k1 1.2, b 0.75) over whole files, words split at identifiers like Ralex's index. */
function bm25Rank(docs: Map<string, string[]>, query: string[]): string[] {
  const n = docs.size;
  const avg = [...docs.values()].reduce((s, d) => s + d.length, 0) / (n || 1);
  const df = new Map<string, number>();
  const tfs = new Map<string, Map<string, number>>();
  for (const [path, words] of docs) {
    const tf = new Map<string, number>();
    for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
    tfs.set(path, tf);
    for (const q of new Set(query)) if (tf.has(q)) df.set(q, (df.get(q) ?? 0) + 1);
  }
  const scores: [string, number][] = [];
  for (const [path, tf] of tfs) {
    let s = 0;
    const len = docs.get(path)!.length;
    for (const q of new Set(query)) {
      const f = tf.get(q);
      if (!f) continue;
      const idf = Math.log(1 + (n - df.get(q)! + 0.5) / (df.get(q)! + 0.5));
      s += (idf * f * 2.2) / (f + 1.2 * (1 - 0.75 + (0.75 * len) / avg));
    }
    if (s > 0) scores.push([path, s]);
  }
  return scores.sort((a, b) => b[1] - a[1]).map(([p]) => p);
}

const words = (text: string) =>
  identifiersIn(text).flatMap((id) => splitIdentifier(id).filter((w) => w.length >= 2));

const recall = (ranked: readonly string[], answer: readonly string[]) =>
  answer.filter((a) => ranked.slice(0, K).includes(a)).length / answer.length;

async function benchRepo(source: string) {
  const dir = await mkdtemp(join(tmpdir(), 'ralex-recall-'));
  try {
    await gitExec(tmpdir(), ['clone', '-q', '--no-checkout', source, dir]);
    const cases = await sampleCases(dir);
    const index = openProjectIndex(dir, { stateDir: join(dir, '.git', 'ralex-bench-state') });
    const sums = { ralex: 0, bm25: 0, named: 0 };
    const updates: number[] = [];
    const ranks: number[] = [];
    let files = 0;
    let skipped = 0;
    let done = 0;
    for (const c of cases) {
      try {
        await gitExec(dir, ['-c', 'advice.detachedHead=false', 'checkout', '-q', '--force', c.parent]);
      } catch {
        // A snapshot may lack its largest blobs: such a commit cannot be checked out and is left out.
        skipped++;
        continue;
      }
      done++;
      const u = await index.update();
      updates.push(u.durationMs);
      const q = index.queries();
      const paths = q.allPaths();
      const code = new Set(paths.filter((p) => languageOf(p) !== null));
      files = code.size;
      const parsed = parseCommand(c.subject, { files: paths });
      const history = await recentHistory(dir, index.db());
      const t0 = performance.now();
      const ranked = rankFiles(
        q,
        history,
        {
          request: parsed.request,
          intent: parsed.intent,
          files: parsed.files,
          looselyNamed: looselyNamed(parsed),
          candidates: parsed.mentions.flatMap((m) => (m.resolved ? [] : m.candidates.slice(0, 3))),
          session: [],
          diffFiles: [],
        },
        dir,
        WEIGHTS,
      )
        .map((r) => r.file.path)
        .filter((p) => code.has(p));
      ranks.push(performance.now() - t0);
      const docs = new Map<string, string[]>();
      for (const p of code) {
        const text = await readFile(join(dir, p), 'utf8').catch(() => '');
        if (text.length < 512 * 1024) docs.set(p, words(`${p} ${text}`));
      }
      sums.ralex += recall(ranked, c.answer);
      sums.bm25 += recall(bm25Rank(docs, words(parsed.request)), c.answer);
      sums.named += recall(
        parsed.files.filter((p) => code.has(p)),
        c.answer,
      );
    }
    index.close();
    const n = done || 1;
    if (skipped) process.stdout.write(`${source}: ${skipped} commits could not be checked out, left out\n`);
    return {
      repo: basename(source.replace(/\/(repo|\.git)\/?$/, '')),
      cases: done,
      files,
      ralex: sums.ralex / n,
      bm25: sums.bm25 / n,
      named: sums.named / n,
      updateMs: updates.slice(1).sort((a, b) => a - b)[Math.floor((updates.length - 1) / 2)] ?? 0,
      rankMs: ranks.sort((a, b) => a - b)[Math.floor(ranks.length / 2)] ?? 0,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (repos.length === 0) {
    process.stdout.write(
      'context-recall-bench: no repositories given (RALEX_CONTEXT_BENCH_REPOS=/path/a,/path/b or arguments); skipped.\n',
    );
    return;
  }
  process.stdout.write(
    `load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ${COMMITS} commits per repository\n`,
  );
  const rows: string[][] = [];
  const all = { ralex: 0, bm25: 0, named: 0, n: 0 };
  for (const r of repos) {
    const res = await benchRepo(r);
    rows.push([
      res.repo,
      String(res.cases),
      String(res.files),
      res.ralex.toFixed(3),
      res.bm25.toFixed(3),
      res.named.toFixed(3),
      (res.ralex - res.bm25).toFixed(3),
      res.rankMs.toFixed(1),
    ]);
    // A repository with no usable commit (a snapshot missing its blobs) does not count in the mean.
    if (res.cases > 0) {
      all.ralex += res.ralex;
      all.bm25 += res.bm25;
      all.named += res.named;
      all.n++;
    }
    process.stdout.write(`${rows.at(-1)!.join('  ')}\n`);
  }
  rows.push([
    'mean',
    '',
    '',
    (all.ralex / all.n).toFixed(3),
    (all.bm25 / all.n).toFixed(3),
    (all.named / all.n).toFixed(3),
    ((all.ralex - all.bm25) / all.n).toFixed(3),
    '',
  ]);
  printTable(
    'recall@5 of the source files each commit modified (target: Ralex >= 0.85 and >= BM25 + 0.1)',
    ['repository', 'commits', 'source files', 'Ralex', 'BM25', 'named only', 'Ralex - BM25', 'rank ms p50'],
    rows,
  );
}

await main();
