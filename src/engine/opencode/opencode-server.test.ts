import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENCODE_INSTALL_HINT, resolveOpenCodeBinary } from './opencode-binary.js';
import { startOpenCodeServer } from './opencode-server.js';

const here = dirname(fileURLToPath(import.meta.url));
let home: string;

beforeAll(async () => {
  if (!resolveOpenCodeBinary()) {
    throw new Error(
      `The opencode binary is missing; install the optional dependency: ${OPENCODE_INSTALL_HINT}`,
    );
  }
  home = await mkdtemp(join(tmpdir(), 'ralex-opencode-home-'));
});
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('private opencode serve', () => {
  it('answers on loopback only with its password, and stop() ends the process', async () => {
    const server = await startOpenCodeServer({
      provider: { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'x', models: ['m'] },
      home,
      startTimeoutMs: 45_000,
    });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(alive(server.pid)).toBe(true);
      expect(server.peakRssKiB()).toBeGreaterThan(10_000);
      const anonymous = await fetch(`${server.url}/session/status`);
      expect(anonymous.status).toBe(401);
      const authed = await fetch(`${server.url}/session/status`, {
        headers: { authorization: server.authorization },
      });
      expect(authed.status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(server.alive()).toBe(false);
    expect(await waitUntil(() => !alive(server.pid), 5000)).toBe(true);
  }, 60_000);

  it('does not outlive a Ralex process killed with SIGKILL', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'opencode-server-crash.fixture.ts')],
      {
        cwd: join(here, '../../..'),
        env: { ...process.env, RALEX_TEST_HOME: home },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] as string);
      });
      child.once('exit', (code) =>
        reject(new Error(`helper exited (${code}) before the server started: ${out}`)),
      );
    });
    const { pid } = JSON.parse(line) as { pid: number };
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await waitUntil(() => !alive(pid), 10_000)).toBe(true);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  }, 60_000);
});
