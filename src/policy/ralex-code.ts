import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The code the running Ralex loads, where it lies inside the project it works on: Ralex's own
 * checkout (the project is Ralex) or a project that has Ralex installed in its `node_modules`
 * (`npx ralex`). Ralex runs that code on the host, outside any sandbox, at its next start: an
 * agent that rewrote `dist/bundle/main.js`, a dependency or `node_modules/.bin/ralex` would run
 * whatever it wrote unsandboxed. So the policy never lets an agent tool write there, and the
 * sandbox mounts it read-only (`readOnly`) or puts a throw-away folder over it (`throwaway`: the
 * checkout's `dist/`, so the project's own build and tests still run inside the sandbox and what
 * they build never reaches the host's copy).
 */
export interface RalexCodeInProject {
  /** Absolute folders mounted read-only in the sandbox and never written by an agent tool. */
  readOnly: string[];
  /** Absolute folders an agent tool never writes, seen empty and writable in the sandbox. */
  throwaway: string[];
}

const NONE: RalexCodeInProject = { readOnly: [], throwaway: [] };

/** Caches of `node_modules` that hold no code Ralex loads: writable in the sandbox (test runners write them). */
export const NODE_MODULES_CACHES = ['.vite', '.cache'] as const;

let running: string[] | undefined;

/**
 * The package roots of the running Ralex (folders whose package.json is named `ralex`), found
 * from this module's file and from the script Node was started with, symlinks resolved: the
 * bundle keeps each module's own path, and the script is what `ralex` on PATH points to.
 */
export function runningInstallRoots(): string[] {
  running ??= [
    ...new Set(
      [fileURLToPath(import.meta.url), process.argv[1]]
        .map((file) => (file ? packageRootOf(file) : null))
        .filter((root): root is string => root !== null),
    ),
  ];
  return running;
}

function packageRootOf(file: string): string | null {
  let dir: string;
  try {
    dir = dirname(realpathSync.native(file));
  } catch {
    return null;
  }
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'ralex') return dir;
      } catch {
        // an unreadable or malformed package.json is not Ralex's: keep looking upward
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

const within = (dir: string, path: string): boolean => path === dir || path.startsWith(dir + sep);

/**
 * The folders of the running Ralex's code inside `projectRoot` (realpath): for each install root
 * inside the project, every `node_modules` Node resolves its packages from up to the project
 * root, and its `dist/` (read-only when it lies in one of those `node_modules`, else throw-away).
 * `installs` is injectable for tests; by default the running Ralex's.
 */
export function ralexCodeIn(
  projectRoot: string,
  installs: readonly string[] = runningInstallRoots(),
): RalexCodeInProject {
  const inside = installs.filter((root) => within(projectRoot, root));
  if (!inside.length) return NONE;
  const readOnly = new Set<string>();
  const throwaway = new Set<string>();
  for (const install of inside) {
    for (let dir = install; within(projectRoot, dir); dir = dirname(dir)) {
      if (basename(dir) !== 'node_modules') readOnly.add(join(dir, 'node_modules'));
      if (dir === projectRoot) break;
    }
  }
  for (const install of inside) {
    const dist = join(install, 'dist');
    if (![...readOnly].some((dir) => within(dir, dist))) throwaway.add(dist);
  }
  return { readOnly: [...readOnly], throwaway: [...throwaway] };
}

/** Whether an absolute, real path lies in the running Ralex's code (see `ralexCodeIn`). */
export function isRalexCode(real: string, code: RalexCodeInProject): boolean {
  return code.readOnly.some((dir) => within(dir, real)) || code.throwaway.some((dir) => within(dir, real));
}
