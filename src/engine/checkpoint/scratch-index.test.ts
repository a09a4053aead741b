import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { openRepo } from './open-repo.js';
import { nestedRepoExcludes } from './scratch-index.js';

describe('nestedRepoExcludes', () => {
  const repos: TempGitRepo[] = [];
  afterEach(async () => {
    for (const repo of repos.splice(0)) await repo.cleanup();
  });

  /** A repository whose index holds a gitlink `vendor/sub` with a git dir of its own in the work tree. */
  async function withNestedRepo(indexVersion: number): Promise<TempGitRepo> {
    const repo = await createTempGitRepo({ name: 'nested', files: { 'a.txt': 'a\n' } });
    repos.push(repo);
    await mkdir(join(repo.dir, 'vendor/sub'), { recursive: true });
    await repo.git('-C', 'vendor/sub', 'init', '-q');
    const head = await repo.git('rev-parse', 'HEAD');
    await repo.git('update-index', '--add', '--cacheinfo', `160000,${head},vendor/sub`);
    await repo.git('update-index', '--index-version', String(indexVersion));
    return repo;
  }

  it('finds a gitlink whose repository is in the work tree, in index versions 2, 3 and 4', async () => {
    for (const version of [2, 3, 4]) {
      const repo = await withNestedRepo(version);
      expect(await nestedRepoExcludes(await openRepo(repo.dir))).toEqual([':(exclude,literal)vendor/sub']);
    }
  });

  it('excludes nothing for an index without gitlinks, or without an index file', async () => {
    const repo = await createTempGitRepo({ name: 'plain', files: { 'a.txt': 'a\n', 'src/link.ts': 'x\n' } });
    repos.push(repo);
    expect(await nestedRepoExcludes(await openRepo(repo.dir))).toEqual([]);
    expect(
      await nestedRepoExcludes(await openRepo(repo.dir), join(repo.dir, '.git', 'no-such-index')),
    ).toEqual([]);
  });
});
