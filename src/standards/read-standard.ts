import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type ReadGuard, readGuarded } from '../project/guarded-read.js';
import { splitFrontmatter, stringList } from './frontmatter.js';
import type { Standard, StandardOrigin } from './standard.js';
import { describe, standardTags, titleOf } from './standard-tags.js';

/** Largest standards file read; the rest is left out, and the standard says so. */
export const MAX_STANDARD_BYTES = 48 * 1024;
/** Most standards files read from one folder (a folder of thousands is not a standards folder). */
const MAX_FILES = 200;

/** What a standard's file adds to what its location says: a description from an index, tags. */
export interface StandardHints {
  description?: string;
  topics?: string[];
  always?: boolean;
}

/** Reads one standards file through the guard into a `Standard`; null (and a note) when it may not or cannot be read. */
export async function readStandard(
  abs: string,
  shown: string,
  origin: StandardOrigin,
  key: string,
  guard: ReadGuard,
  notes: string[],
  hints: StandardHints = {},
): Promise<Standard | null> {
  const r = await readGuarded(abs, guard, MAX_STANDARD_BYTES);
  if (!r.ok) {
    if (r.reason !== 'it does not exist') notes.push(`${shown} was not read: ${r.reason}.`);
    return null;
  }
  const fm = splitFrontmatter(r.text);
  if (fm.error) notes.push(`${shown}: ${fm.error}; read without it.`);
  const body = fm.body.trim();
  if (!body) return null;
  const title = typeof fm.data.title === 'string' ? fm.data.title : titleOf(body, key);
  const tags = standardTags(key, title, fm.data);
  const paths = stringList(fm.data.paths ?? fm.data.globs);
  return {
    id: `${origin}:${key}`,
    title,
    description: hints.description ?? describe(body, fm.data),
    source: shown,
    origin,
    ...tags,
    topics: [...new Set([...tags.topics, ...(hints.topics ?? [])])],
    paths,
    always: fm.data.always === true || (hints.always ?? false),
    content: r.cut ? `${body}\n${leftOut(shown)}` : body,
  };
}

/** The line that ends a standard cut at MAX_STANDARD_BYTES. */
export function leftOut(shown: string): string {
  return `… (the rest of ${shown} is left out: over ${MAX_STANDARD_BYTES / 1024} KiB)`;
}

/** The `.md` files under `dir`, as `/`-separated paths relative to it, sorted; at most two folders deep. */
export async function markdownFiles(dir: string, depth = 3): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, level: number): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (out.length >= MAX_FILES) return;
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory() && level < depth) await walk(p, level + 1);
      else if ((e.isFile() || e.isSymbolicLink()) && /\.md$/i.test(e.name))
        out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  await walk(dir, 1);
  return out;
}
