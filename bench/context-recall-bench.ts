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
 * recent commits to sample from, default 1500), --set tuning|held-out|fresh, --without,
 * --try (signal weights, LEXICAL_TUNING and COMBINE settings), --cases file.json, --train
 * file.json (training cases for bench/train-ranking.ts), --history N (commits of history the
 * ranking reads; Ralex reads HISTORY_COMMITS).
 * `Ralex` is the ranking Ralex uses (hand-set weights); `learned` the learned combination.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { programmingLanguageOf } from '../src/context/index/file-kind.js';
import { identifiersIn, splitIdentifier } from '../src/context/index/identifiers.js';
import { openProjectIndex } from '../src/context/index/project-index.js';
import { HISTORY_COMMITS, recentHistory } from '../src/context/rank/git-history.js';
import { LEXICAL_TUNING, type LexicalTuning } from '../src/context/rank/lexical-scores.js';
import {
  COMBINE,
  type Combine,
  rankFeatures,
  rankFiles,
  rankFilesLearned,
  SIGNAL_WEIGHTS,
  type SignalWeights,
} from '../src/context/rank/rank-files.js';
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
/** `--history N`: commits of history the ranking reads (default Ralex's, HISTORY_COMMITS). */
const HISTORY = option('history', HISTORY_COMMITS);
/** `--without graph,coChange`: rank with those signals off, to measure what each adds. */
const withoutIndex = args.indexOf('--without');
const without = withoutIndex >= 0 ? args.splice(withoutIndex, 2)[1]!.split(',') : [];
const WEIGHTS: SignalWeights = { ...SIGNAL_WEIGHTS };
for (const w of without) {
  if (!(w in WEIGHTS)) throw new Error(`--without: no signal ${w} (${Object.keys(WEIGHTS).join(', ')})`);
  WEIGHTS[w as keyof SignalWeights] = 0;
}
/**
 * `--try 'coChange=0,2.5,5;recent=0,1'`: rank each case with every combination of those weights
 * as well and print each combination's recall. Weights are chosen on the tuning set only, so
 * `--try` runs only its repositories.
 */
const tryIndex = args.indexOf('--try');
interface Trial {
  label: string;
  weights: SignalWeights;
  lexical: LexicalTuning;
  combine: Combine;
}
const trials: Trial[] = [];
if (tryIndex >= 0) {
  let combos: Trial[] = [{ label: '', weights: WEIGHTS, lexical: LEXICAL_TUNING, combine: COMBINE }];
  for (const part of args.splice(tryIndex, 2)[1]!.split(';').filter(Boolean)) {
    const [name, values] = part.split('=');
    if (!name || !values || !(name in WEIGHTS || name in LEXICAL_TUNING || name in COMBINE))
      throw new Error(`--try: no signal, lexical or combination setting ${name}`);
    combos = combos.flatMap((c) =>
      values.split(',').map((v) => ({
        label: `${c.label} ${name}=${v}`,
        weights: name in WEIGHTS ? { ...c.weights, [name]: Number(v) } : c.weights,
        lexical: name in LEXICAL_TUNING ? { ...c.lexical, [name]: Number(v) } : c.lexical,
        combine: name in COMBINE ? { ...c.combine, [name]: Number(v) } : c.combine,
      })),
    );
  }
  for (const c of combos) trials.push({ ...c, label: c.label.trim() });
}
/**
 * `--train file.json`: instead of measuring, write training cases for the learned ranking
 * (bench/train-ranking.ts): `--train-commits` commits per tuning repository (default 120) from
 * the last `--train-window` (default 4000) that the measured sample does not contain, each with
 * every candidate file's features. Tuning set only.
 */
const trainIndex = args.indexOf('--train');
const trainOut = trainIndex >= 0 ? args.splice(trainIndex, 2)[1]! : null;
const TRAIN_COMMITS = option('train-commits', 120);
const TRAIN_WINDOW = option('train-window', 4000);
/** One training case: the request, the answer and each candidate's features. */
interface TrainingCase {
  repo: string;
  sha: string;
  subject: string;
  answer: string[];
  files: Record<string, Record<string, number>>;
}
const trainingCases: TrainingCase[] = [];
const setIndex = args.indexOf('--set');
const onlySet = tryIndex >= 0 || trainOut ? 'tuning' : setIndex >= 0 ? args.splice(setIndex, 2)[1]! : 'all';
if (!['all', 'tuning', 'held-out', 'fresh'].includes(onlySet))
  throw new Error('--set: all, tuning, held-out or fresh');
const jsonIndex = args.indexOf('--cases');
const casesOut = jsonIndex >= 0 ? args.splice(jsonIndex, 2)[1]! : null;
const repos = (args.length ? args : (process.env.RALEX_CONTEXT_BENCH_REPOS ?? '').split(',')).filter(Boolean);

/**
 * The repositories weights and features were chosen on (fixed before the recall work of issue
 * 11, see bench/README.md); every other repository is held out.
 */
const TUNING = new Set(['requests', 'cobra', 'sinatra', 'zod', 'gson']);
/** Held out, but looked at by earlier weight choices (bench/README.md). */
const SEEN = new Set(['ripgrep', 'flask', 'gin', 'svelte']);
/** Held out, first used after the hand weights were set (2026-12-02 00:40). */
const NEW = new Set(['guzzle', 'jq', 'express', 'Newtonsoft.Json']);
const repoName = (source: string) => basename(source.replace(/\/(repo|\.git)\/?$/, ''));
/** tuning, held-out seen, held-out new, or fresh (any other repository: never used before). */
const setOf = (source: string) => {
  const name = repoName(source).replace(/^[^+]*\+/, '');
  if (TUNING.has(name)) return 'tuning';
  if (SEEN.has(name)) return 'held-out, seen';
  return NEW.has(name) ? 'held-out, new' : 'fresh';
};
const inSet = (source: string, set: string) =>
  set === 'all' || setOf(source) === set || (set === 'held-out' && setOf(source).startsWith('held-out'));

interface Case {
  sha: string;
  parent: string;
  subject: string;
  answer: string[];
}

/** Commits of the window that modify 1–5 source files that existed before (added files cannot be found). */
async function eligibleCases(dir: string, window: number): Promise<Case[]> {
  const log = await gitExec(dir, [
    'log',
    `-n${window}`,
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
    const source = changed.filter(([, p]) => programmingLanguageOf(p) !== null);
    if (source.length === 0 || source.length > 5 || source.some(([s]) => s === 'A')) continue;
    eligible.push({ sha: sha!, parent, subject, answer: source.map(([, p]) => p) });
  }
  return eligible;
}

/** `count` of the cases spread evenly, oldest first (so the index walks forward, incrementally). */
function spread(eligible: readonly Case[], count: number): Case[] {
  const step = Math.max(1, eligible.length / count);
  const picked: Case[] = [];
  for (let i = 0; i < count && Math.floor(i * step) < eligible.length; i++)
    picked.push(eligible[Math.floor(i * step)]!);
  return picked.reverse();
}

/** The measured sample: `--commits` cases of the last `--window` commits. */
async function sampleCases(dir: string): Promise<Case[]> {
  return spread(await eligibleCases(dir, WINDOW), COMMITS);
}

/** Training cases: of the last `--train-window` commits, never one the measured sample has. */
async function trainingSample(dir: string): Promise<Case[]> {
  const measured = new Set((await sampleCases(dir)).map((c) => c.sha));
  const rest = (await eligibleCases(dir, TRAIN_WINDOW)).filter((c) => !measured.has(c.sha));
  return spread(rest, TRAIN_COMMITS);
}

/** Plain BM25 (k1 1.2, b 0.75) over whole files, words split at identifiers like Ralex's index. */
function bm25Rank(docs: Map<string, string[]>, query: string[]): Map<string, number> {
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
  return new Map(scores.sort((a, b) => b[1] - a[1]));
}

const words = (text: string) =>
  identifiersIn(text).flatMap((id) => splitIdentifier(id).filter((w) => w.length >= 2));

const recall = (ranked: readonly string[], answer: readonly string[], k = K) =>
  answer.filter((a) => ranked.slice(0, k).includes(a)).length / answer.length;

/** One case's outcome, written with `--cases file.json` for study. */
interface CaseResult {
  repo: string;
  subject: string;
  answer: string[];
  ralex: string[];
  bm25: string[];
  /** Ralex's top 20 and every answer file it found, with each signal's points (for studying misses). */
  scored: { path: string; rank: number; score: number; signals: Record<string, number> }[];
}

const caseResults: CaseResult[] = [];

async function benchRepo(source: string) {
  const dir = await mkdtemp(join(tmpdir(), 'ralex-recall-'));
  try {
    await gitExec(tmpdir(), ['clone', '-q', '--no-checkout', source, dir]);
    const cases = trainOut ? await trainingSample(dir) : await sampleCases(dir);
    const index = openProjectIndex(dir, { stateDir: join(dir, '.git', 'ralex-bench-state') });
    const sums = { ralex: 0, learned: 0, learned20: 0, bm25: 0, named: 0, ralex20: 0, unmatched: 0 };
    const updates: number[] = [];
    const ranks: number[] = [];
    const trialSums: number[] = [];
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
      const code = new Set(paths.filter((p) => programmingLanguageOf(p) !== null));
      files = code.size;
      const parsed = parseCommand(c.subject, { files: paths });
      const history = await recentHistory(dir, index.db(), HISTORY);
      const t0 = performance.now();
      const rankInput = {
        request: parsed.request,
        intent: parsed.intent,
        files: parsed.files,
        looselyNamed: looselyNamed(parsed),
        candidates: parsed.mentions.flatMap((m) => (m.resolved ? [] : m.candidates.slice(0, 3))),
        session: [],
        diffFiles: [],
      };
      if (trainOut) {
        const files: Record<string, Record<string, number>> = {};
        for (const r of rankFeatures(q, history, rankInput, dir)) {
          if (!code.has(r.file.path)) continue;
          files[r.file.path] = Object.fromEntries(
            Object.entries(r.features)
              .filter(([, v]) => v !== 0)
              .map(([k, v]) => [k, Math.round(v * 1e4) / 1e4]),
          );
        }
        trainingCases.push({
          repo: repoName(source),
          sha: c.sha,
          subject: c.subject,
          answer: c.answer,
          files,
        });
        continue;
      }
      const rankedFull = rankFiles(q, history, rankInput, dir, WEIGHTS).filter((r) => code.has(r.file.path));
      const ranked = rankedFull.map((r) => r.file.path);
      ranks.push(performance.now() - t0);
      // The learned combination (src/context/rank/learned-ranking.ts), measured beside it.
      const learned = rankFilesLearned(q, history, rankInput, dir)
        .map((r) => r.file.path)
        .filter((p) => code.has(p));
      trials.forEach((t, i) => {
        const r = rankFiles(q, history, rankInput, dir, t.weights, t.lexical, t.combine)
          .map((x) => x.file.path)
          .filter((p) => code.has(p));
        trialSums[i] = (trialSums[i] ?? 0) + recall(r, c.answer);
      });
      const docs = new Map<string, string[]>();
      for (const p of code) {
        const text = await readFile(join(dir, p), 'utf8').catch(() => '');
        if (text.length < 512 * 1024) docs.set(p, words(`${p} ${text}`));
      }
      const bm25Scores = bm25Rank(docs, words(parsed.request));
      const bm25 = [...bm25Scores.keys()];
      sums.learned += recall(learned, c.answer);
      sums.learned20 += recall(learned, c.answer, 20);
      sums.ralex += recall(ranked, c.answer);
      sums.ralex20 += recall(ranked, c.answer, 20);
      sums.bm25 += recall(bm25, c.answer);
      // Answer files no word of the subject occurs in (path or text): no lexical signal can find them.
      const matched = new Set(bm25);
      sums.unmatched += c.answer.filter((a) => !matched.has(a)).length / c.answer.length;
      sums.named += recall(
        parsed.files.filter((p) => code.has(p)),
        c.answer,
      );
      if (casesOut)
        caseResults.push({
          repo: repoName(source),
          subject: c.subject,
          answer: c.answer,
          ralex: ranked.slice(0, 20),
          bm25: bm25.slice(0, 20),
          scored: rankedFull
            .map((r, i) => ({
              path: r.file.path,
              rank: i + 1,
              score: r.score,
              signals: { ...r.signals } as Record<string, number>,
            }))
            .filter((r) => r.rank <= 20 || c.answer.includes(r.path)),
        });
    }
    index.close();
    const n = done || 1;
    if (skipped) process.stdout.write(`${source}: ${skipped} commits could not be checked out, left out\n`);
    return {
      repo: repoName(source),
      set: setOf(source),
      cases: done,
      files,
      ralex: sums.ralex / n,
      learned: sums.learned / n,
      learned20: sums.learned20 / n,
      bm25: sums.bm25 / n,
      named: sums.named / n,
      ralex20: sums.ralex20 / n,
      unmatched: sums.unmatched / n,
      updateMs: updates.slice(1).sort((a, b) => a - b)[Math.floor((updates.length - 1) / 2)] ?? 0,
      rankMs: ranks.sort((a, b) => a - b)[Math.floor(ranks.length / 2)] ?? 0,
      trials: trials.map((_, i) => (trialSums[i] ?? 0) / n),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type RepoResult = Awaited<ReturnType<typeof benchRepo>>;

const MEASURES = ['ralex', 'learned', 'bm25', 'named', 'ralex20', 'learned20', 'unmatched'] as const;

/** The mean of each measure over the repositories with at least one usable commit. */
function meanRow(label: string, results: readonly RepoResult[]): string[] {
  const used = results.filter((r) => r.cases > 0);
  const mean = (m: (typeof MEASURES)[number] | 'gain') =>
    used.reduce((s, r) => s + (m === 'gain' ? r.ralex - r.bm25 : r[m]), 0) / (used.length || 1);
  const beat = used.filter((r) => r.ralex - r.bm25 >= 0.1).length;
  const met = used.filter((r) => r.ralex >= 0.85).length;
  return [
    `**mean, ${label} (${used.length})**`,
    '',
    '',
    '',
    mean('ralex').toFixed(3),
    mean('learned').toFixed(3),
    mean('bm25').toFixed(3),
    mean('named').toFixed(3),
    `${mean('gain') >= 0 ? '+' : ''}${mean('gain').toFixed(3)} (${beat} of ${used.length} >= 0.1)`,
    `${mean('ralex20').toFixed(3)} (${met} >= 0.85 @5)`,
    mean('learned20').toFixed(3),
    mean('unmatched').toFixed(3),
    '',
  ];
}

async function main() {
  if (repos.length === 0) {
    process.stdout.write(
      'context-recall-bench: no repositories given (RALEX_CONTEXT_BENCH_REPOS=/path/a,/path/b or arguments); skipped.\n',
    );
    return;
  }
  const chosen = repos.filter((r) => inSet(r, onlySet));
  process.stdout.write(
    `load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' ',
      )}; ${COMMITS} commits per repository${without.length ? `; without ${without.join(', ')}` : ''}\n`,
  );
  const results: RepoResult[] = [];
  const row = (r: RepoResult) => [
    r.set,
    r.repo,
    String(r.cases),
    String(r.files),
    r.ralex.toFixed(3),
    r.learned.toFixed(3),
    r.bm25.toFixed(3),
    r.named.toFixed(3),
    `${r.ralex - r.bm25 >= 0 ? '+' : ''}${(r.ralex - r.bm25).toFixed(3)}`,
    r.ralex20.toFixed(3),
    r.learned20.toFixed(3),
    r.unmatched.toFixed(3),
    r.rankMs.toFixed(1),
  ];
  for (const r of chosen) {
    const res = await benchRepo(r);
    results.push(res);
    process.stdout.write(`${row(res).join('  ')}\n`);
  }
  const rows = results.map(row);
  for (const set of ['tuning', 'held-out, seen', 'held-out, new', 'fresh'] as const) {
    const of = results.filter((r) => r.set === set);
    if (of.length) rows.push(meanRow(set, of));
  }
  const heldOut = results.filter((r) => r.set.startsWith('held-out'));
  if (heldOut.length) rows.push(meanRow('held-out', heldOut));
  if (new Set(results.map((r) => r.set)).size > 1) rows.push(meanRow('all', results));
  printTable(
    'recall@5 of the source files each commit modified (target: Ralex >= 0.85 and >= BM25 + 0.1 on each repository)',
    [
      'set',
      'repository',
      'commits',
      'source files',
      'Ralex',
      'learned',
      'BM25',
      'named only',
      'Ralex - BM25',
      'Ralex @20',
      'learned @20',
      'no subject word',
      'rank ms p50',
    ],
    rows,
  );
  if (trials.length) {
    const used = results.filter((r) => r.cases > 0);
    const trialRows = trials.map((t, i) => [
      t.label,
      ...used.map((r) => r.trials[i]!.toFixed(3)),
      (used.reduce((s, r) => s + r.trials[i]!, 0) / (used.length || 1)).toFixed(3),
      String(used.filter((r) => r.trials[i]! - r.bm25 >= 0.1).length),
    ]);
    trialRows.sort((a, b) => Number(b.at(-2)) - Number(a.at(-2)));
    printTable(
      'recall@5 per weight combination (tuning set)',
      ['weights', ...used.map((r) => r.repo), 'mean', '>= BM25 + 0.1'],
      trialRows,
    );
  }
  if (trainOut) await writeFile(trainOut, JSON.stringify(trainingCases));
  if (casesOut) await writeFile(casesOut, JSON.stringify(caseResults, null, 1));
}

await main();
