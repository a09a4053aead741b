import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectSandbox } from './detect-sandbox.js';
import { isProcessAlive } from './process-tree.js';
import { runProcess } from './run-process.js';

const status = await detectSandbox();

// The test suite needs bubblewrap (.ci/run and the README install it): a missing sandbox fails
// here, loudly, instead of the sandbox tests below quietly not running.
it('finds bubblewrap', () => {
  expect(
    status,
    `bubblewrap is required for the tests: apt-get install bubblewrap (${status.reason})`,
  ).toMatchObject({
    available: true,
    kind: 'bubblewrap',
  });
});

it('reports a missing bwrap as unavailable with a reason', async () => {
  const missing = await detectSandbox({ bwrapPath: '/nonexistent/bwrap' });
  expect(missing).toMatchObject({ available: false, kind: 'none' });
  expect(missing.reason).toMatch(/not found/);
});

/** Live pids whose command line contains `token`. */
const liveWith = (token: string): string[] =>
  readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        return readFileSync(`/proc/${n}/cmdline`, 'utf8').includes(token) && isProcessAlive(Number(n));
      } catch {
        return false;
      }
    });

describe('runProcess inside bubblewrap', () => {
  let project: string;
  let outside: string;
  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'ralex-sbx-project-'));
    outside = mkdtempSync(join(tmpdir(), 'ralex-sbx-outside-'));
  });
  afterEach(() => {
    rmSync(project, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const run = (command: string, extra: { allowNetwork?: boolean; timeoutMs?: number } = {}) =>
    runProcess({
      command,
      cwd: project,
      timeoutMs: extra.timeoutMs ?? 15_000,
      sandbox: { projectDir: project, allowNetwork: extra.allowNetwork ?? false },
    });

  it('lets the command write inside the project and not outside it', async () => {
    const r = await run(`echo in > inside.txt && echo out > ${outside}/outside.txt`);
    expect(r.sandboxed).toBe(true);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/Read-only file system|Permission denied|No such file/);
    expect(readFileSync(join(project, 'inside.txt'), 'utf8')).toBe('in\n');
    expect(existsSync(join(outside, 'outside.txt'))).toBe(false);
  });

  it('gives the command a private /tmp', async () => {
    const hostFile = join(tmpdir(), `ralex-host-visible-${process.pid}`);
    writeFileSync(hostFile, 'host');
    try {
      const r = await run(
        `test -e ${hostFile} && echo visible || echo hidden; echo x > /tmp/ralex-sandbox-made-${process.pid}`,
      );
      expect(r.stdout.trim()).toBe('hidden');
      expect(r.exitCode).toBe(0);
      expect(existsSync(`/tmp/ralex-sandbox-made-${process.pid}`)).toBe(false);
    } finally {
      rmSync(hostFile, { force: true });
    }
  });

  it('hides .ralex/state from the command', async () => {
    mkdirSync(join(project, '.ralex/state'), { recursive: true });
    writeFileSync(join(project, '.ralex/state/token'), 'secret-token');
    const r = await run('ls -A .ralex/state; cat .ralex/state/token; echo x > .ralex/state/token');
    expect(r.stdout).not.toContain('secret-token');
    expect(readFileSync(join(project, '.ralex/state/token'), 'utf8')).toBe('secret-token');
  });

  it('applies the resource limits', async () => {
    const r = await runProcess({
      command: 'ulimit -t; ulimit -c; head -c 200000 /dev/zero > big.bin; echo "rc=$?"',
      cwd: project,
      timeoutMs: 15_000,
      sandbox: { projectDir: project, limits: { fileSizeBytes: 64 * 1024 } },
    });
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('600');
    expect(lines[1]).toBe('0');
    expect(lines[2]).not.toBe('rc=0');
    expect(readFileSync(join(project, 'big.bin')).length).toBeLessThanOrEqual(64 * 1024);
  });

  describe('network', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((socket) => socket.end('hello from host\n'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const connect = () => `exec 3<>/dev/tcp/127.0.0.1/${port} && head -n1 <&3`;

    it('is off by default: a loopback server on the host is unreachable', async () => {
      const r = await run(connect());
      expect(r.exitCode).not.toBe(0);
      expect(r.stdout).not.toContain('hello from host');
    });

    it('is on when the options allow it', async () => {
      const r = await run(connect(), { allowNetwork: true });
      expect(r.exitCode).toBe(0);
      expect(r.stdout.trim()).toBe('hello from host');
    });
  });

  it('leaves no background process behind when a sandboxed command exits normally', async () => {
    const t = `${1000 + Math.floor(Math.random() * 1000)}.${process.pid}55`;
    const r = await run(`sleep ${t} & (setsid sleep ${t} &); sleep 0.1; echo done`);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'done\n', sandboxed: true });
    expect(liveWith(t)).toEqual([]);
  });

  it('kills the whole sandboxed tree on timeout', async () => {
    const t = `${1000 + Math.floor(Math.random() * 1000)}.${process.pid}77`;
    const r = await run(`sleep ${t} & (setsid sleep ${t} &); touch started; sleep ${t}; wait`, {
      timeoutMs: 1000,
    });
    expect(r).toMatchObject({ timedOut: true, sandboxed: true, exitCode: null });
    expect(existsSync(join(project, 'started'))).toBe(true);
    expect(liveWith(t)).toEqual([]);
  });
});
