import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileIndex } from './file-index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempProject(files: Record<string, string>, git: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'ralex-file-index-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  if (git) {
    const run = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
    run('init', '-q');
    run('add', 'src', '.gitignore');
    run('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'init');
  }
  return root;
}

const PROJECT = {
  '.gitignore': 'node_modules/\n*.log\n',
  'src/app.ts': '',
  'src/user_auth.py': '',
  'src/with space ü.md': '',
  'notes/untracked.txt': '',
  'debug.log': '',
  'node_modules/pkg/index.js': '',
};

describe('createFileIndex', () => {
  it('lists tracked and untracked files, not ignored ones, as sorted POSIX paths', async () => {
    const root = tempProject(PROJECT, true);
    expect(await createFileIndex(root).list()).toEqual([
      '.gitignore',
      'notes/untracked.txt',
      'src/app.ts',
      'src/user_auth.py',
      'src/with space ü.md',
    ]);
  });

  it('serves the cached list within the TTL and reads again after invalidate() or expiry', async () => {
    const root = tempProject(PROJECT, true);
    let clock = 0;
    const index = createFileIndex(root, { ttlMs: 1000, now: () => clock });
    const first = await index.list();
    expect(await index.list()).toBe(first);
    index.invalidate();
    expect(await index.list(), 'an unchanged listing is the same array').toBe(first);
    writeFileSync(join(root, 'src/new.ts'), '');
    clock = 500;
    expect(await index.list()).toBe(first);
    index.invalidate();
    expect(await index.list()).toContain('src/new.ts');
    writeFileSync(join(root, 'src/newer.ts'), '');
    clock = 600;
    expect(await index.list()).not.toContain('src/newer.ts');
    clock = 2000;
    expect(await index.list()).toContain('src/newer.ts');
  });

  it('leaves out tracked files deleted from the working tree', async () => {
    const root = tempProject(PROJECT, true);
    rmSync(join(root, 'src/app.ts'));
    const files = await createFileIndex(root).list();
    expect(files).not.toContain('src/app.ts');
    expect(files).toContain('src/user_auth.py');
  });

  it('walks the folder when it is not a git repository, skipping node_modules and .git', async () => {
    const root = tempProject({ ...PROJECT, '.git/config': '' }, false);
    expect(await createFileIndex(root).list()).toEqual([
      '.gitignore',
      'debug.log',
      'notes/untracked.txt',
      'src/app.ts',
      'src/user_auth.py',
      'src/with space ü.md',
    ]);
  });

  it('lists every file git lists, whatever maxFiles says; maxFiles bounds only the walk outside git', async () => {
    const many: Record<string, string> = { '.gitignore': '' };
    for (let i = 0; i < 30; i++) many[`src/f${i}.ts`] = '';
    expect(await createFileIndex(tempProject(many, true), { maxFiles: 10 }).list()).toHaveLength(31);
    expect(await createFileIndex(tempProject(many, false), { maxFiles: 10 }).list()).toHaveLength(10);
  });

  it('gives an empty list for a missing folder', async () => {
    expect(await createFileIndex(join(tmpdir(), 'ralex-no-such-dir-x9')).list()).toEqual([]);
  });
});
