import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempGitRepo, type TempGitRepo } from './fixtures/temp-git-repo.js';
import { runCli } from './helpers/run-cli.js';

let repo: TempGitRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

describe('ralex CLI', () => {
  it('prints its version and help for every command', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    for (const command of [
      'serve',
      'run',
      'init',
      'doctor',
      'status',
      'undo',
      'redo',
      'policy',
      'audit',
      'transcribe',
      'trust',
    ]) {
      const help = await runCli([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain(`Usage: ralex ${command}`);
    }
  });

  it('rejects an unknown command with a usage error', async () => {
    const run = await runCli(['fly']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'fly'");
  });

  it('runs a direct command with no provider, streaming JSON lines and nothing else on stdout', async () => {
    repo = await createTempGitRepo({ files: { 'README.md': '# demo\n' } });
    await repo.write('notes.txt', 'new file\n');
    const run = await runCli(['run', 'what changed', '--json', '--project', repo.dir]);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      type: 'event',
      event: { type: 'command.accepted', text: 'what changed' },
    });
    const result = lines.at(-1);
    expect(result.type).toBe('result');
    expect(result.result).toMatchObject({
      status: 'succeeded',
      intent: 'what_changed',
      files: ['notes.txt'],
    });
  });

  it('prints progress on stderr and the answer on stdout', async () => {
    repo = await createTempGitRepo({ files: { 'README.md': '# demo\n', 'src/a.js': '1\n' } });
    const run = await runCli(['run', 'list files', '--project', repo.dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('src/');
    expect(run.stderr).toMatch(/parse\s+\d+ ms/);
  });

  it('says how to configure a model when a command needs one', async () => {
    repo = await createTempGitRepo();
    const run = await runCli(['run', 'explain the readme', '--project', repo.dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('OPENAI_API_KEY');
    expect(run.stderr).toContain('OLLAMA_HOST');
  });

  it('explains what to do in a directory that is not a git repository', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-nogit-')));
    try {
      const run = await runCli(['run', 'what changed', '--project', dir]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('is not a git repository');
      expect(run.stderr).toContain('ralex init');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops on an invalid preferences.yaml, naming the file, the key and the fix', async () => {
    repo = await createTempGitRepo();
    await mkdir(join(repo.dir, '.ralex/config'), { recursive: true });
    writeFileSync(
      join(repo.dir, '.ralex/config/preferences.yaml'),
      'server:\n  port: "eighty"\nmodels:\n  defualt: x\n',
    );
    const run = await runCli(['run', 'what changed', '--project', repo.dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('.ralex/config/preferences.yaml');
    expect(run.stderr).toContain('server.port');
    expect(run.stderr).toContain('"defualt"');
    expect(run.stderr).toContain('ralex init');
    const json = await runCli(['run', 'what changed', '--json', '--project', repo.dir]);
    expect(JSON.parse(json.stdout).error.code).toBe('invalid_config');
  });

  it('init sets up a plain directory: git, commented config, .gitignore — and is safe to repeat', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ralex-init-')));
    try {
      const first = await runCli(['init', '--project', dir]);
      expect(first.code).toBe(0);
      expect(existsSync(join(dir, '.git'))).toBe(true);
      expect(readFileSync(join(dir, '.ralex/config/preferences.yaml'), 'utf8')).toContain(
        '# Ralex preferences',
      );
      expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('.ralex/state/');
      const second = await runCli(['init', '--project', dir]);
      expect(second.stdout).toContain('nothing changed');
      expect(readFileSync(join(dir, '.gitignore'), 'utf8').match(/\.ralex\/state\//g)).toHaveLength(1);
      const status = await runCli(['status', '--json', '--project', dir]);
      expect(JSON.parse(status.stdout)).toMatchObject({ project: dir, providers: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('doctor reports each part and exits 0 when nothing fails', async () => {
    repo = await createTempGitRepo();
    const run = await runCli(['doctor', '--json', '--project', repo.dir]);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(true);
    expect(run.code).toBe(0);
    const checks = report.findings.map((f: { check: string }) => f.check);
    expect(checks).toEqual(
      expect.arrayContaining(['node', 'git', 'project', 'config', 'store', 'models', 'sandbox']),
    );
  });
});
