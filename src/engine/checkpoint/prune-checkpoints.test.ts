import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { checkpointStats } from './checkpoint-stats.js';
import { createCheckpoint } from './create-checkpoint.js';
import { deleteCheckpoint } from './delete-checkpoint.js';
import { listCheckpoints } from './list-checkpoints.js';
import { pruneCheckpoints } from './prune-checkpoints.js';

const repos: TempGitRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
});

const day = (n: number) => () => new Date(Date.UTC(2026, 0, 1 + n));

/** Five checkpoints on days 0..4, each with a 1,000-byte file differing from HEAD. */
async function repoWithCheckpoints(): Promise<TempGitRepo> {
  const repo = await createTempGitRepo({ name: 'ckpt-prune', files: { 'a.txt': 'a\n' } });
  repos.push(repo);
  for (let n = 0; n < 5; n++) {
    await repo.write('big.txt', String(n).repeat(1000));
    await createCheckpoint(repo.dir, { label: `day ${n}`, id: `d${n}`, now: day(n) });
  }
  return repo;
}

const ids = async (dir: string) => (await listCheckpoints(dir)).map((c) => c.id);

describe('retention', () => {
  it('lists newest first and reports stats for `ralex status`', async () => {
    const repo = await repoWithCheckpoints();
    expect(await ids(repo.dir)).toEqual(['d4', 'd3', 'd2', 'd1', 'd0']);
    expect(await checkpointStats(repo.dir)).toEqual({
      count: 5,
      oldest: '2026-01-01T00:00:00.000Z',
      newest: '2026-01-05T00:00:00.000Z',
      approxBytes: 5000,
    });
  });

  it('deletes beyond the count, age and size limits, oldest first, never a kept id', async () => {
    const repo = await repoWithCheckpoints();
    const byCount = await pruneCheckpoints(repo.dir, { maxCount: 4, now: day(5) });
    expect(byCount.deleted.map((c) => c.id)).toEqual(['d0']);
    const byAge = await pruneCheckpoints(repo.dir, { maxAgeDays: 2.5, now: day(5) });
    expect(byAge.deleted.map((c) => c.id)).toEqual(['d2', 'd1']);
    const bySize = await pruneCheckpoints(repo.dir, { maxTotalBytes: 1500, keep: ['d3'], now: day(5) });
    expect(bySize.deleted).toEqual([]);
    expect(bySize.kept.map((c) => c.id)).toEqual(['d4', 'd3']);
    const bySize2 = await pruneCheckpoints(repo.dir, { maxTotalBytes: 1500, now: day(5) });
    expect(bySize2.deleted.map((c) => c.id)).toEqual(['d3']);
    expect(await ids(repo.dir)).toEqual(['d4']);
    expect(await repo.git('for-each-ref', '--format=%(refname)', 'refs/ralex')).toBe(
      'refs/ralex/checkpoints/d4',
    );
  });

  it('keeps everything within the documented defaults', async () => {
    const repo = await repoWithCheckpoints();
    const result = await pruneCheckpoints(repo.dir, { now: day(6) });
    expect(result.deleted).toEqual([]);
    const old = await pruneCheckpoints(repo.dir, { now: day(4 + 15) });
    expect(old.deleted).toHaveLength(5);
  });

  it('lets git gc reclaim the objects of a deleted checkpoint', async () => {
    const repo = await repoWithCheckpoints();
    const [newest] = await listCheckpoints(repo.dir);
    const blob = await repo.git('rev-parse', `${newest!.tree}:big.txt`);
    await deleteCheckpoint(repo.dir, 'd4');
    await expect(deleteCheckpoint(repo.dir, 'd4')).rejects.toMatchObject({ code: 'not_found' });
    await repo.git('gc', '-q', '--prune=now');
    await expect(repo.git('cat-file', '-e', newest!.commit)).rejects.toThrow();
    await expect(repo.git('cat-file', '-e', blob)).rejects.toThrow();
    expect(await ids(repo.dir)).toEqual(['d3', 'd2', 'd1', 'd0']);
  });

  it('removes scratch files a killed process left in .git/ralex, not fresh ones', async () => {
    const repo = await repoWithCheckpoints();
    const dir = join(repo.dir, '.git', 'ralex');
    await writeFile(join(dir, 'index-1-dead'), 'x');
    await mkdir(join(dir, 'rules-1-dead'));
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(join(dir, 'index-1-dead'), twoHoursAgo, twoHoursAgo);
    await utimes(join(dir, 'rules-1-dead'), twoHoursAgo, twoHoursAgo);
    await writeFile(join(dir, 'index-2-live'), 'x');
    await pruneCheckpoints(repo.dir);
    expect(await readdir(dir)).toEqual(['index-2-live']);
  });

  it('skips refs under the prefix that are not checkpoints', async () => {
    const repo = await repoWithCheckpoints();
    await repo.git('update-ref', 'refs/ralex/checkpoints/foreign', 'HEAD');
    expect(await ids(repo.dir)).toHaveLength(5);
    await pruneCheckpoints(repo.dir, { maxCount: 1, now: day(5) });
    expect(await repo.git('rev-parse', 'refs/ralex/checkpoints/foreign')).toBe(
      await repo.git('rev-parse', 'HEAD'),
    );
  });
});
