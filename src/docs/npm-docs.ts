import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { type ReadGuard, readGuarded } from '../project/guarded-read.js';
import { declarationChunks } from './declaration-chunks.js';
import type { DocSection, Library, LibraryDocs } from './library.js';
import { markdownSections } from './markdown-sections.js';

const MAX_README = 256 * 1024;
const MAX_DTS = 1024 * 1024;
/** Declaration files followed from the entry (re-exports, references) and bytes read in all. */
const MAX_DTS_FILES = 12;
const MAX_DTS_TOTAL = 2 * 1024 * 1024;

type PackageJson = {
  name?: string;
  version?: string;
  types?: string;
  typings?: string;
  exports?: unknown;
};

/**
 * Docs of an installed npm package, read from `node_modules/<name>/` for the version there: its
 * README by section and its `.d.ts` declarations (the `types` entry, the subpaths the code
 * imports, and what they re-export), else `@types/<name>`.
 */
export async function npmDocs(library: Library, guard: ReadGuard): Promise<LibraryDocs | null> {
  const dir = `node_modules/${library.name}`;
  const pkg = await readJson<PackageJson>(`${dir}/package.json`, guard);
  if (!pkg?.version) return null;
  const notes: string[] = [];
  const sections: DocSection[] = [];
  const readme = await findReadme(join(guard.root, dir));
  if (readme) {
    const r = await readGuarded(join(guard.root, dir, readme), guard, MAX_README);
    if (r.ok) sections.push(...markdownSections(r.text, `${dir}/${readme}`, readme));
  }
  const entries = typesEntries(pkg, library.subpaths);
  let typesDir = dir;
  let found = await declarations(dir, entries, guard);
  if (found.length === 0) {
    const atTypes = `node_modules/@types/${library.name.replace(/^@/, '').replace('/', '__')}`;
    const typesPkg = await readJson<PackageJson>(`${atTypes}/package.json`, guard);
    if (typesPkg) {
      typesDir = atTypes;
      found = await declarations(atTypes, typesEntries(typesPkg, library.subpaths), guard);
      if (found.length) notes.push(`types from ${atTypes} ${typesPkg.version ?? ''}`.trim());
    }
  }
  for (const f of found) sections.push(...declarationChunks(f.text, `${typesDir}/${f.path}`));
  if (sections.length === 0) return null;
  return { provider: 'installed', origin: dir, version: pkg.version, sections, notes };
}

async function readJson<T>(path: string, guard: ReadGuard): Promise<T | null> {
  const r = await readGuarded(join(guard.root, path), guard, 1024 * 1024);
  if (!r.ok) return null;
  try {
    return JSON.parse(r.text) as T;
  } catch {
    return null;
  }
}

async function findReadme(dir: string): Promise<string | null> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.find((n) => /^readme(\.md|\.markdown)?$/i.test(n)) ?? null;
}

/** The declaration files to start from: the package's types entry, then each imported subpath. */
function typesEntries(pkg: PackageJson, subpaths: readonly string[]): string[] {
  const exportTypes = (key: string): string | undefined => {
    const e = pkg.exports;
    if (!e || typeof e !== 'object') return undefined;
    const target = (e as Record<string, unknown>)[key];
    return typesOf(target);
  };
  const main = pkg.types ?? pkg.typings ?? exportTypes('.') ?? 'index.d.ts';
  const out = [main];
  for (const sub of subpaths) out.push(exportTypes(`./${sub}`) ?? `${sub}.d.ts`, `${sub}/index.d.ts`);
  return [...new Set(out.map((p) => posix.normalize(p.replace(/^\.\//, ''))))].filter(
    (p) => !p.startsWith('..'),
  );
}

function typesOf(target: unknown): string | undefined {
  if (typeof target === 'string') return target.endsWith('.d.ts') ? target : undefined;
  if (!target || typeof target !== 'object') return undefined;
  const t = target as Record<string, unknown>;
  if (typeof t.types === 'string') return t.types;
  for (const k of ['import', 'require', 'default', 'node']) {
    const inner = typesOf(t[k]);
    if (inner) return inner;
  }
  return undefined;
}

/** Reads the entry declaration files and the relative files they re-export or reference, within limits. */
async function declarations(
  dir: string,
  entries: readonly string[],
  guard: ReadGuard,
): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  const queue = [...entries];
  const seen = new Set<string>();
  let total = 0;
  while (queue.length && out.length < MAX_DTS_FILES && total < MAX_DTS_TOTAL) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const r = await readGuarded(join(guard.root, dir, path), guard, MAX_DTS);
    if (!r.ok) continue;
    out.push({ path, text: r.text });
    total += r.text.length;
    for (const m of r.text.matchAll(
      /(?:from\s*|reference\s+path\s*=\s*|import\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g,
    )) {
      const ref = posix.normalize(posix.join(posix.dirname(path), m[1]!));
      if (ref.startsWith('..')) continue;
      const base = ref.replace(/\.(d\.ts|js|mjs|cjs|ts)$/, '');
      queue.push(ref.endsWith('.d.ts') ? ref : `${base}.d.ts`);
      if (!ref.endsWith('.d.ts')) queue.push(`${base}/index.d.ts`);
    }
  }
  return out;
}
