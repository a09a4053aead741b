import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from '../../test/fixtures/temp-git-repo.js';
import { GitCommandError, gitExec, gitExecBuffer, gitExecStream } from './git-exec.js';
import { gitLauncherPid, startGitLauncher, stopGitLauncher } from './git-launcher.js';

/** A git alias that prints the process id of git's parent: who forked it. */
const PARENT_OF_GIT = ['-c', "alias.parent=!cut -d' ' -f4 /proc/$PPID/stat", 'parent'];

async function launcherReady(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const pid = gitLauncherPid();
    if (pid) return pid;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the git launcher did not become ready in 5 s');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the git launcher', () => {
  let repo: TempGitRepo;
  beforeAll(async () => {
    repo = await createTempGitRepo({ name: 'git-launcher', files: { 'a.txt': 'one\n' } });
  });
  afterAll(async () => {
    stopGitLauncher();
    await repo.cleanup();
  });
  afterEach(() => stopGitLauncher());

  it('runs git in its own process and gives back what a direct call gives', async () => {
    const direct = {
      parent: (await gitExec(repo.dir, PARENT_OF_GIT)).trim(),
      head: await gitExec(repo.dir, ['rev-parse', 'HEAD']),
      missing: await gitExec(repo.dir, ['rev-parse', '-q', '--verify', 'refs/heads/nope'], {
        allowExitCodes: [1],
      }),
    };
    expect(direct.parent).toBe(String(process.pid));

    startGitLauncher();
    const pid = await launcherReady();
    expect(pid).not.toBe(process.pid);
    expect((await gitExec(repo.dir, PARENT_OF_GIT)).trim()).toBe(String(pid));
    expect(await gitExec(repo.dir, ['rev-parse', 'HEAD'])).toBe(direct.head);
    // An allowed exit code resolves with stdout, as directly.
    expect(
      await gitExec(repo.dir, ['rev-parse', '-q', '--verify', 'refs/heads/nope'], { allowExitCodes: [1] }),
    ).toBe(direct.missing);
    // Any other exit code rejects with git's code and stderr.
    const failure = await gitExec(repo.dir, ['cat-file', 'blob', 'no-such-object']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GitCommandError);
    expect((failure as GitCommandError).exitCode).toBe(128);
    expect((failure as GitCommandError).stderr).toMatch(/no-such-object/);
    // A command that cannot start fails as directly: no exit code.
    const missing = await gitExec(join(repo.dir, 'no-such-dir'), ['status']).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GitCommandError);
    expect((missing as GitCommandError).exitCode).toBeNull();
  });

  it('passes stdin, the environment and binary output through byte for byte', async () => {
    startGitLauncher();
    await launcherReady();
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    // stdin: the blob written is the one hashed from the same bytes directly.
    const oid = (
      await gitExec(repo.dir, ['hash-object', '-w', '--stdin'], { input: bytes.toString('latin1') })
    ).trim();
    const expected = await new Promise<string>((resolve, reject) => {
      const child = execFile('git', ['hash-object', '--stdin'], { cwd: repo.dir }, (error, out) =>
        error ? reject(error) : resolve(out.trim()),
      );
      child.stdin?.end(Buffer.from(bytes.toString('latin1')));
    });
    expect(oid).toBe(expected);
    // Binary stdout.
    const binary = await gitExec(repo.dir, ['hash-object', '-w', join(repo.dir, 'a.txt')]);
    expect(await gitExecBuffer(repo.dir, ['cat-file', 'blob', binary.trim()])).toEqual(
      await readFile(join(repo.dir, 'a.txt')),
    );
    // The environment: a scratch index file is the one git reads.
    const scratch = join(repo.dir, '.git', 'launcher-scratch-index');
    await gitExec(repo.dir, ['read-tree', '--empty'], { indexFile: scratch });
    expect(await gitExec(repo.dir, ['ls-files'], { indexFile: scratch })).toBe('');
    expect(await gitExec(repo.dir, ['ls-files'])).toBe('a.txt\n');
  });

  it('streams a long listing in chunks, in order, and rejects a failing stream like a direct one', async () => {
    // 3,000 paths (~100 KB of ls-tree output: more than one pipe read) in one tree.
    const empty = (await gitExec(repo.dir, ['hash-object', '-w', '--stdin'], { input: '' })).trim();
    const lines = Array.from(
      { length: 3000 },
      (_, i) => `100644 blob ${empty}\tfile-${String(i).padStart(5, '0')}-with-a-long-name.txt`,
    );
    const tree = (await gitExec(repo.dir, ['mktree'], { input: `${lines.join('\n')}\n` })).trim();
    const listing = async () => {
      const chunks: Buffer[] = [];
      await gitExecStream(repo.dir, ['ls-tree', '-r', '--name-only', '-z', tree], (c) => chunks.push(c));
      return { chunks: chunks.length, text: Buffer.concat(chunks).toString('utf8') };
    };
    const direct = await listing();
    startGitLauncher();
    await launcherReady();
    const launched = await listing();
    expect(launched.text).toBe(direct.text);
    expect(launched.text.split('\0').filter(Boolean)).toHaveLength(3000);
    expect(launched.chunks).toBeGreaterThan(1);
    const failure = await gitExecStream(repo.dir, ['ls-tree', 'no-such-tree'], () => {}).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(GitCommandError);
    expect((failure as GitCommandError).exitCode).toBe(128);
  });

  it('fails a command in flight when the launcher dies, saying so, and spawns directly after', async () => {
    startGitLauncher();
    const pid = await launcherReady();
    const slow = gitExec(repo.dir, ['-c', 'alias.slow=!sleep 1', 'slow']).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    process.kill(pid, 'SIGKILL');
    const error = await slow;
    expect(error).toBeInstanceOf(GitCommandError);
    expect((error as Error).message).toMatch(/git launcher process exited/);
    expect((await gitExec(repo.dir, PARENT_OF_GIT)).trim()).toBe(String(process.pid));
  });

  it('does not keep Ralex alive, stays alive while a command is in flight, and exits with Ralex', async () => {
    const script = fileURLToPath(new URL('../../test/fixtures/git-launcher-script.ts', import.meta.url));
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', script, repo.dir],
        { timeout: 20_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
      );
      child.stdin?.end();
    });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const [launcherPid, parentOfGit, head] = out.stdout.trim().split('\n');
    expect(parentOfGit).toBe(launcherPid);
    expect(head).toBe(await gitExec(repo.dir, ['rev-parse', 'HEAD']).then((s) => s.trim()));
    // Its IPC channel closed with the script: the launcher is gone soon after.
    for (let i = 0; i < 100 && isRunning(Number(launcherPid)); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(isRunning(Number(launcherPid))).toBe(false);
  });
});
