import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gitExec } from './git-exec.js';
import type { RepoPaths } from './open-repo.js';

/**
 * Ralex's own bookkeeping inside the project: its state (database, token), its memory and
 * audit summary (context), session logs and caches. They record what happened, so a rollback
 * of the code must not roll them back too.
 */
const RALEX_BOOKKEEPING = ['.ralex/state', '.ralex/context', '.ralex/sessions', '.ralex/cache'];

/** Paths a checkpoint never captures and a restore never touches, anywhere in the tree. */
export const EXCLUDED_PATHSPECS = RALEX_BOOKKEEPING.flatMap((dir) => [
  `:(exclude,glob)**/${dir}`,
  `:(exclude,glob)**/${dir}/**`,
]);
const EXCLUDED_AS_POSITIVE = RALEX_BOOKKEEPING.flatMap((dir) => [`:(glob)**/${dir}`, `:(glob)**/${dir}/**`]);

/** A private index file, seeded from the user's index. */
export interface ScratchIndex {
  file: string;
  /** False when the seed certainly tracks none of Ralex's bookkeeping paths (saves a git call). */
  mayTrackState: boolean;
}

/** Where scratch index files live: inside the git dir, so they are never part of the tree. */
export function scratchDir(repo: RepoPaths): string {
  return join(repo.gitDir, 'ralex');
}

/**
 * Runs `fn` with a private index file seeded from the user's index (so `git add -A` only re-hashes
 * files whose stat data changed), and removes it afterwards. The user's index is only read.
 */
export async function withScratchIndex<T>(
  repo: RepoPaths,
  fn: (scratch: ScratchIndex) => Promise<T>,
): Promise<T> {
  const dir = scratchDir(repo);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `index-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    const mayTrackState = await seedFromUserIndex(repo.indexFile, file);
    return await fn({ file, mayTrackState });
  } finally {
    await rm(file, { force: true });
    await rm(`${file}.lock`, { force: true });
  }
}

async function seedFromUserIndex(source: string, target: string): Promise<boolean> {
  let mtimeSeconds: number;
  let bytes: Buffer;
  try {
    mtimeSeconds = Math.floor((await stat(source)).mtimeMs / 1000);
    bytes = await readFile(source);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false; // no index yet: start empty
    throw error;
  }
  await writeFile(target, bytes);
  // Git trusts cached stat data only for files older than the index file itself ("racy git").
  // A fresh copy would look newer than the original and make git trust entries it should
  // re-check; back-dating it to the original's whole second keeps the check at least as strict.
  await utimes(target, mtimeSeconds, mtimeSeconds);
  return mayContainStatePaths(bytes);
}

/**
 * Whether an index file might list Ralex's bookkeeping paths. Version 4 compresses path prefixes
 * and a split index keeps entries in another file ("link" extension), so those always say maybe;
 * a false "maybe" only costs one git call, a false "no" would let a rollback touch them.
 */
function mayContainStatePaths(index: Buffer): boolean {
  const version = index.length >= 8 ? index.readUInt32BE(4) : 2;
  if (version >= 4) return true;
  return index.includes('link') || RALEX_BOOKKEEPING.some((dir) => index.includes(`${dir}/`));
}

/**
 * Makes the scratch index describe the working tree exactly: every tracked, modified, deleted
 * and untracked-but-not-ignored file, with Ralex's bookkeeping left out (even when the user tracks it).
 */
export async function stageWorkTree(repo: RepoPaths, scratch: ScratchIndex): Promise<void> {
  const indexFile = scratch.file;
  await gitExec(repo.root, ['add', '-A', '--', '.', ...EXCLUDED_PATHSPECS], { indexFile });
  if (!scratch.mayTrackState) return;
  const args = ['rm', '-r', '-q', '-f', '--cached', '--ignore-unmatch', '--', ...EXCLUDED_AS_POSITIVE];
  await gitExec(repo.root, args, { indexFile });
}
