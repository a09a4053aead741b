import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleProject } from './fixtures/sample-projects.js';
import { type ScriptedModelServer, startScriptedModelServer } from './fixtures/scripted-model-server.js';
import { createTempGitRepo, type TempGitRepo } from './fixtures/temp-git-repo.js';
import { RALEX_BIN, runCli } from './helpers/run-cli.js';

let repo: TempGitRepo;
let model: ScriptedModelServer;
afterEach(async () => {
  await model?.close();
  await repo?.cleanup();
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('crash safety', () => {
  it('rolls back the half-applied change of a command killed with SIGKILL, at the next start', async () => {
    repo = await createTempGitRepo({ files: { ...sampleProject(), '.gitignore': '.ralex/state/\n' } });
    await repo.write(
      'src/user_auth.js',
      `${await repo.read('src/user_auth.js')}// the user's own uncommitted line\n`,
    );
    model = await startScriptedModelServer({
      models: ['m'],
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'src/partial.js', content: 'half\n' } }] },
        { stallMs: 60_000, text: 'never arrives' },
      ],
    });
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: 'x',
    };
    const child = spawn(
      process.execPath,
      [RALEX_BIN, 'run', 'implement a partial feature', '--project', repo.dir],
      { env, stdio: 'ignore' },
    );
    await until(() => existsSync(join(repo.dir, 'src/partial.js')), 20_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(existsSync(join(repo.dir, 'src/partial.js'))).toBe(true);

    const status = await runCli(['status', '--json', '--project', repo.dir], { env });
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout);
    expect(report.recovered).toEqual([
      expect.objectContaining({
        text: 'implement a partial feature',
        action: 'restored',
        files: ['src/partial.js'],
      }),
    ]);
    expect(existsSync(join(repo.dir, 'src/partial.js'))).toBe(false);
    expect(await repo.read('src/user_auth.js')).toContain("// the user's own uncommitted line");
    expect(report.recentCommands[0]).toMatchObject({ text: 'implement a partial feature', status: 'failed' });
    // Recovery happens once: the next start finds nothing more to do.
    const again = JSON.parse((await runCli(['status', '--json', '--project', repo.dir], { env })).stdout);
    expect(again.recovered).toEqual([]);
  }, 90_000);

  it('keeps what the user edited after the crash: only what the command wrote and nobody touched since goes back', async () => {
    repo = await createTempGitRepo({ files: { ...sampleProject(), '.gitignore': '.ralex/state/\n' } });
    const readme = await repo.read('README.md');
    model = await startScriptedModelServer({
      models: ['m'],
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'src/partial.js', content: 'half\n' } }] },
        { toolCalls: [{ name: 'write_file', arguments: { path: 'src/other.js', content: 'other\n' } }] },
        {
          toolCalls: [
            {
              name: 'edit_file',
              arguments: { path: 'README.md', old_text: '# sample-app', new_text: '# agent' },
            },
          ],
        },
        { stallMs: 60_000, text: 'never arrives' },
      ],
    });
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: 'x',
    };
    const child = spawn(
      process.execPath,
      [RALEX_BIN, 'run', 'implement a partial feature', '--project', repo.dir],
      { env, stdio: 'ignore' },
    );
    await until(
      () =>
        existsSync(join(repo.dir, 'README.md')) &&
        readFileSync(join(repo.dir, 'README.md'), 'utf8').startsWith('# agent'),
      20_000,
    );
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    // After the crash, before Ralex starts again, the user goes on working.
    await repo.write('src/partial.js', 'half\nmy own continuation\n');
    await repo.write('notes.txt', 'mine\n');

    const status = await runCli(['status', '--json', '--project', repo.dir], { env });
    const report = JSON.parse(status.stdout);
    console.log('REPORT', JSON.stringify(report.recovered), status.stderr);
    expect(report.recovered).toEqual([
      expect.objectContaining({
        action: 'restored',
        files: ['README.md', 'src/other.js'],
        keptFiles: [{ path: 'src/partial.js', reason: 'edited after the agent' }],
      }),
    ]);
    expect(await repo.read('README.md')).toBe(readme);
    expect(existsSync(join(repo.dir, 'src/other.js'))).toBe(false);
    expect(await repo.read('src/partial.js')).toBe('half\nmy own continuation\n');
    expect(await repo.read('notes.txt')).toBe('mine\n');
  }, 90_000);
});
