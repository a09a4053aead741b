import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { gitExec } from '../git/git-exec.js';
import { RALEX_BOOKKEEPING_DIRS } from './ralex-paths.js';

const HEADER = "# Ralex's own state, memory, session logs and caches (written by Ralex at first start)";

/**
 * Done at every start, cheaply: `.ralex/` exists (so the sandbox can keep it read-only instead
 * of letting a command create it), and git's per-repository exclude file lists Ralex's
 * bookkeeping, so no `git add -A` — Ralex's or the user's — ever stages the token or the
 * database, whatever `ralex init` did or did not write to `.gitignore`. `excludeFile` is that
 * file when the caller already asked git for it (findProject does, in the same process).
 */
export async function protectRalexState(root: string, excludeFile?: string): Promise<void> {
  await mkdir(join(root, '.ralex'), { recursive: true });
  const path = excludeFile ?? (await gitExec(root, ['rev-parse', '--git-path', 'info/exclude'])).trim();
  const file = isAbsolute(path) ? path : join(root, path);
  const current = await readFile(file, 'utf8').catch(() => '');
  const lines = new Set(current.split('\n').map((l) => l.trim()));
  const missing = RALEX_BOOKKEEPING_DIRS.map((dir) => `/${dir}/`).filter((line) => !lines.has(line));
  if (missing.length === 0) return;
  await mkdir(dirname(file), { recursive: true });
  const prefix = current && !current.endsWith('\n') ? '\n' : '';
  const header = lines.has(HEADER) ? '' : `${HEADER}\n`;
  await writeFile(file, `${current}${prefix}${header}${missing.join('\n')}\n`);
}
