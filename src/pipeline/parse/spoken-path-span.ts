import { spokenKeys } from '../../command/spoken/spoken-forms.js';
import { extensionOf, type FileMatch, type FileMatcher } from './file-matcher.js';
import type { MentionSpan } from './mention-spans.js';
import { MAX_NAME_WORDS, STOP_WORDS } from './name-boundaries.js';
import type { Token } from './tokens.js';

const CONNECTORS = new Set(['dot', 'slash', 'underscore', 'dash', 'hyphen']);

/**
 * A spoken path around the "dot" or "slash" at `at` ("source slash app dot t s"): follows the chain of
 * connectors, tries name lengths on the left (and right of a final slash), keeps the longest that fits
 * a file exactly; else the natural name with near misses. `free` tells which tokens are unclaimed.
 */
export function spokenPathSpan(
  tokens: readonly Token[],
  at: number,
  matcher: FileMatcher,
  free: (s: number, e: number) => boolean,
): MentionSpan | undefined {
  const words = tokens.map((t) => t.word);
  // The chain: connector, name words, connector, … ; after a final "dot", the extension (spelled letters allowed).
  let end = at;
  let last = '';
  while (end < tokens.length && CONNECTORS.has(words[end]!)) {
    last = words[end]!;
    end += 1;
    if (end >= tokens.length) break;
    if (last === 'dot') {
      const spelled = words[end]!.length === 1;
      const extension = end;
      end += 1;
      while (
        spelled &&
        end < tokens.length &&
        words[end]!.length === 1 &&
        !tokens[end - 1]!.pause &&
        end - extension < 4
      ) {
        end += 1;
      }
      if (tokens[end - 1]?.pause) break;
      continue;
    }
    let look = end;
    while (look < tokens.length && look - end < 8 && !CONNECTORS.has(words[look]!) && !tokens[look]!.pause)
      look += 1;
    if (look < tokens.length && CONNECTORS.has(words[look]!) && !tokens[look - 1]?.pause) end = look;
    else {
      end += 1;
      break;
    }
  }
  if (end <= at + 1 || !free(at, end)) return undefined;
  const rightEnds = last === 'dot' ? [end] : [end + 2, end + 1, end].filter((e) => e <= tokens.length);
  let best: { start: number; end: number; matches: FileMatch[] } | undefined;
  for (const e of rightEnds) {
    if (!free(at, e) || tokens.slice(end - 1, e - 1).some((t) => t.pause)) continue;
    for (let s = at; s >= Math.max(0, at - MAX_NAME_WORDS); s--) {
      if (s < at && (tokens[s]!.pause || !free(s, at))) break;
      const keys = spokenKeys(words.slice(s, e));
      const matches = last === 'dot' ? matcher.exact(keys) : [...matcher.exact(keys), ...matcher.stem(keys)];
      if (matches.length > 0 && (!best || e - s > best.end - best.start))
        best = { start: s, end: e, matches };
    }
  }
  if (best) return { ...best, kind: 'spoken' };
  // Nothing fits exactly: take the natural name (words up to a stop word) and look for near misses.
  let start = at;
  while (start > 0 && start > at - MAX_NAME_WORDS && free(start - 1, at)) {
    const prev = tokens[start - 1]!;
    if (prev.pause || STOP_WORDS.has(prev.word)) break;
    start -= 1;
  }
  if (start === at) return undefined;
  const keys = spokenKeys(words.slice(start, end));
  if (last !== 'dot' && matcher.directories(keys).length > 0) return undefined;
  const matches = matcher.fuzzy(keys);
  // An unknown name counts as a file only with a real extension ("foo dot py", not "version two dot oh").
  if (matches.length === 0 && (last !== 'dot' || !keys.some((k) => matcher.knowsExtension(extensionOf(k))))) {
    return undefined;
  }
  return { start, end, matches, kind: 'spoken' };
}
