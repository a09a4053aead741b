import { compactKey, splitNameWords } from '../../command/spoken/spoken-forms.js';
import { boundedEditDistance } from '../../util/edit-distance.js';

// The keys a project path is found by: one definition for the in-memory matcher
// (`createFileMatcher`) and the one kept on disk (`openStoredFileNames`), so both find the same files.

/** One file that fits a mention, with how well (1 is an exact typed path, below 0.8 a near miss). */
export interface FileMatch {
  path: string;
  score: number;
}

/** A key a file is found by, and how well a mention with that key fits it. */
export interface ScoredKey {
  key: string;
  score: number;
}

const FULL_PATH = 0.97;
const PARTIAL_PATH = 0.95;
const FILE_NAME = 0.9;
const STEM_PENALTY = 0.1;

/** The extension of a path or compact key's last segment ("src/app.ts" → "ts"; ".env" → ""). */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

/** What one file contributes: its compact trailing-segment keys, the same without extension, its extension and compact name. */
export function pathKeys(path: string): {
  suffixes: ScoredKey[];
  stems: ScoredKey[];
  ext: string;
  name: string;
} {
  const segments = compactKey(path).split('/');
  const name = segments[segments.length - 1]!;
  const ext = extensionOf(name);
  const suffixes: ScoredKey[] = [];
  const stems: ScoredKey[] = [];
  for (let i = segments.length - 1; i >= 0; i--) {
    const key = segments.slice(i).join('/');
    const score = i === 0 ? FULL_PATH : i === segments.length - 1 ? FILE_NAME : PARTIAL_PATH;
    suffixes.push({ key, score });
    if (ext) stems.push({ key: key.slice(0, key.length - ext.length - 1), score: score - STEM_PENALTY });
  }
  return { suffixes, stems, ext, name };
}

/** The words a spoken name may use from the segments of `path` ("src/UserAuth.py" → src, user, auth, py). */
export function pathWords(path: string, seenSegments?: Set<string>): string[] {
  const words: string[] = [];
  for (const segment of path.split('/')) {
    if (seenSegments) {
      if (seenSegments.has(segment)) continue;
      seenSegments.add(segment);
    }
    words.push(...splitNameWords(segment));
  }
  return words;
}

/**
 * The folders of `path` not in `seen` (which gets them), each with the compact keys it is found
 * by: its path and each trailing part of it.
 */
export function folderKeys(path: string, seen: Set<string>): { dir: string; keys: string[] }[] {
  const raw = path.split('/');
  const segments = compactKey(path).split('/');
  const out: { dir: string; keys: string[] }[] = [];
  for (let end = raw.length - 1; end > 0; end--) {
    const dir = raw.slice(0, end).join('/');
    if (seen.has(dir)) break; // its parents were indexed with it
    seen.add(dir);
    const keys: string[] = [];
    for (let i = 0; i < end; i++) keys.push(segments.slice(i, end).join('/'));
    out.push({ dir, keys });
  }
  return out;
}

/** The best score per path, best first; ties by shorter path, then by path. */
export function bestMatches(matches: Iterable<FileMatch>): FileMatch[] {
  const byPath = new Map<string, number>();
  for (const m of matches) if ((byPath.get(m.path) ?? -1) < m.score) byPath.set(m.path, m.score);
  return [...byPath]
    .map(([path, score]) => ({ path, score }))
    .sort((a, b) => b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : 1));
}

/** Folders shortest first, ties by path. */
export function byLength(dirs: Iterable<string>): string[] {
  return [...dirs].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

/** A near-miss search for one key: the file name to compare, its extension, folder and edit budget. */
export interface FuzzyQuery {
  name: string;
  ext: string;
  folder: string;
  maxEdits: number;
}

/** The near-miss searches for `keys`; names of 4 characters or fewer get none. */
export function fuzzyQueries(keys: readonly string[]): FuzzyQuery[] {
  const out: FuzzyQuery[] = [];
  for (const key of keys) {
    const slash = key.lastIndexOf('/');
    const name = key.slice(slash + 1);
    const folder = slash > 0 ? key.slice(0, slash) : '';
    const maxEdits = name.length <= 4 ? 0 : name.length <= 8 ? 1 : name.length <= 14 ? 2 : 3;
    if (maxEdits > 0) out.push({ name, ext: extensionOf(name), folder, maxEdits });
  }
  return out;
}

/** How well a file (compact `name`, project `path`) fits a near-miss search, or undefined when too far. */
export function fuzzyScore(query: FuzzyQuery, name: string, path: string): number | undefined {
  const d = boundedEditDistance(query.name, name, query.maxEdits);
  if (d > query.maxEdits) return undefined;
  const similarity = 1 - d / Math.max(query.name.length, name.length);
  const inFolder = query.folder && compactKey(path).includes(`${query.folder}/`) ? 0.05 : 0;
  return 0.5 + 0.3 * similarity + inFolder;
}
