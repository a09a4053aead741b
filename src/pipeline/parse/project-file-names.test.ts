import { readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, runGit, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { createFileIndex } from '../../project/file-index.js';
import { openProjectFileNames, type ProjectFileNames } from './project-file-names.js';

let repo: TempGitRepo | undefined;
let names: ProjectFileNames | undefined;
afterEach(async () => {
  names?.close();
  names = undefined;
  await repo?.cleanup();
  repo = undefined;
});

/** Moves every mtime of the work tree and git's index an hour back, as if nothing had changed lately. */
function settle(root: string): void {
  const old = new Date(Date.now() - 3_600_000);
  const walk = (dir: string) => {
    utimesSync(dir, old, old);
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git' && dir === root) continue;
      if (e.isDirectory()) walk(join(dir, e.name));
      else utimesSync(join(dir, e.name), old, old);
    }
  };
  walk(root);
  for (const f of ['index', 'info/exclude']) utimesSync(join(root, '.git', f), old, old);
}

async function open(files: Record<string, string>) {
  repo = await createTempGitRepo({ files: { '.gitignore': '.ralex/\n', ...files } });
  const env = { HOME: join(repo.dir, '.no-home') };
  names = openProjectFileNames({
    root: repo.dir,
    stateDir: join(repo.dir, '.ralex', 'state'),
    files: createFileIndex(repo.dir),
    env,
  });
  const lookup = async (key: string) => (await names!.matcher()).exact([key]).map((m) => m.path);
  return { repo, names, lookup };
}

describe('openProjectFileNames', () => {
  it('uses the stored names while nothing changed, and lists again when the project does', async () => {
    const { repo, names, lookup } = await open({ 'src/user_auth.py': 'x\n', 'src/app.ts': 'y\n' });
    expect(await lookup('userauth.py')).toEqual(['src/user_auth.py']);
    expect(names.last?.listed).toBe(true);
    settle(repo.dir);
    // Settled stamps need one more listing (the first was taken while the files were new).
    await lookup('app.ts');
    await lookup('app.ts');
    expect(names.last).toEqual({ listed: false, added: 0, removed: 0 });

    // An untracked file in an existing folder: the folder's mtime tells.
    await repo.write('src/new_thing.ts', 'z\n');
    expect(await lookup('newthing.ts')).toEqual(['src/new_thing.ts']);
    expect(names.last).toMatchObject({ listed: true, added: 1 });

    // A deleted file (not staged): gone from the names.
    rmSync(join(repo.dir, 'src/app.ts'));
    expect(await lookup('app.ts')).toEqual([]);
    expect(names.last).toMatchObject({ listed: true, removed: 1 });
  });

  it('sees a new folder, a .gitignore edit in place, and a change staged in git’s index', async () => {
    const { repo, lookup } = await open({ 'src/a.ts': 'a\n', 'lib/b.ts': 'b\n' });
    await lookup('a.ts');
    await repo.write('deep/er/c.ts', 'c\n');
    expect(await lookup('c.ts')).toEqual(['deep/er/c.ts']);

    settle(repo.dir);
    await lookup('a.ts');
    // Ignoring a folder by editing .gitignore in place (its own mtime changes, its folder's need not).
    await repo.write('.gitignore', '.ralex/\ndeep/\n');
    expect(await lookup('c.ts')).toEqual([]);

    settle(repo.dir);
    await lookup('a.ts');
    // A rename through git: the index and the folder change.
    await runGit(repo.dir, ['mv', 'lib/b.ts', 'lib/renamed.ts']);
    expect(await lookup('renamed.ts')).toEqual(['lib/renamed.ts']);
    expect(await lookup('b.ts')).toEqual([]);
  });
});
