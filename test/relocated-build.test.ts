import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The built Ralex runs from wherever its build is copied: the Docker image builds in /src and
 * runs from /opt/ralex, an npm package is built on one machine and installed on another. The
 * bundle once baked the build directory's absolute path into each module's `import.meta.url`, so
 * a copy read its prompts, standards and grammars from a folder that no longer existed.
 */
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
let base: string;
let copy: string;
let project: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'ralex-relocated-'));
  copy = join(base, 'opt', 'ralex');
  mkdirSync(join(copy, 'web'), { recursive: true });
  cpSync(join(repo, 'package.json'), join(copy, 'package.json'));
  cpSync(join(repo, 'dist'), join(copy, 'dist'), { recursive: true });
  cpSync(join(repo, 'web', 'dist'), join(copy, 'web', 'dist'), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
  project = join(base, 'project');
  mkdirSync(join(project, 'src'), { recursive: true });
  writeFileSync(join(project, 'src/app.py'), 'def add(a, b):\n    return a + b\n');
  writeFileSync(
    join(project, 'src/test_app.py'),
    'from src.app import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n',
  );
  const git = (...args: string[]) => execFileSync('git', args, { cwd: project, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'init');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('a copy of the build', () => {
  it('holds no path of the directory it was built in', () => {
    const built = pathToFileURL(repo).href;
    for (const name of readdirSync(join(repo, 'dist', 'bundle')).filter((n) => /\.(c?js)$/.test(n)))
      expect(readFileSync(join(repo, 'dist', 'bundle', name), 'utf8').includes(built), name).toBe(false);
  });

  /** Runs the copy's `ralex` in `cwd` with an empty folder over the original dist/ (bubblewrap). */
  const copied = (cwd: string, ...args: string[]): string =>
    execFileSync(
      'bwrap',
      ['--dev-bind', '/', '/', '--tmpfs', join(repo, 'dist'), '--chdir', cwd, '--'].concat(
        process.execPath,
        join(copy, 'dist/bundle/main.js'),
        args,
      ),
      { env: { PATH: process.env.PATH, HOME: base, RALEX_NO_SERVER: '1' }, encoding: 'utf8' },
    );

  it('runs with the original build hidden: its standards, grammars and tokenizer found beside it', () => {
    const pack = JSON.parse(copied(project, 'context', '--json', 'fix the add function in src/app.py')) as {
      items: { kind: string; ref?: string; path?: string; tokens: number }[];
    };
    const refs = pack.items.map((i) => `${i.kind}:${i.path ?? i.ref}`);
    expect(refs).toContain('file:src/app.py');
    expect(refs).toContain('standards:builtin:python');
    expect(pack.items.every((i) => i.tokens > 0)).toBe(true);
    const version = copied(base, '--version');
    expect(version.trim()).toBe(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version);
  });
});
