import { execFile } from 'node:child_process';
import { access, readdir, readFile, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { isWithin, type ReadGuard, readGuarded } from '../project/guarded-read.js';
import { normalizeDistName } from './python-versions.js';

/** The Python a project runs: the interpreter to ask (never one inside the project) and where packages live. */
export interface PythonEnvironment {
  /** Absolute path of the interpreter, outside the project; null when there is none. */
  interpreter: string | null;
  /** The project's virtual environment folder (project-relative), if it has one. */
  venv: string | null;
  /** Folders installed packages live in, real paths: the venv's site-packages first, then the interpreter's. */
  siteDirs: string[];
}

const VENVS = ['.venv', 'venv', '.virtualenv', 'env'];
const sysPaths = new Map<string, Promise<string[]>>();

/**
 * Finds the project's Python: its virtual environment (`.venv`, `venv`, … with `pyvenv.cfg`),
 * whose `home` names the base interpreter, else `python3` on the PATH. An interpreter inside the
 * project is never run (a repository could ship one); the venv's site-packages are read as files.
 */
export async function pythonEnvironment(
  root: string,
  guard: ReadGuard,
  path = process.env.PATH ?? '',
): Promise<PythonEnvironment> {
  let venv: string | null = null;
  let home: string | null = null;
  const siteDirs: string[] = [];
  for (const name of VENVS) {
    const cfg = await readGuarded(join(root, name, 'pyvenv.cfg'), guard, 16 * 1024);
    if (!cfg.ok) continue;
    venv = name;
    home = /^\s*home\s*=\s*(.+?)\s*$/m.exec(cfg.text)?.[1] ?? null;
    const lib = join(root, name, 'lib');
    for (const py of (await readdir(lib).catch(() => [] as string[]))
      .filter((d) => /^python\d/.test(d))
      .sort()
      .reverse()) {
      const dir = await realpath(join(lib, py, 'site-packages')).catch(() => null);
      if (dir && isWithin(dir, root)) siteDirs.push(dir);
    }
    break;
  }
  const candidates = [
    ...(home ? [join(home, 'python3'), join(home, 'python')] : []),
    ...path
      .split(delimiter)
      .filter(Boolean)
      .map((d) => join(d, 'python3')),
  ];
  let interpreter: string | null = null;
  for (const c of candidates) {
    const real = await realpath(c).catch(() => null);
    if (!real || isWithin(real, root)) continue;
    if (
      await access(real).then(
        () => true,
        () => false,
      )
    ) {
      interpreter = c;
      break;
    }
  }
  if (interpreter)
    for (const d of await interpreterSitePath(interpreter)) if (!siteDirs.includes(d)) siteDirs.push(d);
  return { interpreter, venv, siteDirs };
}

/** The interpreter's own package folders (its `sys.path` entries that exist), asked once per process. */
function interpreterSitePath(interpreter: string): Promise<string[]> {
  let p = sysPaths.get(interpreter);
  if (!p) {
    p = new Promise((resolve) => {
      execFile(
        interpreter,
        ['-I', '-c', 'import sys, json; print(json.dumps([p for p in sys.path if p]))'],
        { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '' }, timeout: 3000 },
        async (error, stdout) => {
          if (error) return resolve([]);
          try {
            const dirs = JSON.parse(stdout) as string[];
            const real = await Promise.all(
              dirs.filter((d) => !d.endsWith('.zip')).map((d) => realpath(d).catch(() => null)),
            );
            resolve(real.filter((d): d is string => d !== null));
          } catch {
            resolve([]);
          }
        },
      );
    });
    sysPaths.set(interpreter, p);
  }
  return p;
}

/** An installed distribution: its name, version and metadata folder. */
export interface PythonDistribution {
  name: string;
  version: string;
  /** The `.dist-info` (or `.egg-info`) folder, absolute. */
  metadata: string;
}

/**
 * The installed distribution that provides an import name, read from the `.dist-info` folders:
 * by name first (`requests` → requests-2.31.0.dist-info), then by `top_level.txt`.
 */
export async function installedDistribution(
  importName: string,
  siteDirs: readonly string[],
): Promise<PythonDistribution | null> {
  const want = normalizeDistName(importName);
  const later: { dir: string; name: string; version: string }[] = [];
  for (const site of siteDirs) {
    const entries = await readdir(site).catch(() => [] as string[]);
    for (const e of entries) {
      const m = /^(.+?)-(\d[^-]*?)(?:-py\d[^-]*)?\.(dist-info|egg-info)$/.exec(e);
      if (!m) continue;
      const info = { dir: join(site, e), name: m[1]!, version: m[2]! };
      if (normalizeDistName(m[1]!) === want || normalizeDistName(m[1]!) === `python-${want}`)
        return { name: info.name, version: info.version, metadata: info.dir };
      later.push(info);
    }
    const plain = entries.find((e) => /\.egg-info$/.test(e) && !/-\d/.test(e));
    if (plain && normalizeDistName(plain.replace(/\.egg-info$/, '')) === want) {
      const pkgInfo = await readFile(join(site, plain, 'PKG-INFO'), 'utf8').catch(() => '');
      const version = /^Version:\s*(\S+)/m.exec(pkgInfo)?.[1];
      if (version) return { name: plain.replace(/\.egg-info$/, ''), version, metadata: join(site, plain) };
    }
  }
  for (const d of later) {
    const top = await readFile(join(d.dir, 'top_level.txt'), 'utf8').catch(() => '');
    if (top.split(/\s+/).includes(importName)) return { name: d.name, version: d.version, metadata: d.dir };
  }
  return null;
}
