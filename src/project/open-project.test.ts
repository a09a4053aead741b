import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../test/fixtures/temp-git-repo.js';
import { findProject, requireGitProject } from './open-project.js';
import { protectRalexState } from './protect-ralex-state.js';

const repos: TempGitRepo[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function repo(): Promise<TempGitRepo> {
  const r = await createTempGitRepo({ files: { 'src/app.py': 'x = 1\n' } });
  repos.push(r);
  return r;
}

describe('findProject', () => {
  it('finds the top of the work tree and its exclude file from a subdirectory, in one answer', async () => {
    const r = await repo();
    const info = await findProject(join(r.dir, 'src'));
    expect(info.isGitRepo).toBe(true);
    expect(realpathSync(info.root)).toBe(realpathSync(r.dir));
    expect(info.excludeFile).toBe(join(realpathSync(r.dir), '.git/info/exclude'));
  });

  it("gives a linked worktree the main repository's exclude file, as git itself reads it", async () => {
    const r = await repo();
    const wt = join(mkdtempSync(join(tmpdir(), 'ralex-open-project-wt-')), 'wt');
    dirs.push(join(wt, '..'));
    await r.git('worktree', 'add', '-q', wt);
    const info = await findProject(wt);
    expect(realpathSync(info.root)).toBe(realpathSync(wt));
    expect(realpathSync(info.excludeFile!)).toBe(realpathSync(join(r.dir, '.git/info/exclude')));

    // protectRalexState writes Ralex's lines there, and git then ignores .ralex/ in the worktree.
    await protectRalexState(info.root, info.excludeFile);
    expect(readFileSync(info.excludeFile!, 'utf8')).toContain('/.ralex/');
    await mkdir(join(wt, '.ralex/state'), { recursive: true });
    writeFileSync(join(wt, '.ralex/state/token'), 'secret\n');
    expect(
      execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: wt }).toString(),
    ).toBe('');
  });

  it('says a plain directory is not a repository, and requireGitProject explains the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ralex-open-project-plain-'));
    dirs.push(dir);
    const info = await findProject(dir);
    expect(info).toEqual({ root: dir, isGitRepo: false });
    await expect(requireGitProject(dir)).rejects.toThrow(/is not a git repository/);
  });
});
