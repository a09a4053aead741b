import type { IndexQueries, StoredFile } from '../index/index-queries.js';
import type { FocusRange } from './rank-files.js';

/** How the lexical signal reads the full-text index (a bench may pass others to compare). */
export const LEXICAL_TUNING = {
  /** Chunks asked of the full-text index for all the words together. */
  hits: 400,
  /** A file's best chunks that count, each `decay` times the one before. */
  perFile: 3,
  decay: 0.5,
  /** Chunks asked of the full-text index for each word alone. */
  termHits: 200,
  /**
   * Share of the score from the words' best chunks taken together (the rest: each word's best
   * chunk in the file, summed, so a file with every word in different parts still counts).
   */
  together: 1,
  /** BM25 weight of a word in the path and in a defined name, against 1 for body text. */
  pathColumn: 6,
  namesColumn: 4,
};

/** A setting of the lexical signal. */
export type LexicalTuning = Record<keyof typeof LEXICAL_TUNING, number>;

/** A file's lexical match: its score (0–1, the best file 1), the words that matched and where. */
export interface LexicalScore {
  file: StoredFile;
  score: number;
  /** The request's words found in the file, the strongest first. */
  words: string[];
  ranges: FocusRange[];
}

interface Entry {
  fileId: number;
  together: number;
  perWord: number;
  words: Map<string, number>;
  ranges: FocusRange[];
}

/**
 * BM25 per file from two readings of the index: the file's best chunks for all the words
 * together (decaying), and each word's best chunk in the file (summed over the words). Each is
 * scaled to its best file and mixed by `together`.
 */
export function lexicalScores(
  q: IndexQueries,
  terms: readonly string[],
  t: LexicalTuning = LEXICAL_TUNING,
): Map<number, LexicalScore> {
  const out = new Map<number, LexicalScore>();
  if (terms.length === 0) return out;
  const columns = [t.pathColumn, t.namesColumn, 1] as const;
  const entries = new Map<number, Entry>();
  const entry = (fileId: number) => {
    let e = entries.get(fileId);
    if (!e) {
      e = { fileId, together: 0, perWord: 0, words: new Map(), ranges: [] };
      entries.set(fileId, e);
    }
    return e;
  };
  if (t.together > 0) {
    const seenChunks = new Map<number, number>();
    for (const h of q.searchChunks(terms, t.hits, columns)) {
      const n = seenChunks.get(h.fileId) ?? 0;
      seenChunks.set(h.fileId, n + 1);
      if (n >= t.perFile) continue;
      const e = entry(h.fileId);
      e.together += h.score * t.decay ** n;
      if (h.endLine > 0) e.ranges.push({ start: h.startLine, end: h.endLine, weight: 1 / (n + 1) });
    }
  }
  // Each word alone: says which words a file has (BM25 of the whole query does not), and
  // counts a word found anywhere in the file.
  for (const term of terms) {
    const best = new Set<number>();
    for (const h of q.searchChunks([term], t.termHits, columns)) {
      if (best.has(h.fileId)) continue;
      best.add(h.fileId);
      if (t.together >= 1 && !entries.has(h.fileId)) continue;
      const e = entry(h.fileId);
      e.perWord += h.score;
      e.words.set(term, h.score);
      if (t.together < 1 && h.endLine > 0) e.ranges.push({ start: h.startLine, end: h.endLine, weight: 0.5 });
    }
  }
  let topTogether = 0;
  let topPerWord = 0;
  for (const e of entries.values()) {
    topTogether = Math.max(topTogether, e.together);
    topPerWord = Math.max(topPerWord, e.perWord);
  }
  for (const e of entries.values()) {
    const score =
      (topTogether > 0 ? (t.together * e.together) / topTogether : 0) +
      (topPerWord > 0 ? ((1 - t.together) * e.perWord) / topPerWord : 0);
    const file = q.fileById(e.fileId);
    if (!file || score <= 0) continue;
    const words = [...e.words].sort((a, b) => b[1] - a[1]).map(([w]) => w);
    out.set(e.fileId, { file, score, words, ranges: e.ranges });
  }
  return out;
}
