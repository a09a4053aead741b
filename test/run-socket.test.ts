import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RalexEvent } from '../src/events/events.js';
import { loadOrCreateToken } from '../src/server/auth-token.js';
import { type RunSocket, serveRunSocket } from '../src/server/run-socket/run-socket-server.js';
import { RALEX_BIN, runCli } from './helpers/run-cli.js';
import { openRuntime, type RuntimeUnderTest } from './helpers/runtime-under-test.js';

let t: RuntimeUnderTest | undefined;
let socket: RunSocket | null = null;
afterEach(async () => {
  await socket?.close();
  socket = null;
  await t?.close();
  t = undefined;
});

beforeAll(() => {
  if (!existsSync(RALEX_BIN))
    throw new Error('Build first: npm run build (these tests run dist/bundle/main.js).');
});

/** A runtime with its command socket, and every command the server's own bus saw accepted. */
async function serving() {
  t = await openRuntime({ files: { 'src/user_auth.py': 'x = 1\n' } });
  const token = loadOrCreateToken(t.rt.paths.tokenFile).value;
  const accepted: string[] = [];
  t.rt.bus.subscribe((e: RalexEvent) => {
    if (e.type === 'command.accepted' && e.commandId) accepted.push(e.commandId);
  });
  socket = await serveRunSocket(t.rt, { token });
  return { rt: t.rt, repo: t.repo, token, accepted };
}

function resultOf(stdout: string) {
  const lines = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return lines.find((l) => l.type === 'result')?.result;
}

/** Sends raw lines to the socket and collects what comes back until it closes. */
function exchange(path: string, lines: string[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const conn = connect(path);
    let got = '';
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.write(lines.join('')));
    conn.on('data', (c: string) => {
      got += c;
    });
    conn.on('error', reject);
    conn.on('close', () =>
      resolve(
        got.trim()
          ? got
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l))
          : [],
      ),
    );
  });
}

describe('ralex run as the thin client of ralex serve', () => {
  it('runs the command in the server, over a 0600 socket, and prints what in-process would', async () => {
    const { rt, repo, accepted } = await serving();
    expect(socket?.path).toBe(rt.paths.runSocket);
    expect(lstatSync(rt.paths.runSocket).mode & 0o777).toBe(0o600);
    await repo.write('src/user_auth.py', 'x = 2\n');
    const run = await runCli(['run', 'what changed', '--json', '--project', repo.dir]);
    expect(run.code).toBe(0);
    const result = resultOf(run.stdout);
    expect(result.status).toBe('succeeded');
    expect(result.reply).toContain('src/user_auth.py');
    // It ran in the server's process: the server's bus accepted exactly that command.
    expect(accepted).toEqual([result.commandId]);
    // Every stdout line is JSON (the --json contract), events before the result.
    const types = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    expect(types.at(-1)).toBe('result');
    expect(types.slice(0, -1).every((ty) => ty === 'event')).toBe(true);
  });

  it('refuses a wrong token and a malformed first message without running anything', async () => {
    const { rt, accepted } = await serving();
    const wrong = await exchange(rt.paths.runSocket, [
      `${JSON.stringify({ type: 'run', token: 'rx_not-the-token-of-this-server', text: 'undo' })}\n`,
    ]);
    expect(wrong).toEqual([{ type: 'refused', code: 'unauthorized', message: expect.any(String) }]);
    const noToken = await exchange(rt.paths.runSocket, [
      `${JSON.stringify({ type: 'run', text: 'undo' })}\n`,
    ]);
    expect(noToken).toMatchObject([{ type: 'refused', code: 'bad_request' }]);
    const notJson = await exchange(rt.paths.runSocket, ['{"type":"run", token\n']);
    expect(notJson).toMatchObject([{ type: 'refused', code: 'bad_request' }]);
    const cancelFirst = await exchange(rt.paths.runSocket, [`${JSON.stringify({ type: 'cancel' })}\n`]);
    expect(cancelFirst).toMatchObject([{ type: 'refused', code: 'bad_request' }]);
    expect(accepted).toEqual([]);
  });

  it('falls back to running in process when the server refuses the client’s token', async () => {
    const { repo, accepted } = await serving();
    const run = await runCli(['run', 'what changed', '--json', '--project', repo.dir], {
      env: { RALEX_TOKEN: 'rx_a-token-this-server-does-not-have' },
    });
    expect(run.code).toBe(0);
    expect(resultOf(run.stdout).status).toBe('succeeded');
    expect(run.stderr).toContain('refused');
    expect(accepted).toEqual([]);
  });

  it('does not connect to a socket owned by another user or open to others', async () => {
    const { rt, repo, accepted } = await serving();
    chownSync(rt.paths.runSocket, 65534, 65534);
    const foreign = await runCli(['run', 'what changed', '--json', '--project', repo.dir]);
    expect(foreign.code).toBe(0);
    expect(resultOf(foreign.stdout).status).toBe('succeeded');
    expect(foreign.stderr).toContain('belongs to another user');
    chownSync(rt.paths.runSocket, process.getuid!(), process.getgid!());
    chmodSync(rt.paths.runSocket, 0o666);
    const open = await runCli(['run', 'what changed', '--json', '--project', repo.dir]);
    expect(open.code).toBe(0);
    expect(open.stderr).toContain('open to other users');
    expect(accepted).toEqual([]);
  });

  it('runs in process past a stale socket, and a new server replaces it; a live one or a file is left alone', async () => {
    t = await openRuntime({ files: { 'a.txt': 'a\n' } });
    const path = t.rt.paths.runSocket;
    // A socket nobody accepts on, as a killed server leaves it.
    execFileSync('python3', [
      '-c',
      'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])',
      path,
    ]);
    chmodSync(path, 0o600);
    const stale = await runCli(['run', 'what changed', '--json', '--project', t.repo.dir]);
    expect(stale.code).toBe(0);
    expect(resultOf(stale.stdout).status).toBe('succeeded');

    const token = loadOrCreateToken(t.rt.paths.tokenFile).value;
    socket = await serveRunSocket(t.rt, { token });
    expect(socket).not.toBeNull();
    const reasons: string[] = [];
    expect(await serveRunSocket(t.rt, { token, onSkip: (r) => reasons.push(r) })).toBeNull();
    expect(reasons[0]).toContain('another ralex serve');
    await socket?.close();
    socket = null;
    expect(existsSync(path)).toBe(false);

    writeFileSync(path, 'not a socket\n');
    expect(await serveRunSocket(t.rt, { token, onSkip: (r) => reasons.push(r) })).toBeNull();
    expect(readFileSync(path, 'utf8')).toBe('not a socket\n');
    expect(reasons[1]).toContain('not a socket');
  });

  it('with RALEX_NO_SERVER=1 runs in process even with a server up', async () => {
    const { repo, accepted } = await serving();
    const run = await runCli(['run', 'what changed', '--json', '--project', repo.dir], {
      env: { RALEX_NO_SERVER: '1' },
    });
    expect(run.code).toBe(0);
    expect(resultOf(run.stdout).status).toBe('succeeded');
    expect(accepted).toEqual([]);
  });
});

describe('ralex context as the thin client of ralex serve', () => {
  const text = 'explain how the user auth module counts in src/user_auth.py';
  const itemsOf = (stdout: string) =>
    (JSON.parse(stdout) as { items: { kind: string; ref: string; score: number }[] }).items.map(
      (i) => `${i.kind} ${i.ref} ${i.score}`,
    );

  it('builds the package in the server, with the configuration it loaded at start; the same items as in process', async () => {
    const { repo, accepted } = await serving();
    const served = await runCli(['context', '--json', text, '--project', repo.dir]);
    expect(served.code).toBe(0);
    const inProcess = await runCli(['context', '--json', text, '--project', repo.dir], {
      env: { RALEX_NO_SERVER: '1' },
    });
    expect(itemsOf(served.stdout)).toEqual(itemsOf(inProcess.stdout));
    expect(itemsOf(served.stdout).some((i) => i.startsWith('file src/user_auth.py'))).toBe(true);
    // A budget set after the server started: the server still packs to the one it loaded.
    await repo.write('.ralex/config/preferences.yaml', 'context:\n  max_tokens: 5000\n');
    const stale = JSON.parse((await runCli(['context', '--json', text, '--project', repo.dir])).stdout);
    const fresh = JSON.parse(
      (await runCli(['context', '--json', text, '--project', repo.dir], { env: { RALEX_NO_SERVER: '1' } }))
        .stdout,
    );
    expect([stale.budget, fresh.budget]).toEqual([12000, 5000]);
    // No command ran: a context preview calls no model and records nothing.
    expect(accepted).toEqual([]);
  });

  it('prints the list, a direct command and a bad budget as in process', async () => {
    const { repo } = await serving();
    const list = await runCli(['context', text, '--project', repo.dir]);
    expect(list.stdout).toMatch(/^Context for "explain how the user auth module/);
    expect(list.stdout).toContain('src/user_auth.py');
    const direct = await runCli(['context', 'what changed', '--project', repo.dir]);
    expect(direct.stdout).toContain('is what_changed. A direct command needs no model');
    const bad = await runCli(['context', '--budget', '50', text, '--project', repo.dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--budget must be a whole number of tokens, at least 100');
  });

  it('refuses a wrong token and a malformed request, and a context message cannot be followed by a run', async () => {
    const { rt, token, accepted } = await serving();
    const wrong = await exchange(rt.paths.runSocket, [
      `${JSON.stringify({ type: 'context', token: 'rx_not-the-token-of-this-server', text })}\n`,
    ]);
    expect(wrong).toMatchObject([{ type: 'refused', code: 'unauthorized' }]);
    const tiny = await exchange(rt.paths.runSocket, [
      `${JSON.stringify({ type: 'context', token, text, budget: 5 })}\n`,
    ]);
    expect(tiny).toMatchObject([{ type: 'refused', code: 'bad_request' }]);
    const answered = await exchange(rt.paths.runSocket, [
      `${JSON.stringify({ type: 'context', token, text })}\n`,
      `${JSON.stringify({ type: 'run', token, text: 'undo' })}\n`,
    ]);
    expect(answered).toMatchObject([{ type: 'context', context: { command: { intent: 'explain' } } }]);
    expect(accepted).toEqual([]);
  });
});
