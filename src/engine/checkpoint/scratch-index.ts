import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gitExec } from '../../git/git-exec.js';
import { RALEX_BOOKKEEPING_DIRS } from '../../project/ralex-paths.js';
import type { RepoPaths } from './open-repo.js';

/** Paths a checkpoint never captures and a restore never touches, anywhere in the tree. */
export const EXCLUDED_PATHSPECS = RALEX_BOOKKEEPING_DIRS.flatMap((dir) => [
  `:(exclude,glob)**/${dir}`,
  `:(exclude,glob)**/${dir}/**`,
]);
const EXCLUDED_AS_POSITIVE = RALEX_BOOKKEEPING_DIRS.flatMap((dir) => [
  `:(glob)**/${dir}`,
  `:(glob)**/${dir}/**`,
]);

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

/** A scratch index that outlives one call: for a change run's repeated snapshots. */
export interface OpenScratchIndex extends ScratchIndex {
  /** Removes the file (and a lock left beside it). */
  dispose(): Promise<void>;
}

/**
 * Makes a private index file seeded from the user's index (so `git add -A` only re-hashes
 * files whose stat data changed). The user's index is only read.
 */
export async function openScratchIndex(repo: RepoPaths): Promise<OpenScratchIndex> {
  const dir = scratchDir(repo);
  await mkdir(dir, { recursive: true });
  const file = join(dir, `index-${process.pid}-${randomBytes(6).toString('hex')}`);
  const dispose = async () => {
    await rm(file, { force: true });
    await rm(`${file}.lock`, { force: true });
  };
  try {
    return { file, mayTrackState: await seedFromUserIndex(repo.indexFile, file), dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Runs `fn` with a scratch index (see `openScratchIndex`) and removes it afterwards. */
export async function withScratchIndex<T>(
  repo: RepoPaths,
  fn: (scratch: ScratchIndex) => Promise<T>,
): Promise<T> {
  const scratch = await openScratchIndex(repo);
  try {
    return await fn(scratch);
  } finally {
    await scratch.dispose();
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
  return index.includes('link') || RALEX_BOOKKEEPING_DIRS.some((dir) => index.includes(`${dir}/`));
}

/**
 * Makes the scratch index describe the working tree exactly: every tracked, modified, deleted
 * and untracked-but-not-ignored file, with Ralex's bookkeeping left out (even when the user tracks it).
 */
export async function stageWorkTree(repo: RepoPaths, scratch: ScratchIndex): Promise<void> {
  const indexFile = scratch.file;
  const nested = await nestedRepoExcludes(repo, indexFile);
  await gitExec(repo.root, ['add', '-A', '--', '.', ...EXCLUDED_PATHSPECS, ...nested], { indexFile });
  if (!scratch.mayTrackState) return;
  const args = ['rm', '-r', '-q', '-f', '--cached', '--ignore-unmatch', '--', ...EXCLUDED_AS_POSITIVE];
  await gitExec(repo.root, args, { indexFile });
}

/**
 * Pathspecs that keep `git add` out of nested repositories whose git dir lies in the work tree —
 * repositories the agent can create or rewrite. For a gitlink already in the index, `add` runs
 * `git status` inside that repository, with that repository's own config: its filters would run
 * on the host. (A submodule whose git dir is in `.git/modules` is the user's, read-only to the
 * agent, and stays in.) Such a repository is recorded as it was first seen, never looked into.
 */
export async function nestedRepoExcludes(repo: RepoPaths, indexFile?: string): Promise<string[]> {
  if (!(await mayHoldGitlinks(indexFile ?? repo.indexFile))) return [];
  const listing = await gitExec(repo.root, ['ls-files', '-s', '-z'], indexFile ? { indexFile } : {});
  const excludes: string[] = [];
  for (const record of listing.split('\0')) {
    if (!record.startsWith('160000 ')) continue;
    const path = record.slice(record.indexOf('\t') + 1);
    if (gitDirInWorkTree(repo, path)) excludes.push(`:(exclude,literal)${path}`);
  }
  return excludes;
}

/** A gitlink's mode (0160000) as an index entry stores it: 32 bits, big-endian, in every index version. */
const GITLINK_MODE = Buffer.from([0x00, 0x00, 0xe0, 0x00]);

/**
 * Whether an index file might hold a gitlink entry, read in-process: a change asks before each
 * `git add`, and most indexes hold none, so the listing (a git process) is skipped for them. A
 * false "maybe" (those four bytes inside a hash or a time stamp) costs the listing; a split
 * index keeps its entries in another file, so it always says maybe; no index file lists nothing.
 */
async function mayHoldGitlinks(indexFile: string): Promise<boolean> {
  let bytes: Buffer;
  try {
    bytes = await readFile(indexFile);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  return bytes.includes(GITLINK_MODE) || bytes.includes('link');
}

function gitDirInWorkTree(repo: RepoPaths, path: string): boolean {
  const dotGit = join(repo.root, path, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return true;
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (!pointer) return true;
    const target = resolve(join(repo.root, path), pointer);
    return !(target === repo.gitDir || target.startsWith(`${repo.gitDir}/`));
  } catch {
    return false; // no .git there: a gitlink with nothing checked out
  }
}
