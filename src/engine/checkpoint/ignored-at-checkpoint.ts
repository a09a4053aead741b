import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GitCommandError, gitExec, gitExecBuffer } from '../../git/git-exec.js';
import type { FileChange } from './checkpoint.js';
import type { RepoPaths } from './open-repo.js';
import { scratchDir } from './scratch-index.js';

/**
 * Of the files a restore would delete (`added` since the checkpoint), those the checkpoint's own
 * ignore rules ignore. Such a file was never captured, so it may be the user's and predate the
 * checkpoint (the agent un-ignored it, or force-added it): a restore must leave it alone.
 * With unchanged `.gitignore` files the live rules are the checkpoint's; otherwise the
 * checkpoint's `.gitignore` files are written to a scratch folder and asked there.
 */
export async function ignoredAtCheckpoint(
  repo: RepoPaths,
  tree: string,
  changes: FileChange[],
): Promise<string[]> {
  const candidates = changes.filter((c) => c.status === 'added').map((c) => c.path);
  if (candidates.length === 0) return [];
  const rulesChanged = changes.some((c) => c.path === '.gitignore' || c.path.endsWith('/.gitignore'));
  if (!rulesChanged) return checkIgnore(repo.root, [], candidates);
  const dir = join(scratchDir(repo), `rules-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await writeIgnoreFiles(repo, tree, dir);
    return await checkIgnore(dir, [`--git-dir=${repo.gitDir}`, `--work-tree=${dir}`], candidates);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function checkIgnore(cwd: string, globals: string[], paths: string[]): Promise<string[]> {
  try {
    const out = await gitExec(cwd, [...globals, 'check-ignore', '--no-index', '-z', '--stdin'], {
      input: `${paths.join('\0')}\0`,
    });
    return out.split('\0').filter((p) => p.length > 0);
  } catch (error) {
    if (error instanceof GitCommandError && error.exitCode === 1) return []; // nothing ignored
    throw error;
  }
}

async function writeIgnoreFiles(repo: RepoPaths, tree: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const listing = await gitExec(repo.root, ['ls-tree', '-r', '-z', '--full-tree', tree]);
  for (const entry of listing.split('\0')) {
    const tab = entry.indexOf('\t');
    const path = entry.slice(tab + 1);
    if (tab < 0 || !(path === '.gitignore' || path.endsWith('/.gitignore'))) continue;
    const oid = entry.slice(0, tab).split(' ')[2]!;
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await gitExecBuffer(repo.root, ['cat-file', 'blob', oid]));
  }
}
