import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

/** What our lock file says until it is replaced, so a lock left by a killed Ralex can be recognised. */
const MARKER = 'ralex checkpoint restore, pid ';

/**
 * Takes `index.lock`, retrying briefly while another git process holds it; then throws `conflict`.
 * A lock left behind by a Ralex process that no longer exists (kill -9 mid-restore) is removed.
 */
export async function lockIndex(repo: RepoPaths, waitMs = 2_000): Promise<IndexLock> {
  const lockFile = `${repo.indexFile}.lock`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(`${MARKER}${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await removeIfOrphaned(lockFile)) continue;
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

async function removeIfOrphaned(lockFile: string): Promise<boolean> {
  const content = await readFile(lockFile, 'utf8').catch(() => '');
  if (!content.startsWith(MARKER)) return false;
  const pid = Number(content.slice(MARKER.length).trim());
  if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) return false;
  await rm(lockFile, { force: true });
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
