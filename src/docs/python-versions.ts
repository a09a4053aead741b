import { join } from 'node:path';
import { type ReadGuard, readGuarded } from '../project/guarded-read.js';

/** Versions a Python project pins (poetry.lock, uv.lock, Pipfile.lock, `==` in requirements), by normalised name. */
export interface PythonPins {
  lockfile: string | null;
  versions: Map<string, string>;
}

/** A distribution name as PEP 503 compares them: `Python_Dateutil` → `python-dateutil`. */
export function normalizeDistName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Reads the first lockfile the project has, else the `==` pins of its requirements files. */
export async function pinnedPythonVersions(root: string, guard: ReadGuard): Promise<PythonPins> {
  const read = async (name: string) => {
    const r = await readGuarded(join(root, name), guard, 16 * 1024 * 1024);
    return r.ok ? r.text : null;
  };
  for (const name of ['poetry.lock', 'uv.lock']) {
    const text = await read(name);
    if (text === null) continue;
    const versions = new Map<string, string>();
    for (const block of text.split(/^\[\[package\]\]\s*$/m).slice(1)) {
      const n = /^name\s*=\s*"([^"]+)"/m.exec(block);
      const v = /^version\s*=\s*"([^"]+)"/m.exec(block);
      if (n && v) versions.set(normalizeDistName(n[1]!), v[1]!);
    }
    return { lockfile: name, versions };
  }
  const pipfile = await read('Pipfile.lock');
  if (pipfile !== null) {
    const versions = new Map<string, string>();
    try {
      const json = JSON.parse(pipfile) as Record<string, Record<string, { version?: string }>>;
      for (const section of ['default', 'develop'])
        for (const [n, p] of Object.entries(json[section] ?? {}))
          if (p.version) versions.set(normalizeDistName(n), p.version.replace(/^==/, ''));
    } catch {
      // not JSON: no pins
    }
    return { lockfile: 'Pipfile.lock', versions };
  }
  const versions = new Map<string, string>();
  let lockfile: string | null = null;
  for (const name of ['requirements.txt', 'requirements-dev.txt']) {
    const text = await read(name);
    if (text === null) continue;
    for (const m of text.matchAll(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)/gm)) {
      versions.set(normalizeDistName(m[1]!), m[2]!);
      lockfile ??= name;
    }
  }
  return { lockfile, versions };
}
