import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { createCheckpoint } from './create-checkpoint.js';
import { diffSinceCheckpoint } from './diff-since-checkpoint.js';

const repos: TempGitRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
});

describe('diffSinceCheckpoint', () => {
  it('lists added, modified and deleted files with a unified patch, binary files not dumped', async () => {
    const repo = await createTempGitRepo({
      name: 'ckpt-diff',
      files: { 'src/a.ts': 'one\ntwo\n', 'src/gone.ts': 'bye\n', '.gitignore': '*.log\n' },
    });
    repos.push(repo);
    await writeFile(join(repo.dir, 'img.bin'), Buffer.from([0, 1, 2, 3]));
    await repo.write('draft.md', 'user draft, untracked\n');
    const checkpoint = await createCheckpoint(repo.dir, { label: 'diff' });

    await repo.write('src/a.ts', 'one\nTWO\n');
    await rm(join(repo.dir, 'src/gone.ts'));
    await repo.write('src/new dir/ü.ts', 'export {};\n');
    await writeFile(join(repo.dir, 'img.bin'), Buffer.from([0, 9, 9, 9, 0xff]));
    await repo.write('run.log', 'ignored\n');
    await repo.write('.ralex/state/db', 'state\n');
    const indexBefore = await readFile(join(repo.dir, '.git', 'index'));

    const diff = await diffSinceCheckpoint(repo.dir, checkpoint.id);

    expect(diff.files).toEqual([
      { path: 'img.bin', status: 'modified' },
      { path: 'src/a.ts', status: 'modified' },
      { path: 'src/gone.ts', status: 'deleted' },
      { path: 'src/new dir/ü.ts', status: 'added' },
    ]);
    expect(diff.patch).toContain('--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n');
    expect(diff.patch).toContain('Binary files a/img.bin and b/img.bin differ');
    expect(diff.patch).toContain('+++ b/src/new dir/ü.ts');
    expect(diff.patch).toContain('deleted file mode 100644');
    expect(diff.patch).not.toContain('run.log');
    expect(diff.patch).not.toContain('draft.md');
    expect(await readFile(join(repo.dir, '.git', 'index'))).toEqual(indexBefore);
    expect(await repo.git('status', '--porcelain')).toContain('?? "src/new dir/"'); // still untracked: nothing was staged
  });

  it('is empty right after the checkpoint', async () => {
    const repo = await createTempGitRepo({ name: 'ckpt-diff-empty', files: { 'a.txt': 'a\n' } });
    repos.push(repo);
    await repo.write('b.txt', 'untracked\n');
    const checkpoint = await createCheckpoint(repo.dir, { label: 'empty' });
    expect(await diffSinceCheckpoint(repo.dir, checkpoint.id)).toEqual({ files: [], patch: '' });
  });
});
