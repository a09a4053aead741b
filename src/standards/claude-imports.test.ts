import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy } from '../policy/policy.js';
import { importReferences } from './claude-imports.js';
import { loadStandards } from './load-standards.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const SECRET = 'sk-live-7f3a9c0d1b7e5a2f4c6d8e0a1b2c3d4e';

async function project(files: Record<string, string>, links: Record<string, string> = {}) {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'ralex-claude-')));
  dirs.push(base);
  const root = join(base, 'project');
  const home = join(base, 'home');
  // Outside the project: a "system" file and a secret in the home, which no import may reach.
  await mkdir(join(base, 'etc'), { recursive: true });
  await writeFile(join(base, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
  await mkdir(join(home, '.ssh'), { recursive: true });
  await writeFile(join(home, '.ssh', 'id_rsa'), `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET}\n`);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  for (const [path, target] of Object.entries(links)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await symlink(target.replace('$BASE', base).replace('$HOME', home), join(root, path));
  }
  const policy = await createPolicy({
    projectRoot: root,
    shellParser: 'on-demand',
    trustFile: join(base, 'trust.json'),
    home,
  });
  const loaded = await loadStandards({
    root,
    home,
    canRead: (p) => policy.checkPath(p, { write: false }).decision === 'allow',
    profile: 'default',
    builtin: false,
    agentOs: true,
    claude: true,
  });
  const all = loaded.standards.map((s) => s.content).join('\n');
  return { loaded, all, base };
}

describe('CLAUDE.md @imports stay inside the project and out of secrets', () => {
  it('reads a legitimate import (and its import), but refuses ../, absolute, ~/, .env and secret paths', async () => {
    const { loaded, all } = await project({
      'CLAUDE.md': [
        '# Project',
        'See @docs/testing.md for how we test.',
        'Also @../../etc/passwd and @../etc/passwd',
        'And @/etc/passwd, @~/.ssh/id_rsa, @.env and @config/credentials.json',
        'Mail me at dev@example.com (not an import).',
        '```',
        '@docs/never.md inside a code block is not an import',
        '```',
        'Nor is `@docs/never.md` in a code span.',
      ].join('\n'),
      'docs/testing.md': '# Testing\n\nUse vitest. More in @./deep.md\n',
      'docs/deep.md': '# Deep\n\nDeep rules.\n',
      'docs/never.md': '# Never\n\nMust not be read.\n',
      '.env': `API_KEY=${SECRET}\n`,
      'config/credentials.json': `{"key":"${SECRET}"}\n`,
    });
    const ids = loaded.standards.map((s) => s.id);
    expect(ids).toEqual(['claude-import:docs/testing.md', 'claude-import:docs/deep.md']);
    expect(loaded.standards[1]!.source).toBe('docs/deep.md (imported by CLAUDE.md → docs/testing.md)');
    expect(all).not.toContain('root:x:0:0');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain('Must not be read');
    expect(loaded.notes).toEqual(
      expect.arrayContaining([
        'CLAUDE.md imports @../../etc/passwd, which is outside the project: not read.',
        'CLAUDE.md imports @../etc/passwd, which is outside the project: not read.',
        'CLAUDE.md imports @/etc/passwd, which is outside the project: not read.',
        'CLAUDE.md imports @~/.ssh/id_rsa, which is in your home folder, outside the project: not read.',
        'CLAUDE.md imports @.env, which may hold secrets: not read.',
        'CLAUDE.md imports @config/credentials.json, which may hold secrets: not read.',
      ]),
    );
  });

  it('refuses an import, a rule and an Agent OS standard that are symlinks out of the project or to a secret', async () => {
    const { loaded, all } = await project(
      { 'CLAUDE.md': 'Rules: @docs/link.md and @docs/key.md\n', '.env': `TOKEN=${SECRET}\n` },
      {
        'docs/link.md': '$BASE/etc/passwd',
        'docs/key.md': '../.env',
        '.claude/rules/stolen.md': '$HOME/.ssh/id_rsa',
        'agent-os/standards/global/passwd.md': '$BASE/etc/passwd',
      },
    );
    expect(loaded.standards).toEqual([]);
    expect(all).not.toContain('root:x:0:0');
    expect(all).not.toContain(SECRET);
    expect(loaded.notes.join('\n')).toMatch(
      /CLAUDE\.md imports @docs\/link\.md: not read, the policy does not let it be read/,
    );
    expect(loaded.notes.join('\n')).toMatch(/CLAUDE\.md imports @docs\/key\.md: not read/);
    expect(loaded.notes.join('\n')).toMatch(/\.claude\/rules\/stolen\.md was not read/);
    expect(loaded.notes.join('\n')).toMatch(/agent-os\/standards\/global\/passwd\.md was not read/);
  });

  it('follows imports five deep and no further, and stops at a cycle', async () => {
    const files: Record<string, string> = { 'CLAUDE.md': '@d/1.md\n' };
    for (let i = 1; i <= 7; i++) files[`d/${i}.md`] = `# Level ${i}\n\nnext @${i + 1}.md and back @1.md\n`;
    const { loaded } = await project(files);
    expect(loaded.standards.map((s) => s.title)).toEqual([
      'Level 1',
      'Level 2',
      'Level 3',
      'Level 4',
      'Level 5',
    ]);
    expect(loaded.notes).toContain('d/5.md imports @6.md: imports are followed 5 deep; not read.');
  });

  it('cuts a huge import and a huge CLAUDE.local.md at 48 KiB, saying so, and never blocks on a FIFO or a device', async () => {
    const huge = `# Huge\n\n${'Always run the whole suite. '.repeat(40_000)}`; // ~1 MiB
    const base = await realpath(await mkdtemp(join(tmpdir(), 'ralex-fifo-')));
    dirs.push(base);
    const fifo = join(base, 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    const { loaded } = await project(
      {
        'CLAUDE.md': 'Read @docs/huge.md, @docs/pipe.md, @docs/zero.md and @docs\n',
        'docs/huge.md': huge,
        'CLAUDE.local.md': huge,
      },
      { 'docs/pipe.md': fifo, 'docs/zero.md': '/dev/zero' },
    );
    const imported = loaded.standards.find((s) => s.id === 'claude-import:docs/huge.md')!;
    expect(Buffer.byteLength(imported.content)).toBeLessThan(48 * 1024 + 200);
    expect(imported.content).toMatch(
      /… \(the rest of docs\/huge\.md \(imported by CLAUDE\.md\) is left out: over 48 KiB\)$/,
    );
    const local = loaded.standards.find((s) => s.source === 'CLAUDE.local.md')!;
    expect(Buffer.byteLength(local.content)).toBeLessThan(48 * 1024 + 200);
    expect(local.content).toMatch(/is left out: over 48 KiB\)$/);
    expect(loaded.standards.map((s) => s.id).sort()).toEqual([
      'claude-import:docs/huge.md',
      'claude-rules:CLAUDE.local.md',
    ]);
    // The FIFO is outside the project (refused by the policy); /dev/zero likewise; a folder is not a file.
    expect(loaded.notes.join('\n')).toMatch(/@docs\/pipe\.md: not read/);
    expect(loaded.notes.join('\n')).toMatch(/@docs\/zero\.md: not read/);
  });

  it('a FIFO inside the project is not read (it would block forever)', async () => {
    const { base } = await project({ 'CLAUDE.md': '# x\n' });
    const root = join(base, 'project');
    await writeFile(join(root, 'CLAUDE.md'), 'See @docs/pipe.md\n');
    await mkdir(join(root, 'docs'), { recursive: true });
    execFileSync('mkfifo', [join(root, 'docs', 'pipe.md')]);
    const policy = await createPolicy({
      projectRoot: root,
      shellParser: 'on-demand',
      trustFile: join(base, 'trust.json'),
      home: join(base, 'home'),
    });
    const loaded = await loadStandards({
      root,
      home: join(base, 'home'),
      canRead: (p) => policy.checkPath(p, { write: false }).decision === 'allow',
      profile: 'default',
      builtin: false,
      agentOs: true,
      claude: true,
    });
    expect(loaded.standards).toEqual([]);
    expect(loaded.notes).toContain('CLAUDE.md imports @docs/pipe.md: not read, it is not a regular file.');
  });

  it('finds references outside code only', () => {
    expect(importReferences('a @x.md, b (@y/z.md) me@host.com\n`@no.md`\n```\n@no2.md\n```\n')).toEqual([
      'x.md',
      'y/z.md',
    ]);
  });
});
