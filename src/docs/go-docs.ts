import { readdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isWithin, type ReadGuard, readGuarded } from '../project/guarded-read.js';
import type { DocSection, Library, LibraryDocs } from './library.js';
import { markdownSections } from './markdown-sections.js';

const MAX_GO_FILES = 40;
const MAX_GO_BYTES = 512 * 1024;

/** The Go module cache: `$GOMODCACHE`, else `$GOPATH/pkg/mod`, else `~/go/pkg/mod`; its real path, or null. */
export async function goModuleCache(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const gopath = env.GOPATH?.split(':')[0];
  const dir =
    env.GOMODCACHE || (gopath ? join(gopath, 'pkg', 'mod') : join(env.HOME || homedir(), 'go', 'pkg', 'mod'));
  return realpath(dir).catch(() => null);
}

/** A module path as the module cache spells it: upper-case letters become `!` and the lower-case letter. */
export function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/**
 * Docs of a Go module at the version the project requires, from the module cache: the package
 * comment and the exported declarations (with their doc comments) of each imported package, and
 * the module's README. Nothing is downloaded; a module not in the cache has no installed docs.
 */
export async function goDocs(library: Library, cache: string, guard: ReadGuard): Promise<LibraryDocs | null> {
  const moduleDir = join(cache, `${escapeModulePath(library.name)}@${library.version}`);
  const real = await realpath(moduleDir).catch(() => null);
  if (!real || !isWithin(real, cache)) return null;
  const sections: DocSection[] = [];
  const shown = `${library.name}@${library.version}`;
  const readme = (await readdir(real).catch(() => [] as string[])).find((n) => /^readme(\.md)?$/i.test(n));
  if (readme) {
    const r = await readGuarded(join(real, readme), guard, 256 * 1024);
    if (r.ok) sections.push(...markdownSections(r.text, `${shown}/${readme}`, readme));
  }
  const packages = library.subpaths.length ? library.subpaths : [''];
  for (const sub of packages) {
    const dir = join(real, sub);
    if (!isWithin(dir, real)) continue;
    const files = (await readdir(dir).catch(() => [] as string[]))
      .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
      .sort()
      .slice(0, MAX_GO_FILES);
    for (const f of files) {
      const r = await readGuarded(join(dir, f), guard, MAX_GO_BYTES);
      if (r.ok) sections.push(...goDeclarations(r.text, `${shown}/${sub ? `${sub}/` : ''}${f}`));
    }
  }
  if (sections.length === 0) return null;
  return {
    provider: 'installed',
    origin: `${cache}/${escapeModulePath(library.name)}@${library.version}`,
    version: library.version,
    sections,
    notes: [],
  };
}

/** The package comment and each exported func, method, type, const and var of a Go file, with its doc comment. */
export function goDeclarations(text: string, source: string): DocSection[] {
  const out: DocSection[] = [];
  const lines = text.split('\n');
  let comment: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\/\//.test(line)) {
      comment.push(line);
      continue;
    }
    const pkg = /^package\s+(\w+)/.exec(line);
    if (pkg && comment.some((c) => /^\/\/\s*Package\s/.test(c))) {
      out.push({
        title: `package ${pkg[1]}`,
        text: comment.join('\n'),
        source,
        kind: 'godoc',
        names: [pkg[1]!],
      });
    }
    const decl = /^(func(?:\s+\([^)]*\))?\s+([A-Z]\w*)|type\s+([A-Z]\w*)|(?:const|var)\s+([A-Z]\w*))/.exec(
      line,
    );
    if (decl) {
      const name = (decl[2] ?? decl[3] ?? decl[4])!;
      // A type's body (struct fields, interface methods) is part of its signature, up to the closing brace.
      let end = i;
      if (/\{\s*$/.test(line) && !line.startsWith('func'))
        while (end < lines.length - 1 && end - i < 40 && !/^\}/.test(lines[end]!)) end++;
      const signature = line.startsWith('func')
        ? line.replace(/\s*\{\s*$/, '')
        : lines.slice(i, end + 1).join('\n');
      const receiver = /^func\s+\(\s*\w*\s*\*?(\w+)/.exec(line)?.[1];
      out.push({
        title: `${receiver ? `${receiver}.` : ''}${name}${line.startsWith('func') ? '()' : ''}`,
        text: [...comment, signature].join('\n'),
        source,
        kind: 'godoc',
        names: [name, ...(receiver ? [receiver] : [])],
      });
      i = end;
    }
    comment = [];
  }
  return out;
}
