import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, runGit, type TempGitRepo } from '../../../test/fixtures/temp-git-repo.js';
import { createMemoryStore } from '../memory/memory-store.js';
import { MEMORY_REF, syncMemory } from './sync-memory.js';

/** A bare remote and two clones of one project: a laptop and a phone's server. */
async function twoDevices() {
  const remote = await createTempGitRepo({ name: 'remote', commit: false });
  await runGit(remote.dir, ['config', 'core.bare', 'true']);
  const seed = await createTempGitRepo({
    name: 'seed',
    files: { 'app.py': 'print(1)\n', '.gitignore': '.ralex/state/\n' },
  });
  await seed.git('remote', 'add', 'origin', join(remote.dir, '.git'));
  await seed.git('push', '-q', 'origin', 'main');
  const clone = async (name: string) => {
    const repo = await createTempGitRepo({ name, commit: false });
    await repo.git('remote', 'add', 'origin', join(remote.dir, '.git'));
    await repo.git('fetch', '-q', 'origin');
    await repo.git('checkout', '-q', '-b', 'main', 'origin/main');
    return repo;
  };
  return { remote, seed, laptop: await clone('laptop'), phone: await clone('phone') };
}

const read = (repo: TempGitRepo, path: string) => readFile(join(repo.dir, '.ralex', path), 'utf8');

describe('memory sync', () => {
  const repos: TempGitRepo[] = [];
  afterEach(async () => {
    for (const r of repos.splice(0)) await r.cleanup();
  });

  it('exchanges memory between two clones through the remote, and merges concurrent edits', async () => {
    const d = await twoDevices();
    repos.push(d.remote, d.seed, d.laptop, d.phone);
    const laptopMemory = createMemoryStore(join(d.laptop.dir, '.ralex', 'context'));
    const phoneMemory = createMemoryStore(join(d.phone.dir, '.ralex', 'context'));
    const branchBefore = await d.laptop.git('rev-parse', 'HEAD');

    await laptopMemory.remember('user_patterns', 'Prefers pytest over unittest', 'laptop');
    const first = await syncMemory(d.laptop.dir);
    expect(first).toMatchObject({ remote: 'origin', pushed: true, remoteError: null });
    expect(first.sent).toEqual(['context/user_patterns.md']);

    const got = await syncMemory(d.phone.dir);
    expect(got.received).toEqual(['context/user_patterns.md']);
    expect(await read(d.phone, 'context/user_patterns.md')).toContain('Prefers pytest over unittest');

    // Both devices learn something before syncing again.
    await phoneMemory.remember('user_patterns', 'Uses pnpm, not npm', 'phone');
    await laptopMemory.remember('user_patterns', 'Writes commit messages in the imperative', 'laptop');
    await mkdir(join(d.phone.dir, '.ralex', 'sessions'), { recursive: true });
    await writeFile(
      join(d.phone.dir, '.ralex', 'sessions', '2026-11-25-ses_phone.md'),
      '## a command said on the phone\n',
    );
    await syncMemory(d.phone.dir);
    const merged = await syncMemory(d.laptop.dir);
    expect(merged.merged).toEqual(['context/user_patterns.md']);
    expect(merged.conflicts).toEqual([]);
    expect(merged.received).toEqual(['sessions/2026-11-25-ses_phone.md']);
    const laptopText = await read(d.laptop, 'context/user_patterns.md');
    for (const s of [
      'Prefers pytest over unittest',
      'Uses pnpm, not npm',
      'Writes commit messages in the imperative',
    ])
      expect(laptopText).toContain(s);
    await syncMemory(d.phone.dir);
    expect(await read(d.phone, 'context/user_patterns.md')).toBe(laptopText);

    // Memory lives on its own ref: the branch, its history and the working tree's files are untouched.
    expect(await d.laptop.git('rev-parse', 'HEAD')).toBe(branchBefore);
    expect(await d.laptop.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    expect(await runGit(d.remote.dir, ['rev-parse', MEMORY_REF])).toBe(
      await d.laptop.git('rev-parse', MEMORY_REF),
    );
    expect(await runGit(d.remote.dir, ['for-each-ref', '--format=%(refname)', 'refs/heads'])).toBe(
      'refs/heads/main',
    );
  });

  it('keeps both versions side by side, flagged, when both devices changed the same line', async () => {
    const d = await twoDevices();
    repos.push(d.remote, d.seed, d.laptop, d.phone);
    const file = 'context/project_understanding.md';
    await mkdir(join(d.laptop.dir, '.ralex', 'context'), { recursive: true });
    await writeFile(join(d.laptop.dir, '.ralex', file), '# Project understanding\n\n- tests: `make test`\n');
    await syncMemory(d.laptop.dir);
    await syncMemory(d.phone.dir);
    await writeFile(join(d.laptop.dir, '.ralex', file), '# Project understanding\n\n- tests: `npm test`\n');
    await writeFile(join(d.phone.dir, '.ralex', file), '# Project understanding\n\n- tests: `pytest -q`\n');
    await syncMemory(d.phone.dir);
    const r = await syncMemory(d.laptop.dir);
    expect(r.conflicts).toEqual([file]);
    const text = await read(d.laptop, file);
    expect(text).toMatch(/^<!-- ralex: SYNC CONFLICT/);
    expect(text).toContain('- tests: `npm test`');
    expect(text).toContain('- tests: `pytest -q`');
    expect(text).toMatch(/<{7} this device[\s\S]*={7}[\s\S]*>{7} other device/);
  });

  it('never sends a credential from a session log, and works without a remote', async () => {
    const repo = await createTempGitRepo({ name: 'alone' });
    repos.push(repo);
    await mkdir(join(repo.dir, '.ralex', 'sessions'), { recursive: true });
    await writeFile(
      join(repo.dir, '.ralex', 'sessions', 's.md'),
      '## run\n\n> set OPENAI_API_KEY=sk-live-abcdefghijklmnopqrstuv and go\n\nDone.\n',
    );
    const r = await syncMemory(repo.dir);
    expect(r).toMatchObject({ remote: null, pushed: false });
    expect(r.commit).toMatch(/^[0-9a-f]{40}$/);
    const synced = await repo.git('show', `${MEMORY_REF}:sessions/s.md`);
    expect(synced).not.toContain('sk-live');
    expect(synced).toContain('withheld from sync');
    // The local log is left as it was.
    expect(await read(repo, 'sessions/s.md')).toContain('sk-live');
    // Nothing changed: a second sync makes no commit.
    expect((await syncMemory(repo.dir)).commit).toBeNull();
  });
});
