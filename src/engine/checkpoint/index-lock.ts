import { open, rename, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { RalexError } from '../../errors.js';
import type { RepoPaths } from './open-repo.js';

/** The user's index, locked the way git locks it (`index.lock`), so no git command writes it meanwhile. */
export interface IndexLock {
  /** Replaces the user's index with `file` (moved, not copied) and releases the lock. */
  installFrom(file: string): Promise<void>;
  /** Replaces the user's index with these bytes and releases the lock. */
  installBytes(bytes: Buffer): Promise<void>;
  /** Releases the lock without changing the index; safe after an install. */
  release(): Promise<void>;
}

/** Takes `index.lock`, retrying briefly while another git process holds it; then throws `conflict`. */
export async function lockIndex(repo: RepoPaths, waitMs = 2_000): Promise<IndexLock> {
  const lockFile = `${repo.indexFile}.lock`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await (await open(lockFile, 'wx')).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() >= deadline) {
        throw new RalexError('conflict', 'Another git process is using the index (index.lock exists).', {
          details: { lockFile },
          hint: 'Wait for it to finish; if no git process is running, delete .git/index.lock.',
        });
      }
      await sleep(50);
    }
  }
  let held = true;
  const commit = async () => {
    await rename(lockFile, repo.indexFile);
    held = false;
  };
  return {
    async installFrom(file) {
      await rename(file, lockFile);
      await commit();
    },
    async installBytes(bytes) {
      await writeFile(lockFile, bytes);
      await commit();
    },
    async release() {
      if (held) await rm(lockFile, { force: true });
      held = false;
    },
  };
}
