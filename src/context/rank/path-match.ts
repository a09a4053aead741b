import { splitIdentifier } from '../index/identifiers.js';
import { stemWord } from './query-terms.js';

/**
 * How well a path's words match the request's (stemmed) terms, nearer the file name counting
 * more: a term in the file's own name counts 1, in its folder 0.5, higher up 0.25; divided by
 * the number of terms. `src/cache/lru_cache.py` for "lru eviction" → (1 + 0) / 2.
 */
export function pathMatch(path: string, stemmedTerms: ReadonlySet<string>): number {
  if (stemmedTerms.size === 0) return 0;
  const parts = path.split('/');
  const found = new Map<string, number>();
  for (let i = parts.length - 1, level = 0; i >= 0; i--, level++) {
    const name = level === 0 ? parts[i]!.replace(/\.[^.]*$/, '') : parts[i]!;
    const weight = level === 0 ? 1 : level === 1 ? 0.5 : 0.25;
    for (const w of splitIdentifier(name)) {
      const s = stemWord(w);
      if (stemmedTerms.has(s) && (found.get(s) ?? 0) < weight) found.set(s, weight);
    }
  }
  let sum = 0;
  for (const v of found.values()) sum += v;
  return sum / stemmedTerms.size;
}
