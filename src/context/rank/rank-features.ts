import type { GatheredFile } from './gather-signals.js';
import type { Signal, SignalWeights } from './rank-files.js';
import { isTestPath } from './test-pairs.js';

/**
 * The features the learned ranking scores a file by, each with the signal it belongs to (what a
 * file's reasons and `signals` credit it to). Every value is computed from what the signals
 * found at unit weight (`LEARNING_WEIGHTS`) and from the file itself.
 */
export const FEATURES = {
  /** 1 when the command names the file. */
  named: 'named',
  /** 1 when the file's name is a word of the command or an unclear mention may mean it. */
  candidate: 'candidate',
  /** 1 / √(files defining the name) for a name in backticks or code form the file defines. */
  symbol: 'symbol',
  /** The same for a spoken name ("the lru cache" → LRUCache). */
  symbolSpoken: 'symbolSpoken',
  /** The file's full-text (BM25) score over the top file's, 0–1. */
  lexical: 'lexical',
  /** 1 / (1 + the file's place among the lexical matches): 1 for the best match, 0.5 for the second. */
  lexicalPlace: 'lexical',
  /** Share of the request's words the file has. */
  lexicalWords: 'lexical',
  /** `lexical` for a test file (0 otherwise): lets a test's match count differently. */
  lexicalInTest: 'lexical',
  /** How well the path's words match the request's, nearer the file name counting more (0–1). */
  pathWords: 'path',
  /** How often the file changed with the seeds (the named, defining and best-matching files), 0–1. */
  coChange: 'coChange',
  /** 1 / (1 + its place among the co-changed files). */
  coChangePlace: 'coChange',
  /** Files changed by past commits whose subjects are like the request, over the top file's, 0–1. */
  similar: 'similar',
  /** 1 / (1 + its place among those). */
  similarPlace: 'similar',
  /** How often the file changed in the last 100 commits (newest weighing most), over the top's, 0–1. */
  prior: 'prior',
  /** The same over the last 20 commits, for files another signal found. */
  recent: 'recent',
  /** 1 for a test file (by folder or name). */
  test: 'shape',
  /** Folders above the file, over 4 (`src/a/b.ts` → 0.5). */
  depth: 'shape',
  /** log10(1 + lines) / 4: 1 for a 10,000-line file. */
  lines: 'shape',
  /** Signals the history a learned ranking is trained on never has (no failing output, no working-tree diff, no session): their weights are set, not learned (see learned-ranking.ts). */
  traceback: 'traceback',
  diff: 'diff',
  session: 'session',
} as const satisfies Record<string, Signal>;

export type Feature = keyof typeof FEATURES;

/** The weights signals are gathered at for the learned ranking: each at 1, the unused ones off. */
export const LEARNING_WEIGHTS: SignalWeights = {
  symbolWord: 0,
  recentCo: 0,
  named: 1,
  traceback: 1,
  symbol: 1,
  symbolSpoken: 1,
  diff: 1,
  lexical: 1,
  candidate: 1,
  graph: 0,
  coChange: 1,
  session: 1,
  recent: 1,
  similar: 1,
  prior: 1,
  pair: 0,
  path: 0,
};

/** Each file's place (0 = best) among the files a signal found. */
export function placesBy(files: readonly GatheredFile[], signal: Signal): Map<GatheredFile, number> {
  const found = files.filter((f) => (f.points[signal] ?? 0) > 0);
  found.sort((a, b) => b.points[signal]! - a.points[signal]!);
  return new Map(found.map((f, i) => [f, i]));
}

/** Every feature of every gathered file (gathered at `LEARNING_WEIGHTS`). */
export function featuresOf(files: readonly GatheredFile[]): Map<GatheredFile, Record<Feature, number>> {
  const places = {
    lexical: placesBy(files, 'lexical'),
    coChange: placesBy(files, 'coChange'),
    similar: placesBy(files, 'similar'),
  };
  const place = (f: GatheredFile, s: keyof typeof places) => {
    const p = places[s].get(f);
    return p === undefined ? 0 : 1 / (1 + p);
  };
  const out = new Map<GatheredFile, Record<Feature, number>>();
  for (const f of files) {
    const v = (s: Signal) => f.points[s] ?? 0;
    const test = isTestPath(f.file.path) ? 1 : 0;
    out.set(f, {
      named: v('named'),
      candidate: Math.min(1, v('candidate')),
      symbol: v('symbol'),
      symbolSpoken: v('symbolSpoken'),
      lexical: v('lexical'),
      lexicalPlace: place(f, 'lexical'),
      lexicalWords: f.wordShare,
      lexicalInTest: v('lexical') * test,
      pathWords: f.pathWords,
      coChange: v('coChange'),
      coChangePlace: place(f, 'coChange'),
      similar: v('similar'),
      similarPlace: place(f, 'similar'),
      prior: v('prior'),
      recent: v('recent'),
      test,
      depth: (f.file.path.split('/').length - 1) / 4,
      lines: Math.log10(1 + f.file.lines) / 4,
      traceback: v('traceback'),
      diff: v('diff'),
      session: v('session'),
    });
  }
  return out;
}
