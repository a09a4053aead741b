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

/** A site folder's distributions as listed, and (read when first needed) the import names each provides. */
interface SiteListing {
  /** The folder's entries as read, which say whether anything was installed or removed since. */
  key: string;
  dists: { name: string; version: string; dir: string }[];
  topLevel: Map<string, PythonDistribution> | null;
}
/** By site folder: a server asks about the same folders on every command. */
const listings = new Map<string, SiteListing>();

/** The site folder's distributions, parsed again only when its entries changed (an install renames them). */
async function siteListing(site: string, entries: readonly string[]): Promise<SiteListing> {
  const key = entries.join('\0');
  const known = listings.get(site);
  if (known?.key === key) return known;
  const dists: SiteListing['dists'] = [];
  for (const e of entries) {
    const m = /^(.+?)-(\d[^-]*?)(?:-py\d[^-]*)?\.(dist-info|egg-info)$/.exec(e);
    if (m) dists.push({ dir: join(site, e), name: m[1]!, version: m[2]! });
  }
  const listing: SiteListing = { key, dists, topLevel: null };
  listings.set(site, listing);
  return listing;
}

/** Which distribution provides each import name, from their `top_level.txt` (read once per listing). */
async function topLevelNames(listing: SiteListing): Promise<Map<string, PythonDistribution>> {
  if (listing.topLevel) return listing.topLevel;
  const tops = await Promise.all(
    listing.dists.map((d) => readFile(join(d.dir, 'top_level.txt'), 'utf8').catch(() => '')),
  );
  const out = new Map<string, PythonDistribution>();
  listing.dists.forEach((d, i) => {
    for (const name of tops[i]!.split(/\s+/).filter(Boolean))
      if (!out.has(name)) out.set(name, { name: d.name, version: d.version, metadata: d.dir });
  });
  listing.topLevel = out;
  return out;
}

/**
 * The installed distribution that provides an import name, read from the `.dist-info` folders:
 * by name first (`requests` → requests-2.31.0.dist-info), then by `top_level.txt` (`yaml` →
 * PyYAML). Each folder is listed on every call; what was parsed and read from it is kept until
 * its entries change, so a name no distribution has costs a listing, not every `top_level.txt`.
 */
export async function installedDistribution(
  importName: string,
  siteDirs: readonly string[],
): Promise<PythonDistribution | null> {
  const want = normalizeDistName(importName);
  const seen: SiteListing[] = [];
  for (const site of siteDirs) {
    const entries = await readdir(site).catch(() => [] as string[]);
    const listing = await siteListing(site, entries);
    seen.push(listing);
    for (const d of listing.dists) {
      const name = normalizeDistName(d.name);
      if (name === want || name === `python-${want}`)
        return { name: d.name, version: d.version, metadata: d.dir };
    }
    const plain = entries.find((e) => /\.egg-info$/.test(e) && !/-\d/.test(e));
    if (plain && normalizeDistName(plain.replace(/\.egg-info$/, '')) === want) {
      const pkgInfo = await readFile(join(site, plain, 'PKG-INFO'), 'utf8').catch(() => '');
      const version = /^Version:\s*(\S+)/m.exec(pkgInfo)?.[1];
      if (version) return { name: plain.replace(/\.egg-info$/, ''), version, metadata: join(site, plain) };
    }
  }
  for (const listing of seen) {
    const found = (await topLevelNames(listing)).get(importName);
    if (found) return found;
  }
  return null;
}
