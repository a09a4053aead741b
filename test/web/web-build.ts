import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root and the built app's folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where `npx vite build --config web/vite.config.ts` puts the app. */
export const WEB_DIST = join(REPO_ROOT, 'web', 'dist');

const SOURCES = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts'].map((p) =>
  join(REPO_ROOT, p),
);
const LOCK = join(REPO_ROOT, 'web', '.build-lock');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const isFresh = () =>
  existsSync(join(WEB_DIST, 'index.html')) &&
  statSync(join(WEB_DIST, 'index.html')).mtimeMs >= Math.max(...SOURCES.map(newestMtime));

/**
 * Builds web/dist unless it is newer than every source file. Test files run in parallel
 * processes, so one builds (holding a lock directory) while the others wait for it.
 */
export async function ensureWebBuild(): Promise<string> {
  for (let waited = 0; !isFresh(); waited += 200) {
    try {
      mkdirSync(LOCK);
    } catch {
      // A lock left by a build that was killed is older than any real build takes.
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > 180_000) rmSync(LOCK, { recursive: true, force: true });
      if (waited > 240_000) throw new Error(`web build lock ${LOCK} held for 4 minutes; remove it if stale`);
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      if (isFresh()) break;
      const vite = join(REPO_ROOT, 'node_modules', '.bin', 'vite');
      const run = spawnSync(vite, ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 180_000,
        // Vitest sets NODE_ENV=test, which would give a development build of Svelte.
        env: { ...process.env, NODE_ENV: 'production' },
      });
      if (run.status !== 0) throw new Error(`web build failed:\n${run.stdout}\n${run.stderr}`);
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
  return WEB_DIST;
}
