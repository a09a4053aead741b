import type { IndexQueries, StoredFile } from '../index/index-queries.js';
import type { FocusRange } from './rank-files.js';

/** Chunks asked of the full-text index per request. */
const CHUNK_HITS = 400;

/** A file's lexical match: its score, the words that matched and where. */
export interface LexicalScore {
  file: StoredFile;
  score: number;
  words: string[];
  ranges: FocusRange[];
}

/** BM25 per file: its best chunks' scores (decaying), the words that matched and where. */
export function lexicalScores(q: IndexQueries, terms: readonly string[]): Map<number, LexicalScore> {
  const out = new Map<number, LexicalScore>();
  if (terms.length === 0) return out;
  const hits = q.searchChunks(terms, CHUNK_HITS);
  const seenChunks = new Map<number, number>();
  for (const h of hits) {
    const n = seenChunks.get(h.fileId) ?? 0;
    seenChunks.set(h.fileId, n + 1);
    if (n >= 3) continue;
    let entry = out.get(h.fileId);
    if (!entry) {
      const file = q.fileById(h.fileId);
      if (!file) continue;
      entry = { file, score: 0, words: matchedWords(h.path, terms), ranges: [] };
      out.set(h.fileId, entry);
    }
    entry.score += h.score * 0.5 ** n;
    if (h.endLine > 0) entry.ranges.push({ start: h.startLine, end: h.endLine, weight: 1 / (n + 1) });
  }
  return out;
}

/** The query words a file's path shows, then the rest (BM25 does not say which words matched). */
function matchedWords(path: string, terms: readonly string[]): string[] {
  const p = path.toLowerCase();
  return [...terms].sort((a, b) => Number(p.includes(b)) - Number(p.includes(a)));
}
