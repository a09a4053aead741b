import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../src/pipeline/pipeline.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { sampleProject } from './fixtures/sample-projects.js';
import { createTempGitRepo, type TempGitRepo } from './fixtures/temp-git-repo.js';

let repo: TempGitRepo;
let rt: Runtime;
afterEach(async () => {
  await rt?.close();
  await repo?.cleanup();
});

/** A runtime over a temp repo with no model provider: only direct commands can work. */
async function open(files: Record<string, string>, preferences?: string, commit = true) {
  repo = await createTempGitRepo({ files, commit });
  if (preferences) await repo.write('.ralex/config/preferences.yaml', preferences);
  rt = await createRuntime({ projectDir: repo.dir, env: { PATH: process.env.PATH }, probeOllama: false });
  return (text: string) => runCommand({ text, source: 'cli' }, rt);
}

describe('direct commands need no model', () => {
  it('runs the project tests and reports them passing', async () => {
    const run = await open(sampleProject());
    const result = await run('run the tests');
    expect(result).toMatchObject({ status: 'succeeded', intent: 'run_tests', model: null });
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]).toMatchObject({ name: 'tests', command: 'npm test', ok: true, exitCode: 0 });
    expect(result.spoken).toBe('The tests passed.');
  });

  it('reports a failing test with its output', async () => {
    const run = await open(sampleProject({ bug: true }));
    const result = await run('run the tests, go ahead');
    expect(result.checks[0]!.ok).toBe(false);
    expect(result.reply).toContain('rejects a wrong password and an unknown user');
    expect(result.spoken).toBe('The tests failed.');
  });

  it('stops tests that run past the time limit', async () => {
    const run = await open(
      { 'package.json': JSON.stringify({ scripts: { test: 'node -e "setInterval(() => {}, 1000)"' } }) },
      'checks:\n  timeout_ms: 1500\n',
    );
    const started = Date.now();
    const result = await run('run the tests');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.checks[0]).toMatchObject({ ok: false, timedOut: true });
    expect(result.reply).toContain('timed out after 2 s');
  });

  it('shows a file named the way it is spoken', async () => {
    const run = await open(sampleProject());
    const result = await run('show me user auth dot js');
    expect(result).toMatchObject({ status: 'succeeded', intent: 'show_file', files: ['src/user_auth.js'] });
    expect(result.reply).toContain('export function authenticate');
  });

  it('asks back when two files fit', async () => {
    const run = await open({ 'src/config.js': '1\n', 'test/config.js': '2\n' });
    const result = await run('show config dot js');
    expect(result.status).toBe('needs_input');
    expect(result.reply).toContain('src/config.js');
    expect(result.reply).toContain('test/config.js');
  });

  it('lists files by folder', async () => {
    const run = await open(sampleProject());
    const result = await run('list files');
    expect(result.reply).toContain('`src/` (3 files)');
    expect(result.reply).toContain('`package.json`');
  });

  it('refuses to show a file outside the project', async () => {
    const run = await open(sampleProject());
    const result = await run('show /etc/passwd');
    expect(['denied', 'failed']).toContain(result.status);
    expect(result.reply).not.toContain('root:x:0:0');
  });

  it('leaves Ralex\'s own session logs out of "what changed"', async () => {
    const run = await open(sampleProject());
    await run('list files'); // writes .ralex/sessions/<session>.md
    const result = await run('what changed');
    expect(result.reply).toContain('Nothing changed');
  });

  it('"what changed" lists the changed files with their diff against the last commit', async () => {
    const run = await open(sampleProject());
    await repo.write('src/user_auth.js', `${await repo.read('src/user_auth.js')}// reviewed\n`);
    await repo.write('notes.txt', 'draft\n');
    const result = await run('what changed');
    expect(result.files).toEqual(['src/user_auth.js', 'notes.txt']);
    expect(result.reply).toContain('2 files changed since the last commit');
    expect(result.reply).toContain('+// reviewed');
    expect(result.reply).toContain('1 new file is not tracked yet');
  });

  it('"what changed" before the first commit shows what is staged', async () => {
    const run = await open({ 'app.py': 'print(1)\n' }, undefined, false);
    await repo.git('add', 'app.py');
    const result = await run('what changed');
    expect(result.status).toBe('succeeded');
    expect(result.files).toEqual(['app.py']);
    expect(result.reply).toContain('+print(1)');
  });

  it('records every command and its events in the store', async () => {
    const run = await open(sampleProject());
    const result = await run('what changed');
    expect(result.reply).toContain('Nothing changed');
    const stored = rt.commands.get(result.commandId);
    expect(stored).toMatchObject({ status: 'succeeded', intent: 'what_changed' });
    const types = rt.bus.log.read({ commandId: result.commandId }).map((e) => e.type);
    expect(types[0]).toBe('command.accepted');
    expect(types.at(-1)).toBe('command.finished');
    expect(types.filter((t) => t === 'stage.skipped')).toHaveLength(3);
  });
});
