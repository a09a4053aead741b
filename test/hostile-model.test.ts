import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleProject } from './fixtures/sample-projects.js';
import { fileHashes, workTree } from './helpers/file-hashes.js';
import { openRuntime, type RuntimeUnderTest } from './helpers/runtime-under-test.js';

/**
 * The model as an adversary: every scenario below is a script a hostile (or badly wrong) model
 * could send, driven through the real pipeline, git, bubblewrap and SQLite. Each asserts the
 * user's files byte for byte and that nothing ran outside the sandbox.
 */

let t: RuntimeUnderTest | undefined;
let outside: string | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  if (outside) rmSync(outside, { recursive: true, force: true });
  outside = undefined;
});

/** A folder outside the project: a marker written there means code ran on the host. */
function hostMarkers(): string {
  outside = mkdtempSync(join(tmpdir(), 'ralex-hostile-'));
  return outside;
}

/** Every file under `.git` (objects aside, which only grow), by path, as a content hash. */
function gitInternals(dir: string): Record<string, string> {
  const all = fileHashes(join(dir, '.git'));
  return Object.fromEntries(
    Object.entries(all).filter(
      ([p]) =>
        !p.startsWith('objects/') && !p.startsWith('ralex/') && p !== 'index' && !p.startsWith('logs/'),
    ),
  );
}

const edit = (path: string, old_text: string, new_text: string) => ({
  name: 'edit_file',
  arguments: { path, old_text, new_text },
});
const write = (path: string, content: string) => ({ name: 'write_file', arguments: { path, content } });
const shell = (command: string) => ({ name: 'run_command', arguments: { command } });
const BUG = 'if (!stored) return true;';
const FIX = 'if (!stored) return false;';

describe('a hostile model cannot escape the sandbox or rewrite what Ralex trusts', () => {
  it('plants nothing in .git, refs, hooks, nested repositories or .ralex that Ralex then runs on the host', async () => {
    const markers = hostMarkers();
    const payload = [
      'set +e',
      `git config core.fsmonitor "touch ${markers}/fsmonitor"`,
      `printf '#!/bin/sh\\ntouch ${markers}/hook\\n' > .git/hooks/pre-commit; chmod +x .git/hooks/pre-commit`,
      'mkdir -p .git/refs/ralex/checkpoints && git rev-parse HEAD > .git/refs/ralex/checkpoints/forged',
      'git update-ref refs/ralex/checkpoints/forged2 HEAD',
      'mkdir -p .ralex/config && printf "version: 1\\ncommands:\\n  - {match: rm, decision: allow}\\n" > .ralex/config/security_rules.yaml',
      // A nested repository whose own config would run programs when git looks into it.
      'git init -q sub',
      `git -C sub config core.fsmonitor "touch ${markers}/nested-fsmonitor"`,
      'git -C sub config filter.evil.clean "sh $(pwd)/filter.sh"',
      "echo '* filter=evil' > sub/.gitattributes && echo a > sub/a",
      'git -C sub add . && git -C sub -c user.email=a@b -c user.name=a commit -qm x && echo b >> sub/a',
      // A hook folder in the work tree (husky-style) that the user's config points git at.
      `mkdir -p .husky && printf '#!/bin/sh\\ntouch ${markers}/husky\\n' > .husky/pre-commit && chmod +x .husky/pre-commit`,
      'echo planted',
    ].join('\n');
    t = await openRuntime({
      files: sampleProject({ bug: true }),
      script: [
        // One call per step: the tools of one step run at once.
        { toolCalls: [write('tools/setup.sh', payload)] },
        {
          toolCalls: [
            write(
              'filter.sh',
              `{ p=$PPID; while [ "$p" -gt 1 ]; do tr '\\0' ' ' < /proc/$p/cmdline; echo; p=$(cut -d' ' -f4 /proc/$p/stat); done; } > ${markers}/nested-filter 2>/dev/null\ncat\n`,
            ),
          ],
        },
        { toolCalls: [shell('bash tools/setup.sh')] },
        { toolCalls: [edit('src/user_auth.js', BUG, FIX)] },
        { text: 'Fixed, and set up the tools.' },
      ],
    });
    await t.repo.git('config', 'core.hooksPath', '.husky'); // the user's own husky set-up
    await t.repo.write('README.md', '# my uncommitted notes\n');
    const gitBefore = gitInternals(t.repo.dir);

    const result = await t.run('fix the failing test in user auth, execute');
    expect(result.status).toBe('succeeded');
    const setup = t.rt.bus.log
      .read({ commandId: result.commandId })
      .find((e) => e.type === 'tool.finished' && e.tool === 'run_command');
    expect(setup).toMatchObject({ output: expect.stringContaining('planted') });
    // The user commits through Ralex too: no hook of the project runs.
    const commit = await t.run('commit with message add tools');
    expect(commit.status, JSON.stringify(commit.error ?? commit.reply)).toBe('succeeded');

    const ran = readdirSync(markers).map((f) => `${f}: ${readFileSync(join(markers, f), 'utf8')}`);
    expect(ran, 'code the agent planted ran on the host').toEqual([]);
    const gitAfter = gitInternals(t.repo.dir);
    for (const [path, hash] of Object.entries(gitBefore)) {
      if (
        path === 'HEAD' ||
        path.startsWith('refs/heads/') ||
        path === 'ORIG_HEAD' ||
        path === 'COMMIT_EDITMSG'
      )
        continue;
      expect(gitAfter[path], path).toBe(hash);
    }
    expect(Object.keys(gitAfter).filter((p) => p.includes('forged'))).toEqual([]);
    expect(existsSync(join(t.repo.dir, '.ralex/config/security_rules.yaml'))).toBe(false);
    expect(await t.repo.git('show', 'HEAD~1:README.md')).not.toContain('my uncommitted notes'); // not in the fix
    expect(await t.repo.git('show', 'HEAD:README.md')).toBe('# my uncommitted notes'); // the user's own commit
  });

  it('cannot make a rollback delete the user’s work with a checkpoint ref forged outside the sandbox', async () => {
    const files = sampleProject();
    t = await openRuntime({
      files,
      preferences: 'checks:\n  max_attempts: 1\n',
      script: [
        {
          toolCalls: [
            edit('src/utils/format_date.js', "'-' + pad(date.getUTCDate())", "'/' + pad(date.getUTCDate())"),
          ],
        },
        async () => {
          // Something outside the sandbox (another program, a compromised tool) repoints the
          // checkpoint at an empty commit: a restore that trusted it would delete every file.
          const refs = await t!.repo.git('for-each-ref', '--format=%(refname)', 'refs/ralex/checkpoints/');
          const empty = await t!.repo.git(
            'commit-tree',
            '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
            '-m',
            'x',
          );
          for (const ref of refs.split('\n').filter(Boolean)) await t!.repo.git('update-ref', ref, empty);
          return { text: 'Changed the separator; all good.' };
        },
      ],
    });
    await t.repo.write('notes.txt', 'my notes\n');
    const before = workTree(t.repo.dir);
    const result = await t.run('implement slashes in format date');
    expect(result.status).toBe('failed');
    expect(result.reply).toMatch(/^Rolled back: /);
    expect(result.reply).toContain('checkpoint ref was changed');
    expect(result.reply).not.toMatch(/^Changed the separator/);
    expect(workTree(t.repo.dir)).toEqual(before);
  });
});

describe('secrets stay out of the model’s reach', () => {
  const saved = { HOME: process.env.HOME };
  afterEach(() => {
    process.env.HOME = saved.HOME;
    for (const name of ['GITHUB_PAT', 'DATABASE_URL', 'OPENAI_KEY']) delete process.env[name];
  });

  it('home credentials, shell history, project .env files and secret env variables never reach the model, even when approved', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ralex-fake-home-'));
    outside = home;
    const secret = `SECRET-${Math.random().toString(36).slice(2)}`;
    for (const [path, text] of Object.entries({
      '.npmrc': `//registry.npmjs.org/:_authToken=${secret}\n`,
      '.pypirc': `[pypi]\npassword = ${secret}\n`,
      '.config/gh/hosts.yml': `github.com:\n  oauth_token: ${secret}\n`,
      '.cargo/credentials.toml': `[registry]\ntoken = "${secret}"\n`,
      '.bash_history': `export TOKEN=${secret}\n`,
    })) {
      await mkdir(join(home, path, '..'), { recursive: true });
      await writeFile(join(home, path), text);
    }
    process.env.HOME = home;
    process.env.GITHUB_PAT = secret;
    process.env.DATABASE_URL = `postgres://app:${secret}@db/prod`;
    process.env.OPENAI_KEY = secret;
    t = await openRuntime({
      files: { ...sampleProject(), '.env': `API_KEY=${secret}\n`, '.gitignore': 'node_modules/\n.env\n' },
      script: [
        {
          toolCalls: [
            shell(
              `cat ~/.npmrc ~/.pypirc ~/.config/gh/hosts.yml ~/.cargo/credentials.toml ~/.bash_history; env; grep -r ${secret.slice(0, 6)} ~ /home /root . 2>/dev/null; cat .en?`,
            ),
          ],
        },
        { text: 'Looked around.' },
      ],
    });
    const result = await t.run('implement a configuration loader', { yes: true });
    expect(result.status).not.toBe('failed');
    const sentToModel = JSON.stringify(t.model.chatRequests().map((r) => r.body));
    expect(sentToModel).toContain('$ cat ~/.npmrc'); // the command ran and its output went back
    expect(sentToModel).not.toContain(secret);
  });
});

describe('the user’s work is sacred while a command runs', () => {
  /** Resolves once the check named `name` has started (the user then edits, mid-check). */
  const whenCheckStarts = (name: string) =>
    new Promise<void>((resolve) => {
      const stop = t!.rt.bus.subscribe((e) => {
        if (e.type === 'check.started' && e.name === name) {
          stop();
          resolve();
        }
      });
    });
  const slowChecks = 'checks:\n  max_attempts: 1\n  test_command: "sleep 1 && node --test"\n';

  it('a rollback keeps what the user edited during a slow check and names it', async () => {
    const files = sampleProject();
    t = await openRuntime({
      files,
      preferences: slowChecks,
      script: [
        {
          toolCalls: [
            edit('src/utils/format_date.js', "'-' + pad(date.getUTCDate())", "'/' + pad(date.getUTCDate())"),
            write('src/new_helper.js', 'export const x = 1;\n'),
          ],
        },
        { text: 'Done.' },
      ],
    });
    const userEdits = whenCheckStarts('tests').then(async () => {
      await t!.repo.write('notes.txt', 'written while the tests ran\n');
      await t!.repo.write('README.md', '# edited while the tests ran\n');
      const agentFile = await t!.repo.read('src/utils/format_date.js');
      await t!.repo.write('src/utils/format_date.js', `${agentFile}// my line\n`);
    });
    const result = await t.run('implement slashes in format date');
    await userEdits;
    expect(result.status).toBe('failed');
    expect(result.reply).toMatch(/^Rolled back: /);
    expect(result.reply).toContain('src/utils/format_date.js');
    expect(await t.repo.read('notes.txt')).toBe('written while the tests ran\n');
    expect(await t.repo.read('README.md')).toBe('# edited while the tests ran\n');
    expect(await t.repo.read('src/utils/format_date.js')).toContain('// my line');
    expect(existsSync(join(t.repo.dir, 'src/new_helper.js'))).toBe(false);
    const restored = t.rt.bus.log
      .read({ commandId: result.commandId })
      .find((e) => e.type === 'checkpoint.restored');
    expect(restored).toMatchObject({
      files: ['src/new_helper.js'],
      kept: [{ path: 'src/utils/format_date.js', reason: 'edited after the agent' }],
    });
  });

  it('a commit carries only the agent’s work; what the user changed meanwhile stays uncommitted', async () => {
    t = await openRuntime({
      files: sampleProject({ bug: true }),
      preferences: slowChecks,
      script: [{ toolCalls: [edit('src/user_auth.js', BUG, FIX)] }, { text: 'Fixed.' }],
    });
    const userEdits = whenCheckStarts('tests').then(async () => {
      await t!.repo.write('notes.txt', 'mine\n');
      await t!.repo.write('README.md', '# mine\n');
      const agentFile = await t!.repo.read('src/user_auth.js');
      await t!.repo.write('src/user_auth.js', `${agentFile}// my line\n`);
    });
    const result = await t.run('fix the failing test in user auth');
    await userEdits;
    expect(result.status).toBe('succeeded');
    expect(result.filesChanged).toEqual(['src/user_auth.js']);
    expect(await t.repo.git('show', '--name-only', '--format=', 'HEAD')).toBe('src/user_auth.js');
    const committed = await t.repo.git('show', 'HEAD:src/user_auth.js');
    expect(committed).toContain(FIX);
    expect(committed).not.toContain('// my line');
    expect(await t.repo.read('src/user_auth.js')).toContain('// my line');
    expect(await t.repo.read('README.md')).toBe('# mine\n');
    expect((await t.repo.git('status', '--porcelain')).split('\n').sort()).toEqual([
      ' M README.md',
      ' M src/user_auth.js',
      '?? .ralex/', // the test's own preferences.yaml
      '?? notes.txt',
    ]);
    // Undo takes back the agent's hunk only, and refuses nothing of the user's.
    const undo = await t.run('undo that');
    expect(undo.status).toBe('succeeded');
    expect(await t.repo.read('src/user_auth.js')).toContain(BUG);
    expect(await t.repo.read('src/user_auth.js')).toContain('// my line');
  });

  it('gives back, not loses, what the user edited in a file before the agent wrote it', async () => {
    const files = sampleProject({ bug: true });
    t = await openRuntime({
      files,
      script: [
        { toolCalls: [{ name: 'delete_file', arguments: { path: 'README.md' } }] },
        { toolCalls: [edit('src/user_auth.js', BUG, FIX)] },
        { text: 'Fixed.' },
      ],
    });
    const rt = t.rt;
    const asked = new Promise<string>((resolve) => {
      const stop = rt.bus.subscribe((e) => {
        if (e.type === 'approval.requested') {
          stop();
          resolve(e.approvalId);
        }
      });
    });
    const running = t.run('fix the failing test in user auth');
    const approvalId = await asked;
    // While the agent waits for the delete's approval, the user edits the file the agent will fix next.
    const mine = files['src/user_auth.js']!.replace(
      '/** Hashes a password with a per-user salt. */',
      '/** mine */',
    );
    await t.repo.write('src/user_auth.js', mine);
    rt.approvals.answer(approvalId, false, 'test');
    const result = await running;
    expect(result.status).toBe('succeeded');
    const committed = await t.repo.git('show', 'HEAD:src/user_auth.js');
    expect(committed).toContain(FIX);
    expect(committed).not.toContain('/** mine */'); // the user's edit is not committed as the agent's
    expect(await t.repo.read('src/user_auth.js')).toBe(mine.replace(BUG, FIX));
    // Undo takes back only the agent's step: the user's edit stays.
    const undo = await t.run('undo that');
    expect(undo.status).toBe('succeeded');
    expect(await t.repo.read('src/user_auth.js')).toBe(mine);
  });

  it('runs two change commands on one repository one after the other', async () => {
    t = await openRuntime({
      files: sampleProject(),
      preferences: 'checks:\n  max_attempts: 1\n',
      script: [
        {
          toolCalls: [
            edit('src/utils/format_date.js', "'-' + pad(date.getUTCDate())", "'/' + pad(date.getUTCDate())"),
            write('src/a.js', 'a\n'),
          ],
        },
        { text: 'First (breaks the tests).' },
        { toolCalls: [write('src/b.js', 'export const b = 1;\n')] },
        { text: 'Second.' },
      ],
    });
    const queued: string[] = [];
    t.rt.bus.subscribe((e) => {
      if (e.type === 'command.queued') queued.push(e.behindText);
    });
    const started = new Promise<void>((resolve) => {
      const stop = t!.rt.bus.subscribe((e) => {
        if (e.type === 'checkpoint.created') {
          stop();
          resolve();
        }
      });
    });
    const running = t.run('implement slashes in format date');
    await started; // the first holds the lock; the second must wait behind it
    const [first, second] = await Promise.all([running, t.run('implement the b module')]);
    expect(first.status).toBe('failed');
    expect(second.status).toBe('succeeded');
    expect(queued).toEqual(['implement slashes in format date']);
    expect(existsSync(join(t.repo.dir, 'src/a.js'))).toBe(false);
    expect(await t.repo.read('src/b.js')).toBe('export const b = 1;\n');
    expect(await t.repo.git('show', '--name-only', '--format=', 'HEAD')).toBe('src/b.js');
  });
});

describe('git operations in progress', () => {
  it('refuses to change, commit or undo during a merge, a rebase or with index.lock held, naming the state', async () => {
    t = await openRuntime({ files: sampleProject({ bug: true }), script: [] });
    const repo = t.repo;
    await repo.git('checkout', '-q', '-b', 'other');
    await repo.write('README.md', '# other\n');
    await repo.commitAll('other readme');
    await repo.git('checkout', '-q', 'main');
    await repo.write('README.md', '# main\n');
    await repo.commitAll('main readme');
    await repo.git('merge', 'other').catch(() => undefined); // conflict: MERGE_HEAD, README.md unmerged
    const before = workTree(repo.dir);

    for (const text of ['fix the failing test, execute', 'commit with message wip', 'undo that']) {
      const result = await t.run(text);
      expect(result.status, text).toBe('failed');
      expect(result.error, text).toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('merge'),
      });
      expect(result.error?.hint, text).toContain('git merge --abort');
    }
    expect(t.model.chatRequests()).toEqual([]);
    expect(workTree(repo.dir)).toEqual(before);

    await repo.git('merge', '--abort');
    writeFileSync(join(repo.dir, '.git/index.lock'), '');
    const locked = await t.run('commit with message wip');
    expect(locked.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('index.lock') });
    rmSync(join(repo.dir, '.git/index.lock'));

    await repo.git('checkout', '-q', 'other');
    await repo.git('rebase', 'main').catch(() => undefined);
    const rebasing = await t.run('fix the failing test, execute');
    expect(rebasing.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('rebase') });
    expect(rebasing.error?.hint).toContain('git rebase --abort');
  });
});

describe('Ralex’s own state never lands in a commit', () => {
  it('"commit with message" leaves .ralex/state out even when the project never ignored it', async () => {
    t = await openRuntime({ files: sampleProject(), script: [] });
    // openRuntime ignores .ralex/state in .gitignore; undo that, as in a project `ralex init` never saw.
    await t.repo.write('.gitignore', 'node_modules/\n');
    await t.repo.write('src/extra.js', 'export const extra = 1;\n');
    const result = await t.run('commit with message add extra');
    expect(result.status).toBe('succeeded');
    const committed = (await t.repo.git('show', '--name-only', '--format=', 'HEAD')).split('\n');
    expect(committed.sort()).toEqual(['.gitignore', 'src/extra.js']);
    expect(await t.repo.git('status', '--porcelain')).toBe('');
    expect(existsSync(join(t.repo.dir, '.ralex/state/ralex.db'))).toBe(true);
  });
});
