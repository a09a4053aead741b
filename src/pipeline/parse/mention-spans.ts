import type { FileMatch, FileMatcher } from './file-matcher.js';
import { compactKey, spokenKeys } from './spoken-forms.js';
import { EQUIVALENT_EXTENSIONS } from './spoken-vocabulary.js';
import type { Token } from './tokens.js';

/**
 * Where a command names files, found in this order (earlier kinds claim their words first):
 * typed paths ("src/app.ts", "user_auth.py"), spoken paths joined by "dot"/"slash"
 * ("source slash app dot t s"), typed identifiers ("user_auth"), "the X file", the object of
 * show/open/read, a single word after "the" that is exactly one file's name ("the readme"), and runs of
 * two to six words that are a file's name without extension ("user auth").
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

const CONNECTORS = new Set(['dot', 'slash', 'underscore', 'dash', 'hyphen']);
const MAX_NAME_WORDS = 10;
/** Words that end a spoken name on its left: articles, prepositions, pronouns, command verbs. */
const STOP_WORDS = new Set(
  `the a an in on of for to at from into with about and or but is are was be it this that these those my our your me us
  fix open show read run explain refactor implement add write create make review commit push undo list delete remove rename
  update change test tests debug build cat display view print look check edit modify clean improve optimize document find
  file files folder directory module failing broken bug error errors code function class what why how where which when`
    .split(/\s+/)
    .filter(Boolean),
);
/** Words that never start a file name ("the user auth file"). */
const LEFT_BOUNDARY = new Set(
  'the a an in on of for to at from into with about and or my our your this that me'.split(' '),
);
const DETERMINERS = new Set(['the', 'my', 'this', 'that', 'our']);
const FILE_CUES = new Set(['file', 'module', 'script', 'component', 'class', 'source']);
const FOLDER_CUES = new Set(['folder', 'directory', 'dir']);
const SHOW_VERBS = new Set(['show', 'open', 'read', 'cat', 'display', 'view', 'print']);
/** Names that look like files but are products ("node.js", "socket.io"): mentions only when the project has such a file. */
const PRODUCT_NAMES =
  /^(?:node|next|nuxt|vue|react|express|three|d3|chart|ember|backbone|angular|alpine|moment|day|socket|asp|ado)\.(?:js|io|net)$/;
const TYPED_PATH = /^(?:\.{1,2}\/)?[\w@+~[\]().-]*[\w\])]\.[a-z][a-z0-9]{0,7}$/i;
const TYPED_FOLDERS = /^(?:\.{1,2}\/)?[\w@+~.-]+(?:\/[\w@+~.[\]()-]*)+$/;

function extensionOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

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
    const span = used[i] ? undefined : typedSpan(tokens, i, matcher);
    if (span) claim(span);
  }
  for (let i = 0; i < tokens.length; i++) {
    if (used[i] || !(words[i] === 'dot' || words[i] === 'slash')) continue;
    const span = spokenSpan(tokens, i, matcher, free);
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
  const verb = SHOW_VERBS.has(words[0] ?? '') ? objectSpan(tokens, matcher, free) : undefined;
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

function typedSpan(tokens: readonly Token[], i: number, matcher: FileMatcher): MentionSpan | undefined {
  const word = tokens[i]!.word;
  if (word.includes('://') || /^([a-z]\.)+[a-z]?$/.test(word)) return undefined;
  const path = word.replace(/^\.\//, '').replace(/:\d+(?::\d+)?$/, '');
  if (/^\.[a-z][\w.-]*$/.test(path)) {
    const matches = matcher.exact([compactKey(path)]);
    return matches.length > 0 ? { start: i, end: i + 1, matches, kind: 'typed' } : undefined;
  }
  const isFile = TYPED_PATH.test(path);
  if (!isFile && !TYPED_FOLDERS.test(path)) return undefined;
  const key = compactKey(path);
  const keys = withEquivalentExtensions(key);
  // Recognisers write "user auth.py": words before the token may belong to the name (the longest fit wins).
  for (let s = Math.max(0, i - 4); isFile && !path.includes('/') && s < i; s++) {
    if (LEFT_BOUNDARY.has(tokens[s]!.word) || tokens.slice(s, i).some((t) => t.pause)) continue;
    const prefixes = spokenKeys(tokens.slice(s, i).map((t) => t.word));
    const matches = matcher.exact(prefixes.flatMap((p) => keys.map((k) => p + k)));
    if (matches.length > 0) return { start: s, end: i + 1, matches, kind: 'spoken' };
  }
  let matches = matcher.exact(keys);
  if (matches.length === 0 && isFile) matches = matcher.fuzzy(keys);
  if (
    matches.length === 0 &&
    (!isFile || PRODUCT_NAMES.test(path) || !matcher.knowsExtension(extensionOf(key)))
  ) {
    return undefined;
  }
  return { start: i, end: i + 1, matches, kind: 'typed' };
}

/** The key, plus the same name with an equivalent extension ("settings.yml" → "settings.yaml"). */
function withEquivalentExtensions(key: string): string[] {
  const ext = extensionOf(key);
  const others = EQUIVALENT_EXTENSIONS[ext] ?? [];
  return [key, ...others.map((o) => key.slice(0, key.length - ext.length) + o)];
}

/** A spoken path around the connector at `at`: tries name lengths on the left, keeps the longest that fits a file. */
function spokenSpan(
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

/** The object of a leading show/open/read verb, when its first words name a file ("open user auth"). */
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
