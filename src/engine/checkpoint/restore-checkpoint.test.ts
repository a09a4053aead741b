import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { RalexError } from '../../errors.js';
import { createCheckpoint } from './create-checkpoint.js';
import { restoreCheckpoint } from './restore-checkpoint.js';

const sh = promisify(execFile);
const repos: TempGitRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
});

/** Every path under `dir` except `.git`, with its kind, exec bit, symlink target or content hash. */
async function snapshotFiles(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(join(dir, prefix))) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (rel === '.git') continue;
    const full = join(dir, rel);
    const info = await lstat(full);
    if (info.isSymbolicLink()) out[rel] = `link -> ${await readlink(full)}`;
    else if (info.isDirectory()) Object.assign(out, await snapshotFiles(dir, rel));
    else {
      const hash = createHash('sha256')
        .update(await readFile(full))
        .digest('hex');
      out[rel] = `file ${info.mode & 0o111 ? 'x' : '-'} ${hash}`;
    }
  }
  return out;
}

/** What git says about HEAD, the index and the stash, binary-safe. */
async function gitState(repo: TempGitRepo): Promise<Record<string, string>> {
  return {
    head: await repo.git('rev-parse', '-q', '--verify', 'HEAD').catch(() => 'none'),
    branch: await repo.git('symbolic-ref', '-q', 'HEAD').catch(() => 'detached'),
    stash: await repo.git('stash', 'list'),
    index: await repo.git('ls-files', '-s', '-z'),
    staged: await repo.git('diff', '--cached', '--binary'),
    status: await repo.git('status', '--porcelain=v1', '-z', '--untracked-files=all'),
  };
}

const BINARY = Buffer.from([0, 1, 2, 255, 254, 0, 10, 13, 0x89, 0x50, 0x4e, 0x47]);

/** A repository with every kind of uncommitted work a user may have when a command starts. */
async function dirtyRepo(): Promise<TempGitRepo> {
  const repo = await createTempGitRepo({
    name: 'ckpt',
    files: {
      'src/app.ts': 'export const app = 1;\n',
      'src/util.ts': 'export const util = 1;\n',
      'README.md': '# project\n',
      'bin/run.sh': 'echo run\n',
      'docs/old.md': 'old doc\n',
      '.gitignore': '*.log\nbuild/\n',
    },
  });
  repos.push(repo);
  const d = repo.dir;
  await writeFile(join(d, 'data.bin'), BINARY);
  await repo.commitAll('add binary');
  await repo.write('README.md', '# project, staged\n'); // staged
  await repo.git('add', 'README.md');
  await repo.write('src/util.ts', 'export const util = 2; // staged\n'); // staged, then modified again
  await repo.git('add', 'src/util.ts');
  await repo.write('src/util.ts', 'export const util = 3; // modified after staging\n');
  await repo.write('src/app.ts', 'export const app = 2; // unstaged\n'); // unstaged
  await rm(join(d, 'docs/old.md')); // deleted, not staged
  await chmod(join(d, 'bin/run.sh'), 0o755); // mode change
  await writeFile(join(d, 'data.bin'), Buffer.concat([BINARY, BINARY])); // binary change
  await repo.write('notes/deep/er/todo.txt', 'untracked in new nested dirs\n');
  await repo.write('dir with space/ünïcödé file.txt', 'spaces and unicode\n');
  await repo.write('new\nline.txt', 'a newline in the name\n');
  await symlink('README.md', join(d, 'link-to-readme'));
  await symlink('../outside-target', join(d, 'link-outside'));
  await repo.write('debug.log', 'ignored log\n'); // ignored
  await repo.write('build/out.js', 'ignored build output\n');
  await repo.write('.ralex/state/ralex.db', 'state v1\n'); // Ralex's own state, not ignored
  await repo.write('.ralex/context/memory.md', 'memory v1\n');
  await repo.write('.ralex/sessions/s1.md', 'log v1\n');
  return repo;
}

describe('restoreCheckpoint', () => {
  it('brings back the exact tree and index after changes made by a shell command', async () => {
    const repo = await dirtyRepo();
    const filesBefore = await snapshotFiles(repo.dir);
    const gitBefore = await gitState(repo);

    const checkpoint = await createCheckpoint(repo.dir, { label: 'fix the test' });

    const agent = [
      'rm -rf src docs "dir with space" link-to-readme',
      'echo x > new.txt',
      'mkdir -p a/b/c && echo y > a/b/c/d.txt',
      'chmod -x bin/run.sh',
      'echo notadir > src', // a file where a folder was
      'rm README.md && mkdir -p README.md/inner && echo i > README.md/inner/f', // a folder where a file was
      'printf "\\000\\001" > data.bin',
      'ln -sf src/app.ts link-outside',
      'mkdir notes/deep/er/more && echo z > notes/deep/er/more/z.txt',
      'git add -A',
      'echo "state v2" > .ralex/state/ralex.db',
      'echo "memory v2" > .ralex/context/memory.md && echo "log v2" > .ralex/sessions/s1.md',
      'echo "new ignored" > build/new.js',
    ].join(' && ');
    await sh('sh', ['-c', agent], { cwd: repo.dir });

    const result = await restoreCheckpoint(repo.dir, checkpoint.id);

    const now = await snapshotFiles(repo.dir);
    const ralexBookkeeping = ['.ralex/state/ralex.db', '.ralex/context/memory.md', '.ralex/sessions/s1.md'];
    const expected: Record<string, string | undefined> = {
      ...filesBefore,
      'build/new.js': now['build/new.js'],
    };
    for (const path of ralexBookkeeping) expected[path] = now[path];
    expect(await snapshotFiles(repo.dir)).toEqual(expected);
    await expect(lstat(join(repo.dir, 'a'))).rejects.toThrow(); // folders emptied by the restore go too
    expect(await repo.read('.ralex/state/ralex.db')).toBe('state v2\n');
    expect(await repo.read('.ralex/context/memory.md')).toBe('memory v2\n');
    expect(await repo.read('.ralex/sessions/s1.md')).toBe('log v2\n');
    expect(await repo.read('debug.log')).toBe('ignored log\n');
    expect(await gitState(repo)).toEqual(gitBefore);
    expect(await repo.git('show', ':src/util.ts')).toBe('export const util = 2; // staged');
    const byPath = Object.fromEntries(result.reverted.map((c) => [c.path, c.status]));
    expect(byPath).toMatchObject({
      'src/app.ts': 'deleted',
      'new.txt': 'added',
      'a/b/c/d.txt': 'added',
      'README.md': 'deleted',
      'README.md/inner/f': 'added',
      src: 'added',
      'bin/run.sh': 'modified',
      'link-outside': 'modified',
      'dir with space/ünïcödé file.txt': 'deleted',
    });
    expect(result.reverted.some((c) => c.path.startsWith('.ralex/'))).toBe(false);
  });

  it('keeps the user work byte-for-byte through create, an edit and restore, and restores twice', async () => {
    const repo = await dirtyRepo();
    const before = await snapshotFiles(repo.dir);
    const statDirty = await repo.git('diff-files', '--name-only'); // no refresh: stale stat data shows here
    const checkpoint = await createCheckpoint(repo.dir, { label: 'twice' });
    await repo.write('src/app.ts', 'agent edit\n');
    await repo.write('src/util.ts', 'agent edit\n');
    await restoreCheckpoint(repo.dir, checkpoint.id);
    expect(await snapshotFiles(repo.dir)).toEqual(before);
    expect(await repo.git('diff-files', '--name-only')).toBe(statDirty); // the restored index is fresh
    await rm(join(repo.dir, 'notes'), { recursive: true });
    const again = await restoreCheckpoint(repo.dir, checkpoint.id);
    expect(again.reverted).toEqual([{ path: 'notes/deep/er/todo.txt', status: 'deleted' }]);
    expect(await snapshotFiles(repo.dir)).toEqual(before);
    const noop = await restoreCheckpoint(repo.dir, checkpoint.id);
    expect(noop.reverted).toEqual([]);
  });

  it('restores a repository with no commits, staged files included, without creating HEAD', async () => {
    const repo = await createTempGitRepo({ name: 'ckpt-empty', commit: false });
    repos.push(repo);
    await repo.write('a.txt', 'staged\n');
    await repo.git('add', 'a.txt');
    await repo.write('b/c.txt', 'untracked\n');
    const before = { files: await snapshotFiles(repo.dir), git: await gitState(repo) };
    const checkpoint = await createCheckpoint(repo.dir, { label: 'first' });
    expect(checkpoint.head).toBeNull();
    await sh('sh', ['-c', 'rm -rf b a.txt && echo n > n.txt && git add n.txt'], { cwd: repo.dir });
    await restoreCheckpoint(repo.dir, checkpoint.id);
    expect({ files: await snapshotFiles(repo.dir), git: await gitState(repo) }).toEqual(before);
    expect(before.git.head).toBe('none');
  });

  it('works on a detached HEAD and leaves HEAD where the agent put it', async () => {
    const repo = await createTempGitRepo({ name: 'ckpt-detached', files: { 'a.txt': 'one\n' } });
    repos.push(repo);
    await repo.write('a.txt', 'two\n');
    const second = await repo.commitAll('second');
    await repo.git('checkout', '-q', '--detach', 'HEAD~1');
    await repo.write('a.txt', 'dirty\n');
    const before = await snapshotFiles(repo.dir);
    const checkpoint = await createCheckpoint(repo.dir, { label: 'detached' });
    expect(checkpoint.head).toBe(await repo.git('rev-parse', 'HEAD'));
    await repo.git('checkout', '-q', '-f', second); // the agent moved HEAD
    await restoreCheckpoint(repo.dir, checkpoint.id);
    expect(await repo.git('rev-parse', 'HEAD')).toBe(second);
    expect(await snapshotFiles(repo.dir)).toEqual(before);
  });

  it('puts back an index with unresolved merge conflicts', async () => {
    const repo = await createTempGitRepo({ name: 'ckpt-merge', files: { 'f.txt': 'base\n' } });
    repos.push(repo);
    await repo.git('checkout', '-q', '-b', 'other');
    await repo.write('f.txt', 'other\n');
    await repo.commitAll('other');
    await repo.git('checkout', '-q', 'main');
    await repo.write('f.txt', 'main\n');
    await repo.commitAll('main');
    await expect(repo.git('merge', '-q', 'other')).rejects.toThrow();
    const unmerged = await repo.git('ls-files', '-u');
    expect(unmerged.split('\n')).toHaveLength(3);
    const before = await snapshotFiles(repo.dir);
    const checkpoint = await createCheckpoint(repo.dir, { label: 'resolve conflicts' });
    expect(checkpoint.index.kind).toBe('file');
    await repo.write('f.txt', 'resolved\n');
    await repo.git('add', 'f.txt');
    await restoreCheckpoint(repo.dir, checkpoint.id);
    expect(await repo.git('ls-files', '-u')).toBe(unmerged);
    expect(await snapshotFiles(repo.dir)).toEqual(before);
  });

  it('never deletes a file the checkpoint ignored, even after it was un-ignored or force-added', async () => {
    const repo = await createTempGitRepo({
      name: 'ckpt-ignore',
      files: { '.gitignore': '*.log\n', 'sub/.gitignore': 'cache/\n', 'a.txt': 'a\n' },
    });
    repos.push(repo);
    await repo.write('old.log', 'the user log, never captured\n');
    await repo.write('sub/cache/blob', 'user cache\n');
    await repo.write('forced.log', 'another user log\n');
    const checkpoint = await createCheckpoint(repo.dir, { label: 'ignore rules' });
    const agent = [
      'printf "" > .gitignore', // un-ignore *.log
      'rm sub/.gitignore', // un-ignore cache/
      'echo agent > made.txt',
      'git add -A',
      'git add -f forced.log',
    ].join(' && ');
    await sh('sh', ['-c', agent], { cwd: repo.dir });
    expect(await repo.git('ls-files', 'old.log', 'sub/cache/blob', 'forced.log')).toBe(
      'forced.log\nold.log\nsub/cache/blob',
    );

    const result = await restoreCheckpoint(repo.dir, checkpoint.id);

    expect(await repo.read('old.log')).toBe('the user log, never captured\n');
    expect(await repo.read('sub/cache/blob')).toBe('user cache\n');
    expect(await repo.read('forced.log')).toBe('another user log\n');
    expect(await repo.read('.gitignore')).toBe('*.log\n');
    expect(await repo.read('sub/.gitignore')).toBe('cache/\n');
    await expect(repo.read('made.txt')).rejects.toThrow();
    expect(await repo.git('status', '--porcelain')).toBe('');
    expect(result.reverted.map((c) => c.path).sort()).toEqual(['.gitignore', 'made.txt', 'sub/.gitignore']);
  });

  it('refuses while another git process holds index.lock, and changes nothing', async () => {
    const repo = await dirtyRepo();
    const checkpoint = await createCheckpoint(repo.dir, { label: 'locked' });
    await repo.write('src/app.ts', 'agent\n');
    const lockFile = join(repo.dir, '.git', 'index.lock');
    await writeFile(lockFile, '');
    const error = await restoreCheckpoint(repo.dir, checkpoint.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RalexError);
    expect((error as RalexError).code).toBe('conflict');
    expect(await repo.read('src/app.ts')).toBe('agent\n');
    await rm(lockFile);
  });

  it('recovers from a Ralex process killed (-9) while it held index.lock', async () => {
    const repo = await dirtyRepo();
    const before = await snapshotFiles(repo.dir);
    const checkpoint = await createCheckpoint(repo.dir, { label: 'crash' });
    await repo.write('src/app.ts', 'half-applied edit\n');
    const script = join(repo.dir, '.git', 'hold-lock.mjs');
    const lockModule = new URL('./index-lock.ts', import.meta.url).href;
    const openModule = new URL('./open-repo.ts', import.meta.url).href;
    await writeFile(
      script,
      `const { lockIndex } = await import(${JSON.stringify(lockModule)});
       const { openRepo } = await import(${JSON.stringify(openModule)});
       await lockIndex(await openRepo(${JSON.stringify(repo.dir)}));
       console.log('locked');
       setInterval(() => {}, 1000);`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(await readFile(join(repo.dir, '.git', 'index.lock'), 'utf8')).toContain(`pid ${child.pid}`);

    await restoreCheckpoint(repo.dir, checkpoint.id);
    expect(await snapshotFiles(repo.dir)).toEqual(before);
    await expect(lstat(join(repo.dir, '.git', 'index.lock'))).rejects.toThrow();
    await repo.git('status'); // git works again
  });

  it('throws not_found for an unknown checkpoint', async () => {
    const repo = await createTempGitRepo({ name: 'ckpt-missing' });
    repos.push(repo);
    await mkdir(join(repo.dir, 'x'));
    await expect(restoreCheckpoint(repo.dir, 'nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});
