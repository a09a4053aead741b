import type { IndexQueries, StoredFile } from '../index/index-queries.js';
import type { FocusRange } from './rank-files.js';

/** How the lexical signal reads the full-text index (a bench may pass others to compare). */
export const LEXICAL_TUNING = {
  /** Chunks asked of the full-text index per request. */
  hits: 400,
  /** A file's best chunks that count, each `decay` times the one before. */
  perFile: 3,
  decay: 0.5,
  /** BM25 weight of a word in the path and in a defined name, against 1 for body text. */
  pathColumn: 6,
  namesColumn: 4,
  /**
   * 1: Lucene's idf, under which a word in most chunks still counts a little; 0: FTS5's (see
   * `Idf`). Recall@5 on the tuning set 0.727 → 0.744, held-out 0.800 → 0.799, fresh 0.658 →
   * 0.665, six repositories never used before 0.742 → 0.748 (bench/README.md, 2026-12-03).
   */
  lucene: 1,
};

/** A setting of the lexical signal. */
export type LexicalTuning = Record<keyof typeof LEXICAL_TUNING, number>;

/** A file's lexical match: its score, the words that matched and where. */
export interface LexicalScore {
  file: StoredFile;
  score: number;
  /** The request's words the file has (in its path first), never one it lacks. */
  words: string[];
  ranges: FocusRange[];
}

/** BM25 per file: its best chunks' scores (decaying), the words that matched and where. */
export function lexicalScores(
  q: IndexQueries,
  terms: readonly string[],
  t: LexicalTuning = LEXICAL_TUNING,
): Map<number, LexicalScore> {
  const out = new Map<number, LexicalScore>();
  if (terms.length === 0) return out;
  const hits = q.searchChunks(terms, t.hits, [t.pathColumn, t.namesColumn, 1], t.lucene ? 'lucene' : 'fts5');
  const seenChunks = new Map<number, number>();
  for (const h of hits) {
    const n = seenChunks.get(h.fileId) ?? 0;
    seenChunks.set(h.fileId, n + 1);
    if (n >= t.perFile) continue;
    let entry = out.get(h.fileId);
    if (!entry) {
      const file = q.fileById(h.fileId);
      if (!file) continue;
      entry = { file, score: 0, words: [], ranges: [] };
      out.set(h.fileId, entry);
    }
    entry.score += h.score * t.decay ** n;
    if (h.endLine > 0) entry.ranges.push({ start: h.startLine, end: h.endLine, weight: 1 / (n + 1) });
  }
  // BM25 of the whole request does not say which words a file matched: ask per word.
  const ids = [...out.keys()];
  for (const term of terms) for (const id of q.filesWithWord(term, ids)) out.get(id)!.words.push(term);
  for (const e of out.values()) {
    const p = e.file.path.toLowerCase();
    e.words.sort((a, b) => Number(p.includes(b)) - Number(p.includes(a)));
  }
  return out;
}
