import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicy, type Policy } from '../src/policy/policy.js';
import { buildBubblewrapArgs, runProcess } from '../src/policy/sandbox/index.js';
import { resolveSandboxOptions } from '../src/policy/sandbox/sandbox-options.js';
import { emptySecurityRules } from '../src/policy/security-rules.js';

/**
 * A hostile model in a project that holds the Ralex that runs it (`npm i ralex`, then `npx ralex`;
 * or Ralex's own checkout): Ralex runs that code on the host at its next start, so an agent that
 * rewrote it would run outside the sandbox. Real policy, real bubblewrap; the install is a
 * package named ralex inside the project, given as the running one.
 */
let base: string;
let project: string;
let install: string;
let checkout: string;
let policy: Policy;
const ORIGINAL = '#!/usr/bin/env node\nconsole.log("ralex");\n';

const files = (): Record<string, string> => ({
  main: readFileSync(join(install, 'dist/bundle/main.js'), 'utf8'),
  dep: readFileSync(join(project, 'node_modules/zod/index.js'), 'utf8'),
  bin: readlinkSync(join(project, 'node_modules/.bin/ralex')),
  checkoutBuild: readFileSync(join(checkout, 'dist/bundle/main.js'), 'utf8'),
});

beforeAll(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-own-code-')));
  project = join(base, 'project');
  install = join(project, 'node_modules', 'ralex');
  mkdirSync(join(install, 'dist', 'bundle'), { recursive: true });
  mkdirSync(join(project, 'node_modules', 'zod'), { recursive: true });
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  mkdirSync(join(project, 'src'));
  writeFileSync(join(install, 'package.json'), '{"name":"ralex","bin":{"ralex":"dist/bundle/main.js"}}\n');
  writeFileSync(join(install, 'dist/bundle/main.js'), ORIGINAL);
  writeFileSync(join(project, 'node_modules/zod/index.js'), 'module.exports = {};\n');
  symlinkSync('../ralex/dist/bundle/main.js', join(project, 'node_modules/.bin/ralex'));
  writeFileSync(join(project, 'src/app.js'), 'export {};\n');
  writeFileSync(join(project, '.gitignore'), 'node_modules/\n');
  execFileSync('git', ['init', '-q', project]);
  // Ralex's own checkout as the project: its build in dist/, ignored by git.
  checkout = join(base, 'checkout');
  mkdirSync(join(checkout, 'dist', 'bundle'), { recursive: true });
  mkdirSync(join(checkout, 'node_modules', 'zod'), { recursive: true });
  writeFileSync(
    join(checkout, 'package.json'),
    '{"name":"ralex","scripts":{"build":"mkdir -p dist/bundle && echo built > dist/bundle/main.js"}}\n',
  );
  writeFileSync(join(checkout, 'dist/bundle/main.js'), ORIGINAL);
  execFileSync('git', ['init', '-q', checkout]);
  policy = await createPolicy({
    projectRoot: project,
    rules: emptySecurityRules(),
    ralexInstalls: [install],
  });
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Runs `command` in the real sandbox of `dir`, with `running` as the running Ralex's install. */
const sandboxed = (command: string, dir: string, running: string) =>
  runProcess({
    command,
    cwd: dir,
    timeoutMs: 30_000,
    sandbox: { projectDir: dir, ralexInstalls: [running] },
  });

describe('the agent never rewrites the Ralex that runs it', () => {
  it('denies its tools writing Ralex, its packages or its command link', () => {
    for (const [tool, path] of [
      ['write_file', 'node_modules/ralex/dist/bundle/main.js'],
      ['edit_file', 'node_modules/ralex/dist/bundle/main.js'],
      ['write_file', 'node_modules/zod/index.js'],
      ['delete_file', 'node_modules/.bin/ralex'],
      ['write_file', './src/../node_modules/ralex/package.json'],
    ] as const) {
      const args =
        tool === 'edit_file' ? { path, old_text: 'ralex', new_text: 'pwned' } : { path, content: 'pwned' };
      const d = policy.checkTool(tool, args);
      expect(d, `${tool} ${path}`).toMatchObject({ decision: 'deny', rule: 'hard:ralex-code' });
      expect(d.reason).toMatch(/outside the sandbox/);
    }
    expect(policy.checkTool('write_file', { path: 'src/app.js', content: 'x' }).decision).toBe('allow');
    expect(policy.checkPath('node_modules/ralex/dist/bundle/main.js', { write: false }).decision).toBe(
      'allow',
    );
  });

  it('denies shell commands that write there', async () => {
    await policy.ready();
    for (const command of [
      'echo pwned > node_modules/ralex/dist/bundle/main.js',
      'cp src/app.js node_modules/zod/index.js',
      'ln -sf ../../src/app.js node_modules/.bin/ralex',
    ]) {
      expect(policy.checkShell(command).decision, command).toBe('deny');
    }
  });

  it('keeps them read-only in the sandbox, however the command writes', async () => {
    const before = files();
    const r = await sandboxed(
      [
        'echo pwned > node_modules/ralex/dist/bundle/main.js',
        'printf pwned >> node_modules/zod/index.js',
        'ln -sf ../../src/app.js node_modules/.bin/ralex',
        'rm -rf node_modules/ralex',
        'mv node_modules node_modules.old',
        'echo done',
      ].join('; '),
      project,
      install,
    );
    expect(r.sandboxed).toBe(true);
    expect(r.stdout).toContain('done');
    expect(files()).toEqual(before);
    expect(files().main).toBe(ORIGINAL);
    expect(existsSync(join(project, 'node_modules.old'))).toBe(false);
  });

  it("lets the test runners' caches and the project's own files be written", async () => {
    const r = await sandboxed(
      'echo cached > node_modules/.vite/results.json && echo code > src/new.js',
      project,
      install,
    );
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(project, 'node_modules/.vite/results.json'), 'utf8')).toBe('cached\n');
    expect(readFileSync(join(project, 'src/new.js'), 'utf8')).toBe('code\n');
  });

  it("in Ralex's own checkout, a build inside the sandbox runs but never reaches the host's dist", async () => {
    const before = files();
    const r = await sandboxed('npm run build --silent && cat dist/bundle/main.js', checkout, checkout);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('built');
    expect(files()).toEqual(before);
    const checkoutPolicy = await createPolicy({
      projectRoot: checkout,
      rules: emptySecurityRules(),
      ralexInstalls: [checkout],
    });
    expect(checkoutPolicy.checkPath('dist/bundle/main.js', { write: true }).rule).toBe('hard:ralex-code');
    expect(checkoutPolicy.checkPath('package.json', { write: true }).decision).toBe('allow');
  });
});

describe('found from the running code itself, without being told', () => {
  const repo = realpathSync(join(dirname(fileURLToPath(import.meta.url)), '..'));

  it("with Ralex's checkout as the project, its build and packages are out of the agent's reach", async () => {
    const own = await createPolicy({ projectRoot: repo, rules: emptySecurityRules() });
    expect(own.checkPath('dist/bundle/main.js', { write: true }).rule).toBe('hard:ralex-code');
    expect(own.checkPath('node_modules/zod/package.json', { write: true }).rule).toBe('hard:ralex-code');
    expect(own.checkPath('src/policy/ralex-code.ts', { write: true }).decision).toBe('allow');
    const { args } = buildBubblewrapArgs({
      command: 'true',
      cwd: repo,
      sandbox: resolveSandboxOptions({ projectDir: repo }),
    });
    const joined = args.join(' ');
    expect(joined).toContain(`--ro-bind ${repo}/node_modules ${repo}/node_modules`);
    expect(joined).toContain(`--tmpfs ${repo}/dist`);
    // After the project's writable bind, or the bind would undo them.
    expect(joined.indexOf(`--tmpfs ${repo}/dist`)).toBeGreaterThan(joined.indexOf(`--bind ${repo} ${repo}`));
  });
});
