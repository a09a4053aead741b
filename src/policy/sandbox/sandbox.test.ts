import { execSync } from 'node:child_process';
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

describe('what the sandbox protects', () => {
  let project: string;
  let home: string;
  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'ralex-sbx-trust-'));
    home = mkdtempSync(join(tmpdir(), 'ralex-sbx-home-'));
    execSync('git init -q && git commit -q --allow-empty -m init', { cwd: project });
  });
  afterEach(() => {
    rmSync(project, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });
  const run = (command: string, env?: Record<string, string>) =>
    runProcess({ command, cwd: project, timeoutMs: 15_000, env, sandbox: { projectDir: project, home } });
  const snapshot = (dir: string) =>
    execSync(`find ${dir} -type f -exec sha1sum {} + | sort`, { encoding: 'utf8' });

  it('keeps all of .git read-only: config, hooks, refs and the index cannot be written', async () => {
    const before = snapshot(join(project, '.git'));
    const r = await run(
      [
        'git config core.fsmonitor "touch /tmp/pwned"',
        'echo "touch pwned" > .git/hooks/pre-commit',
        'mkdir -p .git/refs/ralex/checkpoints && echo 0000 > .git/refs/ralex/checkpoints/x',
        'git update-ref refs/ralex/checkpoints/y HEAD',
        'touch .git/index.lock',
        'mv .git .git-old',
        'rm -rf .git',
        'echo done',
      ].join('; '),
    );
    expect(r.sandboxed).toBe(true);
    expect(r.stdout).toContain('done');
    expect(snapshot(join(project, '.git'))).toBe(before);
    expect(existsSync(join(project, '.git-old'))).toBe(false);
  });

  it('still lets commands read git: status, diff and log work', async () => {
    writeFileSync(join(project, 'a.txt'), 'hello\n');
    const r = await run('git status --porcelain && git log --oneline | wc -l && git diff --stat');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('?? a.txt');
  });

  it('keeps .ralex (config and security rules) read-only, creating it first when missing', async () => {
    const r1 = await run('mkdir -p .ralex/config && echo "version: 1" > .ralex/config/security_rules.yaml');
    expect(r1.exitCode).not.toBe(0);
    expect(existsSync(join(project, '.ralex/config/security_rules.yaml'))).toBe(false);
    mkdirSync(join(project, '.ralex/config'), { recursive: true });
    writeFileSync(join(project, '.ralex/config/security_rules.yaml'), 'version: 1\n');
    const r2 = await run('echo "commands: []" >> .ralex/config/security_rules.yaml; rm -rf .ralex/config');
    expect(r2.exitCode).not.toBe(0);
    expect(readFileSync(join(project, '.ralex/config/security_rules.yaml'), 'utf8')).toBe('version: 1\n');
  });

  it('shows an empty home but for toolchain folders, with their credentials hidden', async () => {
    mkdirSync(join(home, '.config/gh'), { recursive: true });
    writeFileSync(join(home, '.config/gh/hosts.yml'), 'oauth_token: gho_SECRET\n');
    writeFileSync(join(home, '.npmrc'), '//registry.npmjs.org/:_authToken=npm_SECRET\n');
    writeFileSync(join(home, '.bash_history'), 'export TOKEN=SECRET\n');
    mkdirSync(join(home, '.cargo/bin'), { recursive: true });
    writeFileSync(join(home, '.cargo/bin/tool'), 'a toolchain\n');
    writeFileSync(join(home, '.cargo/credentials.toml'), 'token = "SECRET"\n');
    mkdirSync(join(home, '.pyenv'), { recursive: true });
    writeFileSync(join(home, '.pyenv/version'), '3.11\n');
    const r = await run(
      `cat ${home}/.config/gh/hosts.yml ${home}/.npmrc ${home}/.bash_history ${home}/.cargo/credentials.toml; ` +
        `grep -r SECRET ${home} /home /root 2>/dev/null; cat ${home}/.cargo/bin/tool ${home}/.pyenv/version; ` +
        `echo x > ${home}/.pyenv/version; ls -A ${home}`,
    );
    expect(r.output).not.toContain('SECRET');
    expect(r.stdout).toContain('a toolchain');
    expect(r.stdout).toContain('3.11');
    expect(readFileSync(join(home, '.pyenv/version'), 'utf8')).toBe('3.11\n');
  });

  it('passes an allow-listed environment: secrets never reach the command, whatever their name', async () => {
    const planted = {
      GITHUB_PAT: 'ghp_planted',
      DATABASE_URL: 'postgres://u:p@db/x',
      OPENAI_KEY: 'sk-planted',
      MY_SERVICE_CREDS: 'planted',
    };
    Object.assign(process.env, planted);
    try {
      const r = await run('env');
      for (const [name, value] of Object.entries(planted)) {
        expect(r.stdout).not.toContain(name);
        expect(r.stdout).not.toContain(value);
      }
      expect(r.stdout).toMatch(/^PATH=/m);
      expect(r.stdout).toMatch(/^HOME=/m);
    } finally {
      for (const name of Object.keys(planted)) delete process.env[name];
    }
  });
});

describe('secrets inside the project', () => {
  let project: string;
  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'ralex-sbx-secrets-'));
    execSync('git init -q && git remote add origin https://user:ghp_TOKEN123@example.com/x.git', {
      cwd: project,
    });
    writeFileSync(join(project, '.env'), 'API_KEY=SECRET_ENV_VALUE\n');
    mkdirSync(join(project, 'config'));
    writeFileSync(join(project, 'config/server.key'), 'SECRET_KEY_VALUE\n');
    writeFileSync(join(project, '.env.example'), 'API_KEY=put-yours-here\n');
    writeFileSync(join(project, '.env.test'), 'API_KEY=SECRET_TEST_VALUE\n');
    writeFileSync(join(project, 'app.js'), 'console.log(1)\n');
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it('are empty to every command, however it reads them; templates and listed files stay readable', async () => {
    const r = await runProcess({
      command:
        'cat .en? .env*; grep -r SECRET . ; cat config/*; git remote -v; git status --porcelain | sort',
      cwd: project,
      timeoutMs: 15_000,
      sandbox: { projectDir: project, visibleSecrets: ['.env.test'] },
    });
    expect(r.sandboxed).toBe(true);
    expect(r.output).not.toContain('SECRET_ENV_VALUE');
    expect(r.output).not.toContain('SECRET_KEY_VALUE');
    expect(r.output).not.toContain('ghp_TOKEN123');
    expect(r.stdout).toContain('put-yours-here');
    expect(r.stdout).toContain('SECRET_TEST_VALUE');
    expect(r.stdout).toContain('?? app.js');
    // The files themselves are untouched.
    expect(readFileSync(join(project, '.env'), 'utf8')).toBe('API_KEY=SECRET_ENV_VALUE\n');
  });
});
