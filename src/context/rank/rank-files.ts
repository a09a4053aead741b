import type { IndexQueries, StoredFile } from '../index/index-queries.js';
import { type GatheredFile, gatherSignals } from './gather-signals.js';
import type { HistoryCommit } from './git-history.js';
import { LEARNED_RANKING } from './learned-ranking.js';
import { LEXICAL_TUNING, type LexicalTuning } from './lexical-scores.js';
import { FEATURES, type Feature, featuresOf, LEARNING_WEIGHTS } from './rank-features.js';

/** What the ranking knows about a command. */
export interface RankInput {
  /** The request as parsed (fillers and trigger removed, spoken file names replaced by paths). */
  request: string;
  intent: string;
  /** Files the command names, resolved. */
  files: readonly string[];
  /** Of those, the ones named only by a bare word ("connection" → Connection.java): weaker evidence. */
  looselyNamed?: readonly string[];
  /** Files an unclear mention could mean. */
  candidates: readonly string[];
  /** Files earlier commands of this session touched, with how many commands ago (0 = the last). */
  session: readonly { path: string; age: number }[];
  /** Files changed in the working tree (what a review looks at). */
  diffFiles: readonly string[];
  /** Output of failing tests, when known (a fix gets the files its tracebacks name). */
  failingOutput?: string;
}

/** A part of a file worth showing when the whole does not fit (1-based, inclusive). */
export interface FocusRange {
  start: number;
  end: number;
  weight: number;
}

/** One ranked file: its score, the reasons, and the parts of it that matched. */
export interface RankedFile {
  file: StoredFile;
  score: number;
  reasons: string[];
  focus: FocusRange[];
  /** What each signal added to the score. */
  signals?: Partial<Record<Signal, number>>;
}

/**
 * A ranking signal (a key of SIGNAL_WEIGHTS), or `shape`: what the learned ranking reads from the
 * file itself (a test? how deep, how long), which orders files the signals found but finds none.
 */
export type Signal = keyof typeof SIGNAL_WEIGHTS | 'shape';

/** How much each signal can add to a file's score. */
export type SignalWeights = Record<keyof typeof SIGNAL_WEIGHTS, number>;

/**
 * The weights Ralex ranks with, set by hand (a coordinate search on the tuning repositories, see
 * bench/README.md). A learned combination (`rankFilesLearned`) is measured beside them in the
 * recall bench; it ranked fewer of the changed files in the top 5 on held-out repositories
 * (2026-12-02), so these stay.
 */
export const SIGNAL_WEIGHTS = {
  named: 10,
  traceback: 6,
  symbol: 6,
  symbolSpoken: 3,
  diff: 5,
  lexical: 4,
  candidate: 3,
  // Off for ranking: on the history bench, symbol-graph neighbours crowded out the files a change
  // is about (mean recall@5 0.625 with, 0.685 without). The graph picks the repo map instead.
  graph: 0,
  coChange: 2.5,
  session: 2,
  recent: 1,
  similar: 2,
  prior: 0.3,
  pair: 0,
  path: 0,
  /**
   * A single word of the command that is the whole name of at most three definitions ("Fix Session
   * leak" → class Session). Off: on the tuning set it helped cobra and sinatra and cost zod and gson
   * (mean 0.746 → 0.741–0.746, 2026-12-02).
   */
  symbolWord: 0,
  /**
   * Files that usually change with what the last five commits changed (work in progress goes on).
   * Off: on the tuning set it found one more answer file (requests) and cost none (0.746 →
   * 0.748), but on the held-out set it cost guzzle and Newtonsoft.Json one case each (0.793 →
   * 0.786; fresh 0.649 → 0.664, 2026-12-02), level over all 12, so it stays a bench option
   * (`--try recentCo=1`).
   */
  recentCo: 0,
} as const;

/**
 * How the signals' points are combined. With `place` > 0 each signal gives a file its points and,
 * `place` times over, a share of its weight by the file's place among the files that signal
 * found: `placeK / (placeK + i)` for the (i+1)-th (the first gets the whole weight, the second
 * half), none below `floor` × the signal's best points (a trace of a match earns no place); the
 * sum is divided by 1 + `place`, so a file first in every signal that found it scores its points.
 * Off (`place: 0`, the plain sum): on the tuning set `place: 2` lifted recall@5 from 0.748 to
 * 0.768 (requests and zod up, gson down), but on the held-out set it cost (flask 0.827 → 0.752:
 * the first file of a weak signal — the last commit's, a single co-change — rose over the
 * answer; recall7, 2026-12-02, bench/README.md), so it stays a bench option (`--try place=2`).
 *
 * `recentOnPrior`: whether the recent-commits signal may order a file only the prior found (1)
 * or only files a signal other than history found (0). With 1 a file merely changed lately gets
 * the prior's 0.3 and recency's 1 and can rise over the files the words found; 0 lifted the
 * tuning set's recall@5 0.744 → 0.754 (requests +0.033, zod +0.017) but cost the held-out set
 * (guzzle, jq, express one case each, Newtonsoft.Json −0.021; 2026-12-03), so it stays 1 and a
 * bench option (`--try recentOnPrior=0`).
 * `changelog`: the share of the words' and history's points a changelog keeps (CHANGES.rst ranked
 * first for "explain how blueprints register routes" in flask); level on the tuning set.
 */
export const COMBINE = { place: 0, placeK: 1, floor: 0.1, recentOnPrior: 1, changelog: 0.3 };

/** A setting of the combination (a bench may pass others to compare). */
export type Combine = Record<keyof typeof COMBINE, number>;

/** A learned ranking: a bias and a weight per feature, the score 10 × sigmoid(bias + Σ weight × feature). */
export interface LearnedRanking {
  bias: number;
  weights: Record<Feature, number>;
}

/** A file kept by name only cannot be shown; it still ranks, lower. */
const NAME_ONLY = 0.3;

/**
 * Ranks the project's files by the learned ranking (learned-ranking.ts): every signal gathered,
 * then combined by the model. A file's score is 10 × the model's estimate that the command is
 * about it; `signals` holds what each signal added to the model's sum (its log-odds), and the
 * reasons name the signals that added to it, most first. Measured in the recall bench; not what
 * `rankFiles` uses (see SIGNAL_WEIGHTS).
 */
export function rankFilesLearned(
  q: IndexQueries,
  history: readonly HistoryCommit[],
  input: RankInput,
  root: string,
  model: LearnedRanking = LEARNED_RANKING,
): RankedFile[] {
  const gathered = [
    ...gatherSignals(q, history, input, root, LEARNING_WEIGHTS, LEXICAL_TUNING, COMBINE).files.values(),
  ];
  const features = featuresOf(gathered);
  const scored = gathered.map((g) => scoreLearned(g, features.get(g)!, model));
  // Sorted before rounding: a sigmoid rounded ties near the top.
  scored.sort((a, b) => b.key - a.key || (a.ranked.file.path < b.ranked.file.path ? -1 : 1));
  return scored.map((s) => s.ranked);
}

/** One file's learned score, its signals' shares of it and the reasons of those that added to it. */
function scoreLearned(
  g: GatheredFile,
  x: Record<Feature, number>,
  model: LearnedRanking,
): { ranked: RankedFile; key: number } {
  const signals: Partial<Record<Signal, number>> = {};
  let sum = model.bias;
  for (const f of Object.keys(FEATURES) as Feature[]) {
    const part = model.weights[f] * x[f];
    if (part === 0) continue;
    sum += part;
    const s = FEATURES[f];
    signals[s] = (signals[s] ?? 0) + part;
  }
  for (const s of Object.keys(signals) as Signal[]) signals[s] = round(signals[s]!);
  const helped = g.reasons
    .filter((r) => (signals[r.signal] ?? 0) > 0)
    .sort((a, b) => signals[b.signal]! - signals[a.signal]!);
  // A file is in the list because a signal found it: when none added to its score, the strongest still says which.
  const best = [...g.reasons].sort((a, b) => (signals[b.signal] ?? 0) - (signals[a.signal] ?? 0))[0];
  const reasons = (helped.length ? helped : best ? [best] : []).map((r) => r.text);
  let score = 10 / (1 + Math.exp(-sum));
  if (g.file.content !== 'indexed') score *= NAME_ONLY;
  return { ranked: { file: g.file, score: round(score), reasons, focus: g.focus, signals }, key: score };
}

/**
 * Ranks the project's files for a command from every signal, each file with its reasons: each
 * signal's points at its weight, summed (a bench may pass other weights to measure one signal's worth).
 */
export function rankFiles(
  q: IndexQueries,
  history: readonly HistoryCommit[],
  input: RankInput,
  root: string,
  weights: SignalWeights = SIGNAL_WEIGHTS,
  lexicalTuning: LexicalTuning = LEXICAL_TUNING,
  combine: Combine = COMBINE,
): RankedFile[] {
  const gathered = [
    ...gatherSignals(q, history, input, root, weights, lexicalTuning, combine).files.values(),
  ];
  const shares = signalShares(gathered, weights, combine);
  const out = gathered.map((g): RankedFile => {
    const signals = shares.get(g)!;
    let score = Object.values(signals).reduce((s, p) => s + (p ?? 0), 0);
    if (g.file.content !== 'indexed') score *= NAME_ONLY;
    return {
      file: g.file,
      score: round(score),
      reasons: g.reasons.map((r) => r.text),
      focus: g.focus,
      signals,
    };
  });
  return sortRanked(out);
}

/**
 * What each signal adds to each file's score (see COMBINE): its points and the share of its
 * weight the file's place among that signal's files earns, over 1 + `place`.
 */
function signalShares(
  files: readonly GatheredFile[],
  weights: SignalWeights,
  combine: Combine,
): Map<GatheredFile, Partial<Record<Signal, number>>> {
  const out = new Map(files.map((g) => [g, { ...g.points }]));
  if (combine.place === 0) return out;
  const scale = 1 / (1 + combine.place);
  for (const s of Object.keys(weights) as (keyof SignalWeights)[]) {
    const found = files.filter((g) => (g.points[s] ?? 0) > 0).sort((a, b) => b.points[s]! - a.points[s]!);
    const floor = (found[0]?.points[s] ?? 0) * combine.floor;
    found.forEach((g, i) => {
      const points = g.points[s]!;
      // A trace of a match (one rare word in a long text) earns no place.
      const byPlace =
        points < floor ? 0 : combine.place * weights[s] * (combine.placeK / (combine.placeK + i));
      out.get(g)![s] = (points + byPlace) * scale;
    });
  }
  return out;
}

/** Every file the signals found with its features, for training the learned ranking (bench/). */
export function rankFeatures(
  q: IndexQueries,
  history: readonly HistoryCommit[],
  input: RankInput,
  root: string,
): { file: StoredFile; features: Record<Feature, number> }[] {
  const gathered = [
    ...gatherSignals(q, history, input, root, LEARNING_WEIGHTS, LEXICAL_TUNING, COMBINE).files.values(),
  ];
  return [...featuresOf(gathered)].map(([g, features]) => ({ file: g.file, features }));
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function sortRanked(list: RankedFile[]): RankedFile[] {
  return list.sort((a, b) => b.score - a.score || (a.file.path < b.file.path ? -1 : 1));
}
