import { randomBytes } from 'node:crypto';
import { chmod, mkdir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * Writes a file so that it is, at every instant, either as it was or wholly new: the content goes
 * to a temporary file in `tmpDir` (Ralex's own state folder, on the project's file system and
 * out of its file list) and is renamed over the target. A process killed mid-write then leaves
 * no half-written file that crash recovery would have to take for a user's edit, and no stray
 * temporary file among the project's files. A symlink is written through (its target replaced),
 * as a plain write would; `mode` is kept exactly. Across file systems it falls back to a plain write.
 */
export async function writeFileAtomic(
  path: string,
  content: string,
  options: { tmpDir: string; mode?: number },
): Promise<void> {
  const target = await realpath(path).catch(() => path);
  await mkdir(options.tmpDir, { recursive: true });
  const tmp = join(options.tmpDir, `${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content);
    if (options.mode !== undefined) await chmod(tmp, options.mode & 0o7777);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await writeFile(target, content);
    if (options.mode !== undefined) await chmod(target, options.mode & 0o7777);
  }
}
