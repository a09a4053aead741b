import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicy, type Policy } from '../src/policy/policy.js';
import { emptySecurityRules } from '../src/policy/security-rules.js';

let base: string;
let root: string;
let outside: string;
let policy: Policy;

beforeAll(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-paths-')));
  root = join(base, 'project');
  outside = join(base, 'outside');
  mkdirSync(join(root, 'src', 'deep', 'er'), { recursive: true });
  mkdirSync(outside);
  mkdirSync(join(base, 'home'));
  execFileSync('git', ['init', '-q', root]);
  writeFileSync(join(root, 'src', 'app.ts'), 'export {};\n');
  writeFileSync(join(outside, 'secret.txt'), 'top secret\n');
  writeFileSync(join(root, '.env'), 'API_KEY=1\n');
  // Real symlinks: out of the project, to its parent, chained, dangling, looping, and harmless.
  symlinkSync(outside, join(root, 'link-out'));
  symlinkSync('..', join(root, 'link-parent'));
  symlinkSync('../../..', join(root, 'src', 'deep', 'up3'));
  symlinkSync(join(root, 'link-out'), join(root, 'src', 'chain'));
  symlinkSync(join(outside, 'not-yet', 'created.txt'), join(root, 'dangling'));
  symlinkSync(join(root, 'loop-b'), join(root, 'loop-a'));
  symlinkSync(join(root, 'loop-a'), join(root, 'loop-b'));
  symlinkSync('src', join(root, 'inside-link'));
  symlinkSync('.git', join(root, 'git-alias'));
  symlinkSync('/etc/passwd', join(root, 'src', 'passwd'));
  symlinkSync(join(root, 'src', 'deep'), join(root, 'src', 'deep', 'er', 'back'));
  policy = await createPolicy({ projectRoot: root, rules: emptySecurityRules(), home: join(base, 'home') });
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('symlink escapes', () => {
  const escapes = [
    'link-out',
    'link-out/secret.txt',
    'link-out/new-file.txt',
    'link-parent/outside/secret.txt',
    'link-parent',
    'src/deep/up3/outside/secret.txt',
    'src/chain/secret.txt',
    'dangling',
    'src/passwd',
    'link-out/../project/src/app.ts/../../../outside/secret.txt',
    'src/deep/er/back/../../../link-out',
    'inside-link/../link-out/x',
    'link-out/..',
  ];
  for (const p of escapes) {
    it(`denies ${p} for reading and writing`, () => {
      expect(policy.checkPath(p, { write: false }).decision).toBe('deny');
      expect(policy.checkPath(p, { write: true }).decision).toBe('deny');
    });
  }

  it('follows a symlink before "..", as the kernel does', () => {
    // link-out/.. is the directory holding `outside`, not the project root.
    const d = policy.checkPath('link-out/../project/src/app.ts', { write: false });
    expect(d.resolved).toBe(join(root, 'src', 'app.ts'));
    expect(d.decision).toBe('allow');
  });

  it('denies a symlink loop instead of hanging', () => {
    const d = policy.checkPath('loop-a/file', { write: true });
    expect(d.decision).toBe('deny');
  });

  it('allows a symlink that stays inside the project and reports where it resolves', () => {
    const d = policy.checkPath('inside-link/app.ts', { write: true });
    expect(d.decision).toBe('allow');
    expect(d.resolved).toBe(join(root, 'src', 'app.ts'));
  });

  it('resolves a file that does not exist yet through its nearest existing parent', () => {
    const d = policy.checkPath('src/new/dir/file.ts', { write: true });
    expect(d.decision).toBe('allow');
    expect(d.resolved).toBe(join(root, 'src', 'new', 'dir', 'file.ts'));
  });

  it('denies shell redirections and writers that go through an escaping symlink', () => {
    expect(policy.checkShell('echo x > link-out/pwned').decision).toBe('deny');
    expect(policy.checkShell('cp src/app.ts src/chain/').decision).toBe('deny');
    expect(policy.checkShell('rm -rf link-parent/outside').decision).toBe('deny');
  });
});

describe('protected paths', () => {
  it('never lets the agent write .git internals, even through a symlink', () => {
    for (const p of [
      '.git/config',
      '.git/hooks/pre-commit',
      '.git',
      'git-alias/config',
      'src/../.git/HEAD',
    ]) {
      const d = policy.checkPath(p, { write: true });
      expect(d.decision, p).toBe('deny');
      expect(d.rule, p).toBe('hard:git-internals');
    }
    expect(policy.checkPath('.git/HEAD', { write: false }).decision).toBe('allow');
    // Remote URLs in .git/config may carry tokens: reading it needs approval.
    expect(policy.checkPath('.git/config', { write: false }).rule).toBe('default:secret-read');
    expect(policy.checkPath('.gitignore', { write: true }).decision).toBe('allow');
  });

  it('never lets the agent write .ralex (state, config, security rules, memory), nor read its state', () => {
    expect(policy.checkPath('.ralex/state/ralex.db', { write: true }).rule).toBe('hard:ralex-state');
    // The token and the audit key: approving the read would hand the model what forges the trail.
    expect(policy.checkPath('.ralex/state/token', { write: false })).toMatchObject({
      decision: 'deny',
      rule: 'hard:ralex-state',
    });
    expect(policy.checkPath('.ralex/state/audit.key', { write: false }).decision).toBe('deny');
    expect(policy.checkPath('.ralex/config/security_rules.yaml', { write: true }).rule).toBe(
      'hard:ralex-files',
    );
    expect(policy.checkPath('.ralex/context/notes.md', { write: true }).decision).toBe('deny');
    expect(policy.checkPath('.ralex/config/security_rules.yaml', { write: false }).decision).toBe('allow');
    expect(policy.checkShell('echo "commands: []" > .ralex/config/security_rules.yaml').decision).toBe(
      'deny',
    );
  });

  it('never writes secrets and reads them only after approval', () => {
    for (const p of [
      '.env',
      '.env.local',
      'config/.env.production',
      'certs/server.pem',
      'deploy/id_rsa',
      'tls.key',
      '.npmrc',
      '.netrc',
    ]) {
      expect(policy.checkPath(p, { write: true }).rule, p).toBe('hard:secret-write');
      expect(policy.checkPath(p, { write: false }).decision, p).toBe('ask');
    }
    expect(policy.checkPath('.env.example', { write: true }).decision).toBe('allow');
    expect(policy.checkPath('id_rsa.pub', { write: false }).decision).toBe('allow');
  });
});

/** Path segments a generator combines: names, dots, parents, empty and odd ones. */
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('src', 'deep', 'er', 'a', 'b', 'new', 'file.ts') },
  { weight: 3, arbitrary: fc.constant('..') },
  { weight: 1, arbitrary: fc.constantFrom('.', '', 'x y', 'ünï', '-rf') },
);

/** Where a path lands lexically (no symlinks among the generated names). */
function lexical(path: string): string {
  return resolve(root, path);
}

function inside(p: string): boolean {
  return p === root || p.startsWith(root + sep);
}

describe('path resolver properties', () => {
  it('denies any path built from segments that ends outside the root', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), fc.boolean(), (segs, write) => {
        const path = segs.join('/');
        fc.pre(path !== '' && !inside(lexical(path)));
        expect(policy.checkPath(path, { write }).decision).toBe('deny');
      }),
      { numRuns: 400 },
    );
  });

  it('keeps any path that stays inside the root inside after resolution', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 8 }), (segs) => {
        const path = segs.join('/');
        fc.pre(path !== '' && inside(lexical(path)));
        const d = policy.checkPath(path, { write: true });
        expect(d.resolved && inside(d.resolved)).toBe(true);
        expect(relative(root, d.resolved!).startsWith('..')).toBe(false);
        expect(d.decision).not.toBe('deny');
      }),
      { numRuns: 400 },
    );
  });

  it('denies the URL-encoded form of any escaping path', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.boolean(), (segs, encodeSlashes) => {
        const path = segs.join('/');
        fc.pre(path !== '' && !inside(lexical(path)));
        const encoded = segs.map((s) => s.replace(/\./g, '%2e')).join(encodeSlashes ? '%2f' : '/');
        expect(policy.checkPath(encoded, { write: false }).decision).toBe('deny');
      }),
      { numRuns: 200 },
    );
  });

  it('denies any path written with fullwidth or look-alike dots and slashes', () => {
    const lookalike = fc.constantFrom('\uff0e', '\u2024', '\uff0f', '\u2215', '\u2044', '\uff3c');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), lookalike, fc.nat(), (segs, ch, at) => {
        const path = segs.join('/') || 'src';
        const i = at % (path.length + 1);
        const tricky = path.slice(0, i) + ch + path.slice(i);
        expect(policy.checkPath(tricky, { write: false }).decision).toBe('deny');
      }),
      { numRuns: 200 },
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.boolean(), (s, write) => {
        const d = policy.checkPath(s, { write });
        expect(['allow', 'ask', 'deny']).toContain(d.decision);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hard links and letter case', () => {
  it('asks before writing a file that is hard-linked to another name', () => {
    writeFileSync(join(root, 'src', 'single.txt'), 'x');
    writeFileSync(join(root, 'src', 'linked.txt'), 'x');
    linkSync(join(root, 'src', 'linked.txt'), join(root, 'src', 'linked-twin.txt'));
    expect(policy.checkPath('src/single.txt', { write: true }).decision).toBe('allow');
    expect(policy.checkPath('src/linked.txt', { write: true }).rule).toBe('default:hard-link');
    expect(policy.checkPath('src/linked.txt', { write: false }).decision).toBe('allow');
  });

  it('treats .GIT, .Ralex and .ENV like their lower-case names (case-insensitive file systems)', () => {
    expect(policy.checkPath('.GIT/config', { write: true }).rule).toBe('hard:git-internals');
    expect(policy.checkPath('.Ralex/config/security_rules.yaml', { write: true }).decision).toBe('deny');
    expect(policy.checkPath('.ENV', { write: true }).rule).toBe('hard:secret-write');
  });
});
