import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { CHECKPOINT_REF_PREFIX, type Checkpoint } from './checkpoint.js';
import { createCheckpoint } from './create-checkpoint.js';
import { getCheckpoint } from './list-checkpoints.js';

const repos: TempGitRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
});

async function repoWithWork(): Promise<TempGitRepo> {
  const repo = await createTempGitRepo({
    name: 'ckpt-create',
    files: { 'src/a.ts': 'a1\n', 'src/b.ts': 'b1\n', '.gitignore': '*.log\n' },
  });
  repos.push(repo);
  await repo.write('src/a.ts', 'a2 staged\n');
  await repo.git('add', 'src/a.ts');
  await repo.write('src/a.ts', 'a3 modified again\n');
  await repo.write('src/b.ts', 'b2 unstaged\n');
  await repo.write('notes/new.txt', 'untracked\n');
  await repo.write('trace.log', 'ignored\n');
  await repo.write('.ralex/state/ralex.db', 'db\n');
  await symlink('src/a.ts', join(repo.dir, 'link'));
  return repo;
}

describe('createCheckpoint', () => {
  it('touches neither HEAD, the index file, the stash nor the working tree', async () => {
    const repo = await repoWithWork();
    await repo.git('stash', 'push', '-q', '-m', 'user stash', '--', 'src/b.ts');
    await repo.write('src/b.ts', 'b3 after stash\n');
    const indexFile = join(repo.dir, '.git', 'index');
    const observe = async () => ({
      head: await repo.git('rev-parse', 'HEAD'),
      branch: await repo.git('symbolic-ref', 'HEAD'),
      stash: await repo.git('stash', 'list'),
      stashTop: await repo.git('rev-parse', 'stash@{0}'),
      staged: await repo.git('diff', '--cached'),
      unstaged: await repo.git('diff'),
      indexBytes: (await readFile(indexFile)).toString('base64'),
      indexMtime: (await stat(indexFile)).mtimeMs,
      refs: await repo.git('for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/tags', 'refs/stash'),
      files: [await repo.read('src/a.ts'), await repo.read('src/b.ts'), await repo.read('notes/new.txt')],
    });
    const before = await observe();
    await createCheckpoint(repo.dir, { label: 'no side effects', id: 'c1' });
    expect(await observe()).toEqual(before);
    expect(await readdir(join(repo.dir, '.git', 'ralex'))).toEqual([]); // scratch index removed
  });

  it('records the tree, the index, HEAD and metadata in a self-describing commit', async () => {
    const repo = await repoWithWork();
    const head = await repo.git('rev-parse', 'HEAD');
    const now = () => new Date('2026-01-02T03:04:05.000Z');
    const checkpoint = await createCheckpoint(repo.dir, { label: 'fix "auth"\nplease', id: 'cp-1', now });

    expect(checkpoint).toMatchObject({
      id: 'cp-1',
      label: 'fix "auth"\nplease',
      ref: `${CHECKPOINT_REF_PREFIX}cp-1`,
      head,
      createdAt: '2026-01-02T03:04:05.000Z',
      index: { kind: 'tree' },
      fileCount: 5,
    });
    expect(await repo.git('rev-parse', checkpoint.ref)).toBe(checkpoint.commit);
    const files = (await repo.git('ls-tree', '-r', '--name-only', checkpoint.tree)).split('\n');
    expect(files.sort()).toEqual(['.gitignore', 'link', 'notes/new.txt', 'src/a.ts', 'src/b.ts']);
    expect(await repo.git('show', `${checkpoint.tree}:src/a.ts`)).toBe('a3 modified again');
    expect(await repo.git('cat-file', '-p', `${checkpoint.tree}:link`)).toBe('src/a.ts');
    expect(await repo.git('show', `${checkpoint.index.oid}:src/a.ts`)).toBe('a2 staged');
    expect(await repo.git('show', `${checkpoint.index.oid}:src/b.ts`)).toBe('b1');

    // Parents: HEAD, then a commit whose tree is the saved index (kept reachable for gc).
    const parents = (await repo.git('rev-parse', `${checkpoint.commit}^@`)).split('\n');
    expect(parents[0]).toBe(head);
    expect(await repo.git('rev-parse', `${parents[1]}^{tree}`)).toBe(checkpoint.index.oid);
    const message = await repo.git('log', '-1', '--format=%B', checkpoint.ref);
    expect(message).toContain('ralex checkpoint: fix "auth" please');
    expect(message).toContain('Ralex-Checkpoint-Id: cp-1');
    expect(await repo.git('log', '-1', '--format=%aI %an', checkpoint.ref)).toBe(
      '2026-01-02T03:04:05+00:00 Ralex',
    );

    const treeBytes = 'a3 modified again\n'.length + 'b2 unstaged\n'.length + 'untracked\n'.length;
    expect(checkpoint.treeBytes).toBe(treeBytes + '*.log\n'.length + 'src/a.ts'.length);
    expect(checkpoint.addedBytes).toBe(treeBytes + 'src/a.ts'.length); // .gitignore is unchanged
    expect(await getCheckpoint(repo.dir, 'cp-1')).toEqual(checkpoint);
  });

  it('counts files and bytes as git ls-tree does, after deletions, additions and edits', async () => {
    const repo = await repoWithWork();
    await rm(join(repo.dir, 'src/b.ts'));
    await repo.write('.gitignore', '*.log\n# longer now\n');
    await repo.write('big/new.bin', 'x'.repeat(4096));
    const expectSizesOf = async (checkpoint: Checkpoint) => {
      const listing = (await repo.git('ls-tree', '-r', '-l', checkpoint.tree)).split('\n');
      const total = listing.reduce((sum, line) => sum + Number(line.split(/\s+/)[3]), 0);
      expect(checkpoint.fileCount).toBe(listing.length);
      expect(checkpoint.treeBytes).toBe(total);
    };
    await expectSizesOf(await createCheckpoint(repo.dir, { label: 'first: lists the whole tree' }));
    // Later checkpoints start from the previous one's totals.
    await rm(join(repo.dir, 'notes/new.txt'));
    await repo.write('big/new.bin', 'y'.repeat(100));
    await repo.write('big/other.txt', 'z'.repeat(777));
    await rm(join(repo.dir, 'link'));
    await symlink('a-much-longer-target-than-before', join(repo.dir, 'link'));
    await expectSizesOf(await createCheckpoint(repo.dir, { label: 'second' }));
    await rm(join(repo.dir, 'big'), { recursive: true });
    const third = await createCheckpoint(repo.dir, { label: 'third' });
    await expectSizesOf(third);
    // Differing from HEAD: src/a.ts, .gitignore and the new symlink (src/b.ts is deleted).
    const changed = ['a3 modified again\n', '*.log\n# longer now\n', 'a-much-longer-target-than-before'];
    expect(third.addedBytes).toBe(changed.join('').length);
  });

  it('refuses a duplicate id, an unsafe id and a directory outside git', async () => {
    const repo = await repoWithWork();
    await createCheckpoint(repo.dir, { label: 'one', id: 'same' });
    await expect(createCheckpoint(repo.dir, { label: 'two', id: 'same' })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await getCheckpoint(repo.dir, 'same')).label).toBe('one');
    await expect(createCheckpoint(repo.dir, { label: 'x', id: '../heads/main' })).rejects.toMatchObject({
      code: 'bad_request',
    });
    const plain = await mkdtemp(join(tmpdir(), 'ralex-not-git-'));
    try {
      await expect(createCheckpoint(plain, { label: 'x' })).rejects.toMatchObject({
        code: 'not_a_git_repository',
      });
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  });

  it('runs in parallel and while another git process holds index.lock', async () => {
    const repo = await repoWithWork();
    const lockFile = join(repo.dir, '.git', 'index.lock');
    await writeFile(lockFile, 'held by someone else');
    const made = await Promise.all(
      ['p1', 'p2', 'p3'].map((id) => createCheckpoint(repo.dir, { label: id, id })),
    );
    expect(new Set(made.map((c) => c.tree)).size).toBe(1);
    expect(new Set(made.map((c) => c.commit)).size).toBe(3);
    expect(await readFile(lockFile, 'utf8')).toBe('held by someone else');
    await rm(lockFile);
  });

  it('generates distinct ids and works from a subdirectory', async () => {
    const repo = await repoWithWork();
    const a = await createCheckpoint(join(repo.dir, 'src'), { label: 'a' });
    const b = await createCheckpoint(repo.dir, { label: 'b' });
    expect(a.id).toMatch(/^ckpt_[a-z0-9]{12}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.tree).toBe(b.tree); // same whole tree, whichever folder we start from
  });
});
