import { boundedEditDistance } from './edit-distance.js';
import { numberWordValue } from './number-words.js';
import { compactKey, splitNameWords } from './spoken-forms.js';
import { EXTENSION_WORDS, SPOKEN_ABBREVIATION, WORD_TO_SYMBOL } from './spoken-vocabulary.js';

/** One file that fits a mention, with how well (1 is an exact typed path, below 0.8 a near miss). */
export interface FileMatch {
  path: string;
  score: number;
}

/** A project's file list, indexed once for fast lookups by compact key (see `compactKey`). */
export interface FileMatcher {
  /** The files, as given. */
  readonly files: readonly string[];
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

const FULL_PATH = 0.97;
const PARTIAL_PATH = 0.95;
const FILE_NAME = 0.9;
const STEM_PENALTY = 0.1;

function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The extension of a path or compact key's last segment ("src/app.ts" → "ts"; ".env" → ""). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

function best(entries: Iterable<Entry>, files: readonly string[]): FileMatch[] {
  const byId = new Map<number, number>();
  for (const e of entries) if ((byId.get(e.id) ?? -1) < e.score) byId.set(e.id, e.score);
  return [...byId]
    .map(([id, score]) => ({ path: files[id]!, score }))
    .sort((a, b) => b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : 1));
}

/** Indexes `files` (project-relative POSIX paths) for `resolveMentions`; build once per file list and reuse. */
export function createFileMatcher(files: readonly string[]): FileMatcher {
  const paths = new Set(files);
  const suffixes = new Map<string, Entry[]>();
  const stems = new Map<string, Entry[]>();
  const dirs = new Map<string, Set<string>>();
  const byExtension = new Map<string, { id: number; name: string }[]>();
  const nameWords = new Set<string>();
  const seenSegments = new Set<string>();
  const seenDirs = new Set<string>();

  files.forEach((path, id) => {
    const segments = compactKey(path).split('/');
    const raw = path.split('/');
    for (const segment of raw) {
      if (seenSegments.has(segment)) continue;
      seenSegments.add(segment);
      for (const w of splitNameWords(segment)) nameWords.add(w);
    }
    const base = segments[segments.length - 1]!;
    const ext = extensionOf(base);
    add(byExtension, ext, { id, name: base });
    for (let i = segments.length - 1; i >= 0; i--) {
      const key = segments.slice(i).join('/');
      const score = i === 0 ? FULL_PATH : i === segments.length - 1 ? FILE_NAME : PARTIAL_PATH;
      add(suffixes, key, { id, score });
      if (ext) add(stems, key.slice(0, key.length - ext.length - 1), { id, score: score - STEM_PENALTY });
    }
    for (let end = raw.length - 1; end > 0; end--) {
      const dir = raw.slice(0, end).join('/');
      if (seenDirs.has(dir)) break; // its parents were indexed with it
      seenDirs.add(dir);
      for (let i = 0; i < end; i++) {
        const key = segments.slice(i, end).join('/');
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
    files,
    has: (path) => paths.has(path),
    knowsExtension: (ext) => ext.length > 0 && (byExtension.has(ext) || Object.hasOwn(EXTENSION_WORDS, ext)),
    knowsWord: (word) =>
      word.length === 1 ||
      nameWords.has(word) ||
      WORD_TO_SYMBOL.has(word) ||
      numberWordValue(word) !== undefined ||
      (SPOKEN_ABBREVIATION.get(word)?.some((a) => nameWords.has(a)) ?? false),
    exact: (keys) => lookup(suffixes, keys),
    stem: (keys) => lookup(stems, keys),
    directories: (keys) =>
      [...new Set(keys.flatMap((k) => [...(dirs.get(k) ?? [])]))].sort((a, b) => a.length - b.length),
    fuzzy(keys, limit = 5) {
      const entries: Entry[] = [];
      for (const key of keys) {
        const slash = key.lastIndexOf('/');
        const name = key.slice(slash + 1);
        const folder = slash > 0 ? key.slice(0, slash) : '';
        const max = name.length <= 4 ? 0 : name.length <= 8 ? 1 : name.length <= 14 ? 2 : 3;
        if (max === 0) continue;
        for (const candidate of byExtension.get(extensionOf(name)) ?? []) {
          const d = boundedEditDistance(name, candidate.name, max);
          if (d > max) continue;
          const similarity = 1 - d / Math.max(name.length, candidate.name.length);
          const inFolder = folder && compactKey(files[candidate.id]!).includes(`${folder}/`) ? 0.05 : 0;
          entries.push({ id: candidate.id, score: 0.5 + 0.3 * similarity + inFolder });
        }
      }
      return best(entries, files).slice(0, limit);
    },
  };
}
