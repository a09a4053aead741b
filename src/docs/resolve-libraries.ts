import { readdir } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { queryTerms } from '../context/rank/query-terms.js';
import { type ReadGuard, readGuarded } from '../project/guarded-read.js';
import { goRequirements, moduleOf } from './go-versions.js';
import { importsOf, npmPackageOf, usedNames } from './import-specifiers.js';
import type { Library } from './library.js';
import { lockedNpmVersions } from './npm-versions.js';
import type { ProjectDependencies } from './project-dependencies.js';
import { installedDistribution, type PythonEnvironment } from './python-environment.js';
import { normalizeDistName, pinnedPythonVersions } from './python-versions.js';

/** A file the command is about, and how strongly (named in the command: 2; ranked: 1 down to 0.2). */
export interface FileInPlay {
  path: string;
  weight: number;
  named: boolean;
}

/** What resolving needs: the project, the files in play, the request, the manifests. */
export interface LibrariesInput {
  root: string;
  request: string;
  files: readonly FileInPlay[];
  dependencies: ProjectDependencies;
  guard: ReadGuard;
  /** The project's Python, asked only when a Python file is in play. */
  python(): Promise<PythonEnvironment>;
  max: number;
}

/** The libraries in play at their installed versions, and the names the files use (for ranking docs). */
export interface LibrariesInPlay {
  libraries: Library[];
  used: Set<string>;
  notes: string[];
}

const NODE_BUILTINS = new Set(builtinModules);

/**
 * The libraries a command touches: those the files in play import (a named file counts most),
 * and dependencies the request names ("the dayjs helper"), each resolved to the version the
 * project has — installed (`node_modules/<pkg>/package.json`, a `.dist-info`), else locked
 * (package-lock/pnpm-lock/yarn.lock, poetry.lock/uv.lock/requirements, go.mod/go.sum).
 */
export async function librariesInPlay(input: LibrariesInput): Promise<LibrariesInPlay> {
  type Found = Omit<Library, 'version' | 'versionSource'>;
  const found = new Map<string, Found>();
  const used = new Set<string>();
  const notes: string[] = [];
  const add = (
    ecosystem: Library['ecosystem'],
    name: string,
    why: string,
    weight: number,
    symbols: string[],
    subpath: string,
  ) => {
    const key = `${ecosystem}:${name}`;
    const f = found.get(key) ?? { ecosystem, name, why: [], symbols: [], subpaths: [], weight: 0 };
    if (!f.why.includes(why)) f.why.push(why);
    f.weight += weight;
    for (const s of symbols) if (!f.symbols.includes(s)) f.symbols.push(s);
    if (subpath && !f.subpaths.includes(subpath)) f.subpaths.push(subpath);
    found.set(key, f);
  };
  const texts = await Promise.all(
    input.files.map((f) => readGuarded(join(input.root, f.path), input.guard, 256 * 1024)),
  );
  input.files.forEach((file, i) => {
    const r = texts[i]!;
    if (!r.ok) return;
    for (const n of usedNames(r.text)) used.add(n);
    for (const imp of importsOf(file.path, r.text)) {
      const why = `imported by ${file.path}`;
      if (imp.ecosystem === 'npm') {
        const pkg = npmPackageOf(imp.specifier);
        if (pkg && !NODE_BUILTINS.has(pkg.name))
          add('npm', pkg.name, why, file.weight, imp.names, pkg.subpath);
      } else if (imp.ecosystem === 'python') {
        const [top, ...rest] = imp.specifier.split('.');
        add('python', top!, why, file.weight, imp.names, rest.join('.'));
      } else add('go', imp.specifier, why, file.weight, imp.names, '');
    }
  });
  // Dependencies the request names by name: "fix the date parsing in the dayjs helper".
  const words = new Set(queryTerms(input.request));
  const said = input.request.toLowerCase();
  for (const d of input.dependencies.dependencies) {
    const short = d.name.split('/').at(-1)!.toLowerCase();
    if (!words.has(short) && !said.includes(d.name.toLowerCase())) continue;
    const eco =
      d.ecosystem === 'npm' || d.ecosystem === 'python' || d.ecosystem === 'go' ? d.ecosystem : null;
    if (!eco) continue;
    add(eco, d.name, `named in the request (declared in ${d.manifest})`, 3, [], '');
    found.get(`${eco}:${d.name}`)!.named = true;
  }
  // The project's own code is not a library: a test importing the package the project is (an
  // older copy of it may well be installed) gets no docs of that other version.
  for (const [key, f] of found) {
    const where = await ownCode(input, f.ecosystem, f.name);
    if (!where) continue;
    found.delete(key);
    notes.push(`${f.name}: the project's own code (${where}), not a library: no docs looked up.`);
  }
  const libraries: Library[] = [];
  const byWeight = [...found.values()].sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : 1));
  const npm = byWeight.some((f) => f.ecosystem === 'npm')
    ? await lockedNpmVersions(input.root, input.guard)
    : null;
  const py = byWeight.some((f) => f.ecosystem === 'python')
    ? await Promise.all([input.python(), pinnedPythonVersions(input.root, input.guard)])
    : null;
  const go = byWeight.some((f) => f.ecosystem === 'go')
    ? await goRequirements(input.root, input.guard)
    : null;
  const goModules = new Map<string, Found>();
  for (const f of byWeight) {
    if (libraries.length >= input.max) break;
    if (f.ecosystem === 'npm' && npm) {
      const installed = await readGuarded(
        join(input.root, 'node_modules', f.name, 'package.json'),
        input.guard,
        1024 * 1024,
      );
      const locked = npm.versions.get(f.name);
      let version: string | undefined;
      try {
        version = installed.ok ? (JSON.parse(installed.text) as { version?: string }).version : undefined;
      } catch {
        version = undefined;
      }
      if (!version && !locked) continue;
      const where = `node_modules/${f.name}/package.json`;
      const source = version
        ? locked && locked !== version
          ? `${where}; ${npm.lockfile} says ${locked} (run the install to match)`
          : `${where}${locked ? `; ${npm.lockfile} agrees` : ''}`
        : `${npm.lockfile} (not installed)`;
      libraries.push({ ...f, version: (version ?? locked)!, versionSource: source, installed: !!version });
    } else if (f.ecosystem === 'python' && py) {
      const [env, pins] = py;
      const dist = await installedDistribution(f.name, env.siteDirs);
      const pinned = pins.versions.get(normalizeDistName(dist?.name ?? f.name));
      if (!dist && !pinned) continue;
      const source = dist
        ? `${dist.metadata}${pinned && pinned !== dist.version ? `; ${pins.lockfile} says ${pinned}` : pins.lockfile && pinned ? `; ${pins.lockfile} agrees` : ''}`
        : `${pins.lockfile} (not installed)`;
      libraries.push({ ...f, version: (dist?.version ?? pinned)!, versionSource: source, installed: !!dist });
    } else if (f.ecosystem === 'go' && go) {
      const mod = moduleOf(f.name, go.modules);
      if (!mod) continue;
      const sub = f.name === mod ? '' : f.name.slice(mod.length + 1);
      const seen = goModules.get(mod);
      if (seen) {
        if (sub && !seen.subpaths.includes(sub)) seen.subpaths.push(sub);
        continue;
      }
      const lib = {
        ...f,
        name: mod,
        subpaths: sub ? [sub] : f.name === mod ? [''] : [],
        version: go.modules.get(mod)!,
        versionSource: go.file!,
      };
      goModules.set(mod, lib);
      libraries.push(lib);
    }
  }
  return { libraries, used, notes };
}

/** Where an imported name is the project's own code (its manifest's name, or a package folder in it); null for a library. */
async function ownCode(
  input: LibrariesInput,
  ecosystem: Library['ecosystem'],
  name: string,
): Promise<string | null> {
  const own = input.dependencies.own;
  if (ecosystem === 'npm') return own.npm === name ? 'package.json names it' : null;
  if (ecosystem === 'go')
    return own.go && (name === own.go || name.startsWith(`${own.go}/`)) ? 'go.mod names it' : null;
  if (own.python && normalizeDistName(own.python) === normalizeDistName(name))
    return 'pyproject.toml names it';
  for (const folder of [name, `src/${name}`]) {
    const init = await readGuarded(join(input.root, folder, '__init__.py'), input.guard, 1);
    if (init.ok) return `${folder}/`;
    // A module file (`import helpers` with helpers.py beside) or a namespace package (a folder of
    // modules without __init__.py, `from src.app import add`) is the project's own code too.
    const module = await readGuarded(join(input.root, `${folder}.py`), input.guard, 1);
    if (module.ok) return `${folder}.py`;
    if (await holdsPython(join(input.root, folder), 3)) return `${folder}/`;
  }
  return null;
}

/** Whether a folder holds a `.py` file within `depth` levels (looking at no more than 200 entries). */
async function holdsPython(dir: string, depth: number, budget = { entries: 200 }): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  budget.entries -= entries.length;
  if (entries.some((e) => e.isFile() && e.name.endsWith('.py'))) return true;
  if (depth <= 1 || budget.entries <= 0) return false;
  for (const e of entries)
    if (
      e.isDirectory() &&
      !e.name.startsWith('.') &&
      (await holdsPython(join(dir, e.name), depth - 1, budget))
    )
      return true;
  return false;
}
