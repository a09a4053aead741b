import { compactKey, spokenKeys } from '../../command/spoken/spoken-forms.js';
import type { FileMatch, FileMatcher } from './file-matcher.js';
import { LEFT_BOUNDARY, MAX_NAME_WORDS, STOP_WORDS } from './name-boundaries.js';
import { spokenPathSpan } from './spoken-path-span.js';
import type { Token } from './tokens.js';
import { typedPathSpan } from './typed-path-span.js';

/**
 * Where a command names files, found in this order (earlier kinds claim their words first):
 * typed paths ("src/app.ts", "user_auth.py"), spoken paths joined by "dot"/"slash"
 * ("source slash app dot t s"), typed identifiers ("user_auth"), "the X file", the object of
 * show/open/read or review/explain ("review readme"), a single word after "the" that is exactly
 * one file's name ("the readme"), and runs of two to six words that are a file's name without
 * extension ("user auth").
 */

/** How a mention was found. */
export type MentionKind = 'typed' | 'spoken' | 'identifier' | 'name';

/** Tokens `start`..`end` (exclusive) name a file; `matches` are the files that fit, unranked. */
export interface MentionSpan {
  start: number;
  end: number;
  matches: FileMatch[];
  /** How it was found: a typed path, spoken words, a typed identifier ("user_auth"), or a name ("user auth", "the readme file"). */
  kind: MentionKind;
}

const DETERMINERS = new Set(['the', 'my', 'this', 'that', 'our']);
const FILE_CUES = new Set(['file', 'module', 'script', 'component', 'class', 'source']);
const FOLDER_CUES = new Set(['folder', 'directory', 'dir']);
const SHOW_VERBS = new Set(['show', 'open', 'read', 'cat', 'display', 'view', 'print']);
/** Verbs that read a file, whose first words after them may name it too ("review readme", "explain logger"). */
const READING_VERBS = new Set(['review', 'explain', 'describe', 'summarize', 'summarise']);

/** Finds the spans of `tokens` that name files or likely files. */
export function findMentionSpans(tokens: readonly Token[], matcher: FileMatcher): MentionSpan[] {
  const used = new Array<boolean>(tokens.length).fill(false);
  const spans: MentionSpan[] = [];
  const claim = (span: MentionSpan) => {
    for (let i = span.start; i < span.end; i++) used[i] = true;
    spans.push(span);
  };
  const words = tokens.map((t) => t.word);
  const free = (s: number, e: number) => {
    for (let i = s; i < e; i++) if (used[i]) return false;
    return true;
  };

  for (let i = 0; i < tokens.length; i++) {
    const span = used[i] ? undefined : typedPathSpan(tokens, i, matcher);
    if (span) claim(span);
  }
  for (let i = 0; i < tokens.length; i++) {
    if (used[i] || !(words[i] === 'dot' || words[i] === 'slash')) continue;
    const span = spokenPathSpan(tokens, i, matcher, free);
    if (span) {
      claim(span);
      i = span.end - 1;
    }
  }
  tokens.forEach((t, i) => {
    if (used[i] || !/[a-z0-9][_-][a-z0-9]|[a-z][A-Z]/.test(t.raw)) return;
    const matches = matcher.stem([compactKey(t.word)]);
    if (matches.length > 0) claim({ start: i, end: i + 1, matches, kind: 'identifier' });
  });
  for (let i = 1; i < tokens.length; i++) {
    const folder = FOLDER_CUES.has(words[i]!);
    if (!(FILE_CUES.has(words[i]!) || folder) || used[i - 1] || tokens[i - 1]!.pause) continue;
    const span = bestLeftSpan(tokens, i, matcher, free, folder);
    if (span) claim(span);
  }
  const verb =
    SHOW_VERBS.has(words[0] ?? '') || READING_VERBS.has(words[0] ?? '')
      ? objectSpan(tokens, matcher, free)
      : undefined;
  if (verb) claim(verb);
  // "the parser": one word after a determiner, when exactly one file has that name.
  for (let i = 1; i < tokens.length; i++) {
    const word = words[i]!;
    if (used[i] || !DETERMINERS.has(words[i - 1]!) || tokens[i - 1]!.pause || STOP_WORDS.has(word)) continue;
    if (word.length < 5 || !/^[a-z]+$/.test(word)) continue;
    const matches = matcher.stem([word]);
    if (matches.length === 1) claim({ start: i, end: i + 1, matches, kind: 'name' });
  }
  // Only runs of words that occur in file names are worth a lookup (keeps this pass cheap).
  const known = words.map((w) => matcher.knowsWord(w));
  const plausible = (s: number, e: number) => {
    for (let i = s; i < e; i++) if (!known[i] || used[i] || (i < e - 1 && tokens[i]!.pause)) return false;
    return true;
  };
  for (let n = 6; n >= 2; n--) {
    for (let i = 0; i + n <= tokens.length; i++) {
      if (STOP_WORDS.has(words[i]!) || STOP_WORDS.has(words[i + n - 1]!) || !plausible(i, i + n)) continue;
      const keys = spokenKeys(words.slice(i, i + n)).filter((k) => k.length >= 6);
      const matches = matcher.stem(keys);
      if (matches.length > 0) claim({ start: i, end: i + n, matches, kind: 'name' });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** The longest run of words before a cue ("the user auth file") that is a file (or folder) name. */
function bestLeftSpan(
  tokens: readonly Token[],
  cue: number,
  matcher: FileMatcher,
  free: (s: number, e: number) => boolean,
  folder: boolean,
): MentionSpan | undefined {
  const words = tokens.map((t) => t.word);
  for (let s = Math.max(0, cue - 4); s < cue; s++) {
    if (!free(s, cue) || tokens.slice(s, cue - 1).some((t) => t.pause) || LEFT_BOUNDARY.has(words[s]!))
      continue;
    const keys = spokenKeys(words.slice(s, cue));
    if (folder) {
      if (matcher.directories(keys).length > 0) return undefined; // folders are command arguments, not file mentions
      continue;
    }
    const matches = [...matcher.exact(keys), ...matcher.stem(keys)];
    if (matches.length > 0) return { start: s, end: cue + 1, matches, kind: 'name' };
  }
  return undefined;
}

/** The object of a leading show/open/read or review/explain verb, when its first words name a file ("open user auth"). */
function objectSpan(
  tokens: readonly Token[],
  matcher: FileMatcher,
  free: (s: number, e: number) => boolean,
): MentionSpan | undefined {
  if (tokens.length < 2 || !free(1, tokens.length)) return undefined;
  const words = tokens.map((t) => t.word);
  let start = 1;
  while (start < tokens.length && /^(me|the|file|contents|content|of|us|a)$/.test(words[start]!)) start += 1;
  if (start >= tokens.length || /^(diff|changes|status|log|files|what|how|why|me)$/.test(words[start]!))
    return undefined;
  for (let e = Math.min(tokens.length, start + MAX_NAME_WORDS); e > start; e--) {
    const keys = spokenKeys(words.slice(start, e));
    const matches = [...matcher.exact(keys), ...matcher.stem(keys)];
    if (matches.length > 0) return { start, end: e, matches, kind: 'name' };
  }
  // No file by that name: "open a pull request" is not a file mention.
  return undefined;
}
