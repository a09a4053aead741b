import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type ReadGuard, readGuarded } from '../project/guarded-read.js';

/** The versions a JavaScript project's lockfile pins, by package name, and which lockfile. */
export interface LockedVersions {
  lockfile: string | null;
  versions: Map<string, string>;
}

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'] as const;
const MAX_LOCK_BYTES = 32 * 1024 * 1024;
/** Parsed lockfiles by path, kept while the file's size and mtime stay the same. */
const memo = new Map<string, { key: string; locked: LockedVersions }>();

/** The top-level versions of the project's lockfile (npm, pnpm or yarn), read once per change of the file. */
export async function lockedNpmVersions(root: string, guard: ReadGuard): Promise<LockedVersions> {
  for (const name of LOCKFILES) {
    const path = join(root, name);
    const s = await stat(path).catch(() => null);
    if (!s?.isFile()) continue;
    const key = `${s.size}:${s.mtimeMs}`;
    const hit = memo.get(path);
    if (hit?.key === key) return hit.locked;
    const r = await readGuarded(path, guard, MAX_LOCK_BYTES);
    if (!r.ok) continue;
    const versions = name.endsWith('.json')
      ? npmLock(r.text)
      : name === 'yarn.lock'
        ? yarnLock(r.text)
        : pnpmLock(r.text);
    const locked = { lockfile: name, versions };
    memo.set(path, { key, locked });
    return locked;
  }
  return { lockfile: null, versions: new Map() };
}

/** package-lock.json v2/v3 (`packages["node_modules/x"]`) or v1 (`dependencies.x`). */
function npmLock(text: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const json = JSON.parse(text) as {
      packages?: Record<string, { version?: string }>;
      dependencies?: Record<string, { version?: string }>;
    };
    for (const [key, p] of Object.entries(json.packages ?? {})) {
      // Only the top level: node_modules/x, node_modules/@s/x — not nested copies.
      const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key);
      if (m && p.version) out.set(m[1]!, p.version);
    }
    if (out.size === 0)
      for (const [name, p] of Object.entries(json.dependencies ?? {}))
        if (p.version) out.set(name, p.version);
  } catch {
    // an unreadable lockfile pins nothing
  }
  return out;
}

/** yarn.lock v1 (`"x@^1":\n  version "1.2.3"`) and berry (`"x@npm:^1":\n  version: 1.2.3`). */
function yarnLock(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\S/.test(line) && line.trimEnd().endsWith(':')) {
      names = line
        .slice(0, -1)
        .split(',')
        .map((s) => s.trim().replace(/^"|"$/g, ''))
        .map((s) => s.slice(0, s.indexOf('@', 1)))
        .filter(Boolean);
      continue;
    }
    const v = /^\s+version:?\s+"?([^"\s]+)"?/.exec(line);
    if (v && names.length) {
      for (const n of names) if (!out.has(n)) out.set(n, v[1]!);
      names = [];
    }
  }
  return out;
}

/**
 * pnpm-lock.yaml: the root importer's dependencies (`importers: .: dependencies:`, v6 workspaces
 * and v9), or the top-level `dependencies:` (v5, v6 single project); each entry either inline
 * (`dayjs: 1.11.13`) or with `version:` below it.
 */
function pnpmLock(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split('\n');
  const importers = lines.findIndex((l) => /^importers:\s*$/.test(l));
  let from = 0;
  let header = 0;
  if (importers >= 0) {
    from = lines.findIndex((l, i) => i > importers && /^ {2}['"]?\.['"]?:\s*$/.test(l));
    if (from < 0) return out;
    header = 4;
  }
  let inDeps = false;
  let current: string | null = null;
  for (let i = from + (importers >= 0 ? 1 : 0); i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent < header) break;
    if (indent === header) {
      inDeps = /^\s*(dependencies|devDependencies|optionalDependencies):\s*$/.test(line);
      current = null;
      continue;
    }
    if (!inDeps) continue;
    const entry = /^\s*['"]?((?:@[^/'"]+\/)?[^:'"]+)['"]?:\s*(.*)$/.exec(line);
    if (entry && indent === header + 2) {
      current = entry[1]!;
      if (entry[2]!.trim()) out.set(current, cleanPnpmVersion(entry[2]!.trim()));
    } else if (current && indent === header + 4) {
      const v = /^\s*version:\s*['"]?([^'"\s]+)/.exec(line);
      if (v) out.set(current, cleanPnpmVersion(v[1]!));
    }
  }
  return out;
}

/** `1.11.13(react@18.2.0)` → `1.11.13`; `/dayjs/1.11.13` → `1.11.13`. */
function cleanPnpmVersion(v: string): string {
  return v
    .replace(/\(.*$/, '')
    .replace(/^.*\//, '')
    .replace(/^['"]|['"]$/g, '');
}
