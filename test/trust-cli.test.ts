import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from './fixtures/temp-git-repo.js';
import { RALEX_BIN, runCli } from './helpers/run-cli.js';

/** Security rules as they arrive with someone else's repository: they loosen a lot. */
const PULLED = [
  'commands:',
  '  - {match: "git push", decision: allow}',
  '  - {match: "git log", decision: deny}',
  'tools: {delete_file: allow}',
  'paths: [{glob: ".env.test", access: read, decision: allow}]',
  '',
].join('\n');

let repo: TempGitRepo;
let state: string;
let env: Record<string, string>;

beforeEach(async () => {
  repo = await createTempGitRepo({
    files: { 'README.md': '# demo\n', '.ralex/config/security_rules.yaml': PULLED, '.env.test': 'TOKEN=t\n' },
  });
  state = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-trust-state-')));
  env = { XDG_STATE_HOME: state };
});
afterEach(async () => {
  await repo.cleanup();
  rmSync(state, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli([...args, '--project', repo.dir], { env });
const check = async (command: string) => {
  const r = await runCli(['policy', 'check', '--json', '--project', repo.dir, '--', command], { env });
  return JSON.parse(r.stdout);
};

describe('ralex trust', () => {
  it('ignores loosening rules until trusted, remembers the trust across runs, and forgets it on an edit', async () => {
    expect(await check('git push')).toMatchObject({
      decision: 'ask',
      untrusted: { rule: 'user:commands[0]', decision: 'allow' },
    });
    expect((await check('git log')).decision).toBe('deny'); // tightening applies at once

    const doctor = JSON.parse((await cli('doctor', '--json')).stdout);
    const finding = doctor.findings.find((f: { check: string }) => f.check === 'security rules');
    expect(finding).toMatchObject({ state: 'warn', fix: expect.stringContaining('ralex trust') });

    const status = await cli('trust', '--json');
    expect(status.code).toBe(4);
    const shown = JSON.parse(status.stdout);
    expect(shown).toMatchObject({ state: 'untrusted', file: '.ralex/config/security_rules.yaml' });
    expect(shown.loosening.map((l: { entry: string }) => l.entry)).toEqual([
      'tools.delete_file',
      'commands[0]',
      'paths[0]',
    ]);

    const human = await cli('trust');
    expect(human.code).toBe(4); // no terminal: nothing is trusted without --yes
    expect(human.stdout).toContain('Ignored until trusted:');
    expect(human.stdout).toContain('"git push"');
    expect(human.stdout).toMatch(/reading files that may hold secrets, such as "\.env\.test"/);
    expect(human.stderr).toContain('ralex trust --yes');
    expect((await check('git push')).decision).toBe('ask');

    const yes = await cli('trust', '--yes', '--json');
    expect(yes.code).toBe(0);
    expect(JSON.parse(yes.stdout)).toMatchObject({ state: 'trusted', sha256: shown.sha256 });
    const stored = JSON.parse(readFileSync(join(state, 'ralex', 'trusted-rules.json'), 'utf8'));
    expect(stored.trusted).toHaveLength(1);

    // A new process reads the trust back: the file applies in full.
    expect(await check('git push')).toMatchObject({ decision: 'allow', rule: 'user:commands[0]' });
    expect((await cli('trust')).stdout).toContain('is trusted');

    await repo.write('.ralex/config/security_rules.yaml', `${PULLED}# edited\n`);
    expect((await check('git push')).decision).toBe('ask');
    expect((await cli('trust', '--json')).code).toBe(4);
  });

  it('says so in the result of a command a loosening rule would have affected', async () => {
    const run = await runCli(['run', '--json', '--project', repo.dir, 'show .env.test'], { env });
    const result = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((l) => l.type === 'result').result;
    expect(result.status).not.toBe('succeeded');
    expect(JSON.stringify(result)).toContain('ralex trust');
    expect(result.reply).not.toContain('TOKEN=t');
  });

  it('trusts with --trust on ralex run, and the file then applies', async () => {
    const run = await runCli(['run', '--trust', '--json', '--project', repo.dir, 'show .env.test'], { env });
    expect(run.stderr).toContain('is trusted');
    const result = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((l) => l.type === 'result').result;
    expect(result).toMatchObject({ status: 'succeeded' });
    expect(result.reply).toContain('TOKEN=t');
  });

  it('warns at ralex serve start while the rules are not trusted, and /health and /api/trust say so', async () => {
    const child = spawn(
      process.execPath,
      [RALEX_BIN, 'serve', '--port', '0', '--no-qr', '--project', repo.dir],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          ...env,
          RALEX_TOKEN: 'trust-test-token-0123456789',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
      });
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}${err}`)), 20_000);
        child.stdout.on('data', (d) => {
          out += d;
          const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      expect(err).toContain('loosens the built-in rules and is not trusted');
      expect(err).toContain('ralex trust');
      const health = await (await fetch(`${url}/health`)).json();
      expect(health.components.rules).toMatchObject({ state: 'degraded' });
      const trust = await (
        await fetch(`${url}/api/trust`, { headers: { authorization: 'Bearer trust-test-token-0123456789' } })
      ).json();
      expect(trust).toMatchObject({ state: 'untrusted' });
      expect(trust.loosening).toHaveLength(3);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
