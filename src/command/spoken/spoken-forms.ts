import { digitsToWords, readNumberWords } from './number-words.js';
import {
  ABBREVIATIONS,
  CASING_WORDS,
  EXTENSION_WORDS,
  SAYABLE_SHORT_WORDS,
  SPOKEN_ABBREVIATION,
  SPOKEN_EXTENSION,
  SYMBOL_WORDS,
  WORD_TO_SYMBOL,
} from './spoken-vocabulary.js';

/**
 * Spoken forms of file paths, both ways. A "compact key" is how paths and speech meet:
 * lowercase, only letters, digits, "." and "/" ("src/User_Auth.py" and "source slash user auth
 * dot py" both give "src/userauth.py"), so user_auth.py, user-auth.py and userAuth.py all fit
 * "user auth dot py".
 */

const MAX_KEY_VARIANTS = 16;

/** The compact key of a path or name: lowercase, separators and spaces removed, "." and "/" kept. */
export function compactKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9./]/g, '');
}

/** Splits a name into lowercase words at separators, camelCase and letter/digit edges ("getHTTPUrl_v2" → get http url v 2). */
export function splitNameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([a-zA-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** How one word of a name may be said, preferred first: digits as number words, abbreviations expanded, unsayable words spelled. */
function wordForms(word: string, isExtension: boolean): readonly string[] {
  if (/^[0-9]+$/.test(word)) return [digitsToWords(word)];
  if (isExtension && EXTENSION_WORDS[word]) return EXTENSION_WORDS[word]!;
  if (ABBREVIATIONS[word]) return ABBREVIATIONS[word]!;
  if (word.length === 1 || SAYABLE_SHORT_WORDS.has(word)) return [word];
  if (!/[aeiou]/.test(word) && word.length <= 5) return [[...word].join(' ')];
  return [word];
}

interface SpokenPart {
  /** Alternatives for this part; the first is preferred. */
  forms: readonly string[];
}

/** The spoken parts of one path segment; separators are said only when `explicit`. */
function segmentParts(segment: string, isLast: boolean, explicit: boolean): SpokenPart[] {
  const parts: SpokenPart[] = [];
  const pieces = segment.split('.');
  const hasExt = isLast && pieces.length > 1 && pieces[pieces.length - 1]!.length > 0;
  pieces.forEach((piece, i) => {
    if (i > 0) parts.push({ forms: SYMBOL_WORDS['.'] });
    const isExt = hasExt && i === pieces.length - 1;
    const chunks = explicit ? piece.split(/([_-])/) : [piece];
    for (const chunk of chunks) {
      if (chunk === '_' || chunk === '-') parts.push({ forms: [SYMBOL_WORDS[chunk][0]!] });
      else for (const w of splitNameWords(chunk)) parts.push({ forms: wordForms(w, isExt) });
    }
  });
  return parts;
}

function pathParts(segments: readonly string[], explicit: boolean): SpokenPart[] {
  const parts: SpokenPart[] = [];
  segments.forEach((seg, i) => {
    if (i > 0) parts.push({ forms: SYMBOL_WORDS['/'] });
    parts.push(...segmentParts(seg, i === segments.length - 1, explicit));
  });
  return parts;
}

/** The preferred saying, then each variant that swaps one part for one of its alternatives. */
function sayings(parts: readonly SpokenPart[]): string[] {
  const preferred = parts.map((p) => p.forms[0]!);
  const out = [preferred.join(' ')];
  parts.forEach((p, i) => {
    for (const alt of p.forms.slice(1)) out.push(preferred.map((w, j) => (j === i ? alt : w)).join(' '));
  });
  return out;
}

/**
 * Ways a person may say a project path, most natural first: the file name ("user auth dot py"),
 * the full path ("source slash user auth dot py"), the parent and name, separators said aloud
 * ("user underscore auth dot py"), alternative sayings ("dot p y"), and the bare stem ("user auth").
 * Words only (lowercase, digits as number words), for building speech grammars; `parseCommand`
 * understands every form returned here.
 */
export function spokenFormsOfPath(path: string, opts: { max?: number } = {}): string[] {
  const segments = path.split('/').filter((s) => s.length > 0 && s !== '.');
  if (segments.length === 0) return [];
  const base = segments[segments.length - 1]!;
  const candidates: string[] = [];
  const [baseFirst = '', ...baseRest] = sayings(pathParts([base], false));
  candidates.push(baseFirst);
  if (segments.length > 1) candidates.push(sayings(pathParts(segments, false))[0]!);
  if (segments.length > 2) candidates.push(sayings(pathParts(segments.slice(-2), false))[0]!);
  if (/[_-]/.test(base)) candidates.push(sayings(pathParts([base], true))[0]!);
  candidates.push(...baseRest);
  if (segments.length > 1) candidates.push(...sayings(pathParts(segments, false)).slice(1));
  const dot = base.lastIndexOf('.');
  if (dot > 0) candidates.push(sayings(pathParts([base.slice(0, dot)], false))[0]!);
  const unique = [...new Set(candidates.filter((c) => c.length > 0))];
  return unique.slice(0, opts.max ?? 12);
}

/**
 * Compact keys a run of spoken (or typed) words may stand for, canonical first:
 * ["source","slash","app","dot","t","s"] → ["src/app.ts", "source/app.ts"]. Bounded to a few variants.
 */
export function spokenKeys(words: readonly string[]): string[] {
  const options: string[][] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!.toLowerCase();
    const prev = i > 0 ? words[i - 1]!.toLowerCase() : '';
    const symbol = WORD_TO_SYMBOL.get(word);
    if (symbol !== undefined) {
      options.push([symbol === '.' || symbol === '/' ? symbol : '']);
      continue;
    }
    if (CASING_WORDS.has(word) || (word === 'forward' && words[i + 1]?.toLowerCase() === 'slash')) continue;
    if (prev === 'dot' && SPOKEN_EXTENSION.has(word)) {
      options.push([word, ...SPOKEN_EXTENSION.get(word)!]);
      continue;
    }
    const number = readNumberWords(words, i);
    if (number) {
      options.push([number.digits, words.slice(i, number.end).join('')]);
      i = number.end - 1;
      continue;
    }
    const abbreviations = SPOKEN_ABBREVIATION.get(word);
    options.push(abbreviations ? [...abbreviations, word] : [compactKey(word)]);
  }
  let keys = [''];
  for (const alternatives of options) {
    const next: string[] = [];
    for (const key of keys) {
      for (const alt of alternatives) if (next.length < MAX_KEY_VARIANTS) next.push(key + compactKey(alt));
    }
    keys = next;
  }
  return [...new Set(keys)].filter((k) => k.length > 0);
}
