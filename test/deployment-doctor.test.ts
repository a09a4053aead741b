import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deploymentFindings, hostKind } from '../src/cli/commands/deployment-findings.js';
import { loadConfig } from '../src/config/load-config.js';
import type { SandboxStatus } from '../src/policy/sandbox/detect-sandbox.js';
import { ralexPaths } from '../src/project/ralex-paths.js';
import { createTempGitRepo, type TempGitRepo } from './fixtures/temp-git-repo.js';
import { type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

let repo: TempGitRepo | undefined;
let ralex: RalexUnderTest | undefined;
let other: Server | undefined;
afterEach(async () => {
  await repo?.cleanup();
  await ralex?.close();
  other?.close();
  repo = ralex = other = undefined;
});

const SANDBOX_OK = { available: true, kind: 'bubblewrap' as const };

describe('ralex doctor: what a deployment needs', () => {
  it('finds the state directory and trust file writable and the port free', async () => {
    repo = await createTempGitRepo({ files: { 'a.txt': 'a\n' } });
    const paths = ralexPaths(repo.dir);
    const env = { XDG_STATE_HOME: join(repo.dir, '.xdg'), RALEX_PORT: '0' };
    const findings = await deploymentFindings(paths, loadConfig(paths, env), SANDBOX_OK, env);
    expect(findings.find((f) => f.check === 'state directory')).toMatchObject({ state: 'ok' });
    expect(findings.find((f) => f.check === 'trust decisions')).toMatchObject({ state: 'ok' });
    expect(findings.find((f) => f.check.startsWith('port'))).toMatchObject({
      state: 'ok',
      detail: 'free for ralex serve',
    });
  });

  it('fails a state directory Ralex cannot write, saying how to fix it', async () => {
    repo = await createTempGitRepo({ files: { 'a.txt': 'a\n' } });
    await repo.write('.ralex/state', 'not a directory');
    const paths = ralexPaths(repo.dir);
    const findings = await deploymentFindings(paths, null, SANDBOX_OK, {
      XDG_STATE_HOME: join(repo.dir, '.xdg'),
    });
    const state = findings.find((f) => f.check === 'state directory')!;
    expect(state.state).toBe('fail');
    expect(state.detail).toMatch(/not writable \((EEXIST|ENOTDIR)\)/);
    expect(state.fix).toMatch(/writable/);
  });

  it('tells a port another program holds from one a Ralex already serves', async () => {
    repo = await createTempGitRepo({ files: { 'a.txt': 'a\n' } });
    const paths = ralexPaths(repo.dir);
    other = createServer((s) => s.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n'));
    await new Promise<void>((r) => other!.listen(0, '127.0.0.1', r));
    const taken = String((other.address() as { port: number }).port);
    const env = { XDG_STATE_HOME: join(repo.dir, '.xdg'), RALEX_HOST: '127.0.0.1', RALEX_PORT: taken };
    const busy = await deploymentFindings(paths, loadConfig(paths, env), SANDBOX_OK, env);
    expect(busy.find((f) => f.check.startsWith('port'))).toMatchObject({
      state: 'warn',
      detail: 'in use by another program',
    });

    ralex = await startRalex({ script: null });
    const port = new URL(ralex.url).port;
    const ours = { ...env, RALEX_PORT: port };
    const served = await deploymentFindings(paths, loadConfig(paths, ours), SANDBOX_OK, ours);
    expect(served.find((f) => f.check.startsWith('port'))?.detail).toMatch(
      /a Ralex is already serving there/,
    );
  });

  it('names the setting that stops the sandbox in a systemd service or a container, and says nothing on a plain host', async () => {
    repo = await createTempGitRepo({ files: { 'a.txt': 'a\n' } });
    const paths = ralexPaths(repo.dir);
    const env = { XDG_STATE_HOME: join(repo.dir, '.xdg') };
    const broken = {
      available: false,
      kind: 'none' as const,
      reason: "bwrap: Can't mount proc on /newroot/proc",
    };
    const of = async (kind: 'systemd' | 'docker' | 'plain', sandbox: SandboxStatus = broken) =>
      (await deploymentFindings(paths, null, sandbox, env, kind)).find((f) =>
        f.check.startsWith('sandbox in'),
      );
    expect(await of('systemd')).toMatchObject({ state: 'warn', check: 'sandbox in systemd' });
    expect((await of('systemd'))?.fix).toMatch(/ProtectKernelTunables/);
    expect((await of('docker'))?.fix).toMatch(/seccomp=unconfined .*systempaths=unconfined/);
    expect(await of('plain')).toBeUndefined();
    expect(await of('docker', SANDBOX_OK)).toMatchObject({ state: 'ok' });
  });

  it('knows this machine for what it is', () => {
    expect(['docker', 'podman', 'systemd', 'plain']).toContain(hostKind({}));
    expect(hostKind({ INVOCATION_ID: 'x' })).not.toBe('plain');
  });
});
