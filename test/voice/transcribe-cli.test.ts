import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerTranscribeCommand } from '../../src/cli/commands/transcribe.js';
import { SAMPLE_FILES, VOICES } from './sample-project.js';
import { spokenWav } from './speech-fixtures.js';

/** A git project holding the sample files, and a spoken command saved as a WAV. */
function sampleProject(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ralex-transcribe-cli-'));
  for (const file of SAMPLE_FILES) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
  }
  execFileSync('git', ['init', '-q'], { cwd: root });
  return root;
}

async function run(...args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    const program = new Command().exitOverride();
    registerTranscribeCommand(program);
    await program.parseAsync(['node', 'ralex', 'transcribe', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('ralex transcribe', () => {
  it('prints the text, and with --json the engine and the parsed command', async () => {
    const root = sampleProject();
    const audio = path.join(root, 'command.wav');
    writeFileSync(audio, await spokenWav('fix the failing test in user auth dot py, execute', VOICES[0]!));

    // "py" and "pie" sound alike; both are spoken forms of .py.
    expect(await run('--project', root, audio)).toMatch(
      /^fix the failing test in user auth dot (py|pie) execute\n$/,
    );
    const json = JSON.parse(await run('--json', '--project', root, audio));
    expect(json).toMatchObject({
      text: expect.stringMatching(/^fix the failing test in user auth dot (py|pie) execute$/),
      engine: 'pocketsphinx',
      fallbacks: [],
      command: { intent: 'fix_bug', files: ['src/user_auth.py'], autoSubmit: true, trigger: 'execute' },
    });
  }, 60_000);

  it('reports an unreadable file as one JSON error with a stable code', async () => {
    const root = sampleProject();
    const json = JSON.parse(await run('--json', '--project', root, path.join(root, 'missing.wav')));
    expect(json.error).toMatchObject({ code: 'bad_request', message: expect.stringContaining('ENOENT') });
    expect(process.exitCode).toBe(1);
  });
});
