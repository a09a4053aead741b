import { extname } from 'node:path';
import type { DocsEcosystem } from './library.js';

/** One import of a source file: what it names and the bindings it brings in. */
export interface ImportSpecifier {
  ecosystem: DocsEcosystem;
  /** As written: `dayjs/plugin/utc`, `@scope/pkg`, `dateutil.parser`, `github.com/spf13/cobra`. */
  specifier: string;
  /** Names imported (`parse`, `Dayjs`) and local bindings (`dayjs`, `dt`). */
  names: string[];
}

const JS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.svelte', '.vue']);
const JS_FROM =
  /\b(?:import|export)\s+(?:type\s+)?([\w$*{}\s,]*?)\s*from\s*['"]([^'"\n]+)['"]|\bimport\s*['"]([^'"\n]+)['"]|\b(?:require|import)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;
const PY_IMPORT = /^[ \t]*import[ \t]+([\w. \t,]+)$/gm;
const PY_FROM = /^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)/gm;
const GO_IMPORT = /\bimport\s*(?:\(([\s\S]*?)\)|(?:[\w.]+\s+)?"([^"]+)")/g;

/** The imports of a file by its language; relative imports and built-ins are left out. */
export function importsOf(path: string, text: string): ImportSpecifier[] {
  const ext = extname(path).toLowerCase();
  if (JS.has(ext)) return jsImports(text);
  if (ext === '.py' || ext === '.pyi') return pythonImports(text);
  if (ext === '.go') return goImports(text);
  return [];
}

function jsImports(text: string): ImportSpecifier[] {
  const out: ImportSpecifier[] = [];
  for (const m of text.matchAll(JS_FROM)) {
    const spec = m[2] ?? m[3] ?? m[4]!;
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || spec.startsWith('#'))
      continue;
    const names = (m[1] ?? '')
      .replace(/\btype\s+/g, '')
      .split(/[{},\s]+/)
      .filter((w) => w && w !== '*' && w !== 'as' && /^[\w$]+$/.test(w));
    out.push({ ecosystem: 'npm', specifier: spec, names });
  }
  return out;
}

function pythonImports(text: string): ImportSpecifier[] {
  const out: ImportSpecifier[] = [];
  for (const m of text.matchAll(PY_IMPORT))
    for (const part of m[1]!.split(',')) {
      const [mod, alias] = part.trim().split(/\s+as\s+/);
      if (mod)
        out.push({ ecosystem: 'python', specifier: mod, names: alias ? [alias] : [mod.split('.')[0]!] });
    }
  for (const m of text.matchAll(PY_FROM)) {
    if (m[1]!.startsWith('.')) continue;
    const names = m[2]!
      .replace(/[()]/g, ' ')
      .split(/[,\s]+/)
      .filter((w) => w && w !== 'as' && /^\w+$/.test(w));
    out.push({ ecosystem: 'python', specifier: m[1]!, names });
  }
  return out;
}

function goImports(text: string): ImportSpecifier[] {
  const out: ImportSpecifier[] = [];
  for (const m of text.matchAll(GO_IMPORT)) {
    const specs = m[2] ? [m[2]] : [...(m[1] ?? '').matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
    // The standard library has no dot in its first path element; it is not a module.
    for (const spec of specs)
      if (spec.split('/')[0]!.includes('.'))
        out.push({ ecosystem: 'go', specifier: spec, names: [spec.split('/').at(-1)!] });
  }
  return out;
}

/** The npm package of an import specifier: `@scope/pkg/sub` → `@scope/pkg`, with the subpath. */
export function npmPackageOf(specifier: string): { name: string; subpath: string } | null {
  const parts = specifier.split('/');
  const n = specifier.startsWith('@') ? 2 : 1;
  if (parts.length < n || parts.slice(0, n).some((p) => !/^[@\w.-]+$/.test(p))) return null;
  return { name: parts.slice(0, n).join('/'), subpath: parts.slice(n).join('/') };
}

/** Identifiers a file uses after a dot or as a call (`x.format(`, `parse(`), to match against signatures. */
export function usedNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.slice(0, 200_000).matchAll(/\.([A-Za-z_$][\w$]*)|\b([A-Za-z_$][\w$]*)\s*\(/g))
    out.add((m[1] ?? m[2])!);
  return out;
}
