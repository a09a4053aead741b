import { chmod, lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-file-atomic.js';

let dir: string;
let tmpDir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ralex-atomic-'));
  tmpDir = join(dir, '.ralex', 'state', 'tmp');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates and replaces a file, leaving no temporary file behind', async () => {
    const path = join(dir, 'a.txt');
    await writeFileAtomic(path, 'one\n', { tmpDir });
    await writeFileAtomic(path, 'two\n', { tmpDir });
    expect(await readFile(path, 'utf8')).toBe('two\n');
    expect(await readdir(tmpDir)).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['.ralex', 'a.txt']);
  });

  it('keeps an executable file executable', async () => {
    const path = join(dir, 'run.sh');
    await writeFile(path, '#!/bin/sh\n');
    await chmod(path, 0o755);
    await writeFileAtomic(path, '#!/bin/sh\necho hi\n', { tmpDir, mode: (await stat(path)).mode });
    expect((await stat(path)).mode & 0o777).toBe(0o755);
  });

  it('writes through a symlink, as a plain write does, and keeps the link', async () => {
    await writeFile(join(dir, 'real.txt'), 'old\n');
    await symlink('real.txt', join(dir, 'link.txt'));
    await writeFileAtomic(join(dir, 'link.txt'), 'new\n', { tmpDir });
    expect((await lstat(join(dir, 'link.txt'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'real.txt'), 'utf8')).toBe('new\n');
  });

  it('fails like a plain write when the folder is missing, and cleans up', async () => {
    await expect(writeFileAtomic(join(dir, 'no', 'such.txt'), 'x', { tmpDir })).rejects.toThrow(/ENOENT/);
    expect(await readdir(tmpDir)).toEqual([]);
  });
});
