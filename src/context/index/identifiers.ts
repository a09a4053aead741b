/** Words for search: identifiers split at camelCase, digits and underscores, lower-cased. */

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*/g;
// "parseHTTPResponse2" → parse, HTTP, Response, 2: a run of capitals before a capital+lower is one word.
const PARTS = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;
/** Identifiers shorter than this are not references worth linking files by. */
const MIN_REF_LENGTH = 3;
/** A word repeated in one chunk counts at most this often (BM25 saturates anyway; keeps the index small). */
const MAX_REPEATS = 3;

// Code repeats its identifiers: splitting each distinct one once saves most of the work.
const splitCache = new Map<string, string[]>();
const SPLIT_CACHE_MAX = 200_000;

/** The words of one identifier: `getHTTPResponse` → get, http, response; `user_auth` → user, auth. */
export function splitIdentifier(name: string): string[] {
  const cached = splitCache.get(name);
  if (cached) return cached;
  const out: string[] = [];
  for (const m of name.matchAll(PARTS)) out.push(m[0].toLowerCase());
  if (splitCache.size >= SPLIT_CACHE_MAX) splitCache.clear();
  splitCache.set(name, out);
  return out;
}

/** Every identifier in `text`, in order (duplicates kept). */
export function identifiersIn(text: string): string[] {
  return text.match(IDENTIFIER) ?? [];
}

/**
 * Text rewritten for the full-text index: each identifier becomes its parts, followed by the
 * whole identifier lower-cased when it has more than one part (so "lruCache" matches "lru",
 * "cache" and "lrucache"). A word is kept at most a few times.
 */
export function searchableText(text: string, refs?: Map<string, number>): string {
  const out: string[] = [];
  const seen = new Map<string, number>();
  const push = (w: string) => {
    const n = seen.get(w) ?? 0;
    if (n < MAX_REPEATS) out.push(w);
    seen.set(w, n + 1);
  };
  for (const id of identifiersIn(text)) {
    if (refs && id.length >= MIN_REF_LENGTH) refs.set(id, (refs.get(id) ?? 0) + 1);
    const parts = splitIdentifier(id);
    if (parts.length === 0) continue;
    for (const p of parts) push(p);
    if (parts.length > 1) push(parts.join(''));
  }
  return out.join(' ');
}

/** A path as words: `src/auth/user_service.py` → src auth user service userservice py. */
export function searchablePath(path: string): string {
  return searchableText(path.replace(/[./-]+/g, ' '));
}

/** A name as matched loosely: lower case, without `_`, `$` or `-` (`check_password` → checkpassword). */
export function normalName(name: string): string {
  return name.toLowerCase().replace(/[_$-]/g, '');
}
