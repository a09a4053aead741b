import { numberWordValue } from '../../command/spoken/number-words.js';
import {
  EXTENSION_WORDS,
  SPOKEN_ABBREVIATION,
  WORD_TO_SYMBOL,
} from '../../command/spoken/spoken-vocabulary.js';
import {
  bestMatches,
  byLength,
  type FileMatch,
  folderKeys,
  fuzzyQueries,
  fuzzyScore,
  pathKeys,
  pathWords,
} from './path-keys.js';

export { extensionOf, type FileMatch } from './path-keys.js';

/** A project's file list, indexed once for fast lookups by compact key (see `compactKey`). */
export interface FileMatcher {
  /** True when `path` is exactly one of the files. */
  has(path: string): boolean;
  /** Files whose path, or a trailing part of it (whole segments), has one of the keys. */
  exact(keys: readonly string[]): FileMatch[];
  /** Like `exact`, with the file's extension left out ("src/userauth" fits src/user_auth.py). */
  stem(keys: readonly string[]): FileMatch[];
  /** Folders whose path, or a trailing part of it, has one of the keys. */
  directories(keys: readonly string[]): string[];
  /** True when a spoken word can be part of a file name here (a word of some path, a letter, a number, an abbreviation). */
  knowsWord(word: string): boolean;
  /** True for an extension some project file has, or a common one (ts, py, md, …). */
  knowsExtension(ext: string): boolean;
  /** Near misses by edit distance on the file name, best first. */
  fuzzy(keys: readonly string[], limit?: number): FileMatch[];
}

interface Entry {
  id: number;
  score: number;
}

function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function best(entries: Iterable<Entry>, files: readonly string[]): FileMatch[] {
  return bestMatches([...entries].map((e) => ({ path: files[e.id]!, score: e.score })));
}

/** Whether a spoken word can be part of a file name, given which words the project's names have. */
export function knowsSpokenWord(word: string, isNameWord: (word: string) => boolean): boolean {
  return (
    word.length === 1 ||
    isNameWord(word) ||
    WORD_TO_SYMBOL.has(word) ||
    numberWordValue(word) !== undefined ||
    (SPOKEN_ABBREVIATION.get(word)?.some(isNameWord) ?? false)
  );
}

/** Whether an extension is one some project file has (`has`), or a common one. */
export function knowsFileExtension(ext: string, has: (ext: string) => boolean): boolean {
  return ext.length > 0 && (has(ext) || Object.hasOwn(EXTENSION_WORDS, ext));
}

/** Indexes `files` (project-relative POSIX paths) for `resolveMentions`; build once per file list and reuse. */
export function createFileMatcher(files: readonly string[]): FileMatcher {
  const paths = new Set(files);
  const suffixes = new Map<string, Entry[]>();
  const stems = new Map<string, Entry[]>();
  const dirs = new Map<string, Set<string>>();
  const byExtension = new Map<string, { id: number; name: string }[]>();
  const nameWords = new Set<string>();
  const seenDirs = new Set<string>();
  const seenSegments = new Set<string>();

  files.forEach((path, id) => {
    const keys = pathKeys(path);
    for (const w of pathWords(path, seenSegments)) nameWords.add(w);
    add(byExtension, keys.ext, { id, name: keys.name });
    for (const k of keys.suffixes) add(suffixes, k.key, { id, score: k.score });
    for (const k of keys.stems) add(stems, k.key, { id, score: k.score });
    for (const { dir, keys: dirKeyList } of folderKeys(path, seenDirs)) {
      for (const key of dirKeyList) {
        const set = dirs.get(key) ?? new Set<string>();
        set.add(dir);
        dirs.set(key, set);
      }
    }
  });

  const lookup = (map: Map<string, Entry[]>, keys: readonly string[]) =>
    best(
      keys.flatMap((k) => map.get(k) ?? []),
      files,
    );

  return {
    has: (path) => paths.has(path),
    knowsExtension: (ext) => knowsFileExtension(ext, (e) => byExtension.has(e)),
    knowsWord: (word) => knowsSpokenWord(word, (w) => nameWords.has(w)),
    exact: (keys) => lookup(suffixes, keys),
    stem: (keys) => lookup(stems, keys),
    directories: (keys) => byLength(new Set(keys.flatMap((k) => [...(dirs.get(k) ?? [])]))),
    fuzzy(keys, limit = 5) {
      const entries: Entry[] = [];
      for (const query of fuzzyQueries(keys)) {
        for (const candidate of byExtension.get(query.ext) ?? []) {
          const score = fuzzyScore(query, candidate.name, files[candidate.id]!);
          if (score !== undefined) entries.push({ id: candidate.id, score });
        }
      }
      return best(entries, files).slice(0, limit);
    },
  };
}
