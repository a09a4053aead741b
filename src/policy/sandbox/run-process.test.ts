import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RalexError } from '../../errors.js';
import { isProcessAlive } from './process-tree.js';
import { runProcess } from './run-process.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ralex-run-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A sleep duration no other process on the machine uses, so /proc can be searched for it. */
const uniqueSleep = () =>
  `${1000 + Math.floor(Math.random() * 1000)}.${process.pid}${Math.floor(Math.random() * 1e6)}`;

/** Pids of live processes whose command line contains `token`. */
const livePidsWith = (token: string): number[] =>
  readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(token) && isProcessAlive(pid);
      } catch {
        return false;
      }
    });

const pidsIn = (file: string): number[] => readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);

describe('runProcess: results', () => {
  it('returns exit code, stdout, stderr and interleaved output of a failing command without throwing', async () => {
    const r = await runProcess({ command: 'echo out; echo err >&2; exit 3', cwd: dir, timeoutMs: 10_000 });
    expect(r).toMatchObject({
      exitCode: 3,
      signal: null,
      stdout: 'out\n',
      stderr: 'err\n',
      timedOut: false,
      cancelled: false,
      sandboxed: false,
    });
    expect(r.output).toContain('out\n');
    expect(r.output).toContain('err\n');
    expect(r.durationMs).toBeGreaterThan(0);
  });

  it('reports a missing program as exit 127, not as an exception', async () => {
    const r = await runProcess({ command: 'no-such-program-ralex', cwd: dir, timeoutMs: 10_000 });
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toContain('not found');
  });

  it('runs in cwd and streams output to onOutput', async () => {
    const chunks: string[] = [];
    const r = await runProcess({
      command: 'pwd; echo second >&2',
      cwd: dir,
      timeoutMs: 10_000,
      onOutput: (chunk, stream) => chunks.push(`${stream}:${chunk}`),
    });
    expect(r.stdout.trim()).toBe(dir);
    expect(chunks.join('')).toContain(`stdout:${dir}`);
    expect(chunks.join('')).toContain('stderr:second');
  });

  it('throws RalexError not_found for a missing cwd', async () => {
    const run = runProcess({ command: 'true', cwd: join(dir, 'missing'), timeoutMs: 1000 });
    await expect(run).rejects.toBeInstanceOf(RalexError);
    await expect(run).rejects.toMatchObject({ code: 'not_found' });
  });

  it('caps a chatty command, keeping head and tail around a marker', async () => {
    const r = await runProcess({
      command: 'echo START; head -c 5000000 /dev/zero | tr "\\0" x; echo; echo END',
      cwd: dir,
      timeoutMs: 20_000,
      maxOutputBytes: 10_000,
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('START\n')).toBe(true);
    expect(r.stdout.endsWith('END\n')).toBe(true);
    expect(r.stdout).toMatch(/bytes of output omitted/);
    expect(r.stdout.length).toBeLessThan(10_200);
    expect(r.output.length).toBeLessThan(10_200);
  });

  it('does not hand credential-like variables to the command unless passed explicitly', async () => {
    process.env.RALEX_TEST_API_KEY = 'sk-secret';
    try {
      const r = await runProcess({
        command: 'echo "[$RALEX_TEST_API_KEY][$MINE][$PATH_OK]"',
        cwd: dir,
        timeoutMs: 10_000,
        env: { MINE: 'given', PATH_OK: 'yes' },
      });
      expect(r.stdout.trim()).toBe('[][given][yes]');
    } finally {
      delete process.env.RALEX_TEST_API_KEY;
    }
  });
});

describe('runProcess: the whole process tree dies', () => {
  it('kills a command that forks and sleeps on timeout', async () => {
    const pids = join(dir, 'pids');
    const t = uniqueSleep();
    const r = await runProcess({
      command: `echo $$ >> ${pids}; sleep ${t} & echo $! >> ${pids}; sleep ${t} & echo $! >> ${pids}; wait`,
      cwd: dir,
      timeoutMs: 800,
    });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.durationMs).toBeLessThan(5000);
    expect(pidsIn(pids)).toHaveLength(3);
    for (const pid of pidsIn(pids)) expect(isProcessAlive(pid)).toBe(false);
    expect(livePidsWith(t)).toEqual([]);
  });

  it('kills orphaned subshell children, nohup, setsid and double-forked setsid processes', async () => {
    const pids = join(dir, 'pids');
    const t = uniqueSleep();
    const command = [
      `bash -c "(sleep ${t} & echo \\$! >> ${pids}) ; sleep ${t}" &`,
      `nohup sleep ${t} > /dev/null 2>&1 & echo $! >> ${pids}`,
      `setsid sleep ${t} & echo $! >> ${pids}`,
      `setsid -f sleep ${t}`,
      'sleep 0.2; wait',
    ].join('\n');
    const r = await runProcess({ command, cwd: dir, timeoutMs: 1500 });
    expect(r.timedOut).toBe(true);
    expect(pidsIn(pids)).toHaveLength(3);
    for (const pid of pidsIn(pids)) expect(isProcessAlive(pid)).toBe(false);
    expect(livePidsWith(t)).toEqual([]);
  });

  it('escalates to SIGKILL when the tree ignores SIGTERM', async () => {
    const t = uniqueSleep();
    const r = await runProcess({
      command: `trap "" TERM; sleep ${t} & sleep ${t}; wait`,
      cwd: dir,
      timeoutMs: 200,
    });
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(r.durationMs).toBeLessThan(5000);
    expect(livePidsWith(t)).toEqual([]);
  });

  it('kills the tree on abort and reports cancelled', async () => {
    const t = uniqueSleep();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = await runProcess({
      command: `sleep ${t} & sleep ${t}; wait`,
      cwd: dir,
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    expect(r).toMatchObject({ cancelled: true, timedOut: false, exitCode: null });
    expect(livePidsWith(t)).toEqual([]);
  });

  it('returns at once, without running anything, when the signal is already aborted', async () => {
    const r = await runProcess({
      command: `touch ${join(dir, 'ran')}`,
      cwd: dir,
      timeoutMs: 1000,
      signal: AbortSignal.abort(),
    });
    expect(r.cancelled).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not let background processes outlive a command that exits normally', async () => {
    const t = uniqueSleep();
    const r = await runProcess({ command: `sleep ${t} & echo started`, cwd: dir, timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'started\n', timedOut: false });
    expect(r.durationMs).toBeLessThan(3000);
    expect(livePidsWith(t)).toEqual([]);
  });

  it('does not let a double-forked setsid process outlive a command that exits normally', async () => {
    const t = uniqueSleep();
    const r = await runProcess({
      command: `setsid -f sleep ${t}; sleep 0.1; echo done`,
      cwd: dir,
      timeoutMs: 10_000,
    });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'done\n' });
    expect(livePidsWith(t)).toEqual([]);
  });

  it('kills running commands when Ralex itself exits', async () => {
    const t = uniqueSleep();
    const script = join(dir, 'host.mts');
    const runner = fileURLToPath(new URL('./run-process.ts', import.meta.url));
    writeFileSync(
      script,
      `import { runProcess } from ${JSON.stringify(runner)};
       void runProcess({ command: 'sleep ${t}', cwd: ${JSON.stringify(dir)}, timeoutMs: 60_000 });
       setTimeout(() => process.exit(0), 300);`,
    );
    execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), timeout: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(livePidsWith(t)).toEqual([]);
  });
});
