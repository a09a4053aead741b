import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONDITIONS, recordedWav } from '../../bench/voice/audio-conditions.js';
import { parseCommand } from '../../src/pipeline/parse/parse-command.js';
import { readSpeech } from '../../src/pipeline/parse/read-speech.js';
import { createTranscriber, type Transcriber } from '../../src/voice/transcriber.js';
import { type HeardOutcome, judgeHeard } from './heard-outcome.js';
import {
  CONTROL_COMMANDS,
  SAMPLE_COMMANDS,
  SAMPLE_FILES,
  type SampleCommand,
  VOICES,
} from './sample-project.js';
import { spokenWav } from './speech-fixtures.js';

/** Real speech (espeak-ng, several voices and speeds) through the real offline recogniser and the parse stage. */
const files = [...SAMPLE_FILES];
const work = mkdtempSync(path.join(os.tmpdir(), 'ralex-voice-it-'));
let transcriber: Transcriber;

beforeAll(async () => {
  transcriber = createTranscriber({
    engines: ['pocketsphinx'],
    pocketsphinx: { cacheDir: path.join(work, 'cache'), files: () => files, readSpeech },
  });
  expect(await transcriber.warmUp()).toEqual([{ engine: 'pocketsphinx', ok: true }]);
}, 60_000);
afterAll(() => transcriber.close());

/** What Ralex does with the spoken command: acts (rightly or not) or asks back, with the recogniser's certainty. */
async function hears(command: SampleCommand, voice: { voice: string; speed: number }, wav?: Buffer) {
  const result = await transcriber.transcribe(wav ?? (await spokenWav(command.say, voice)));
  const evidence = result.certainty ? { ...result.certainty, engine: result.engine } : null;
  const outcome = judgeHeard(command, result.text, files, evidence);
  return { outcome, heard: result.text, parsed: parseCommand(result.text, { files }), result };
}
/** Acted on without asking as a different state-changing command than the one said. */
function actsWrongly(outcome: HeardOutcome, intended: string): boolean {
  if (outcome.askedBack || outcome.intent === intended) return false;
  return outcome.harmful || STATE_CHANGING.has(outcome.intent);
}
const STATE_CHANGING = new Set([
  'confirm',
  'undo',
  'redo',
  'push',
  'commit',
  'fix_bug',
  'implement',
  'refactor',
  'test',
  'workflow',
]);
/** Runs sox on a WAV and returns the new file's bytes. */
function sox(input: Buffer, ...args: string[]): Buffer {
  const source = path.join(work, `in-${Math.random()}.wav`);
  const target = path.join(work, `out-${Math.random()}.wav`);
  writeFileSync(source, input);
  execFileSync('sox', [
    source,
    ...args.slice(0, args.indexOf('--')),
    target,
    ...args.slice(args.indexOf('--') + 1),
  ]);
  return readFileSync(target);
}

describe('spoken commands over a sample project (offline)', () => {
  it(`acts rightly on most of ${SAMPLE_COMMANDS.length} spoken commands, and never wrongly on an undo/push/commit/confirm or an auto-submit`, async () => {
    expect(SAMPLE_COMMANDS.length).toBeGreaterThanOrEqual(60);
    const misses: string[] = [];
    const unsafe: string[] = [];
    for (const [i, command] of SAMPLE_COMMANDS.entries()) {
      const voice = VOICES[i % VOICES.length] as { voice: string; speed: number };
      const { outcome, heard, result } = await hears(command, voice);
      expect(result.engine).toBe('pocketsphinx');
      const line = `"${command.say}" (${voice.voice} ${voice.speed}) → "${heard}" → ${outcome.intent} ${outcome.files}`;
      if (!outcome.fullyRight) misses.push(`${outcome.askedBack ? 'asked back: ' : ''}${line}`);
      if (outcome.harmful || outcome.falseAutoSubmit) unsafe.push(line);
    }
    expect(unsafe).toEqual([]);
    // Accuracy itself is measured by the benches (bench/voice-bench.ts, bench/voice-heard-bench.ts);
    // this floor (measured 68% acted on rightly unasked, digital-silence audio) has a wide margin,
    // so one voice's edge case cannot flip it. Asked back counts as not right here.
    expect(1 - misses.length / SAMPLE_COMMANDS.length, misses.join('\n')).toBeGreaterThanOrEqual(0.55);
  }, 400_000);

  // What must hold for control words is safety, not exact recognition: while an approval waits,
  // a misheard control word may do nothing or be asked back, but never act as a different
  // state-changing command. Exact accuracy per voice is a recogniser's edge case ("confirm" heard
  // as "undo" by one voice on one machine): it is measured in bench/voice-bench.ts, not pinned here.
  it('never turns a control word into a different state-changing action (three US-English voices)', async () => {
    const harmful: string[] = [];
    let right = 0;
    let total = 0;
    for (const voice of VOICES.filter((v) => v.voice.startsWith('en-us')).slice(0, 3)) {
      for (const command of CONTROL_COMMANDS) {
        const { outcome, heard } = await hears(command, voice);
        total++;
        if (outcome.fullyRight || outcome.askedBack) right++;
        else if (actsWrongly(outcome, command.intent))
          harmful.push(`"${command.say}" (${voice.voice}) → "${heard}" → ${outcome.intent}`);
      }
    }
    expect(harmful).toEqual([]);
    // Right or asked back ("Did you say undo?"): a floor with a wide margin, so one voice's edge case cannot flip it.
    expect(right / total).toBeGreaterThanOrEqual(0.75);
  }, 200_000);

  // "reject" heard as "redo" by both passes was acted on (bench, noise floor): a refusal must never
  // become an undo/redo/push/commit/confirm. Each is heard right, asked back, or acted on as
  // something that changes nothing; which of the three is the recogniser's edge case, not pinned.
  it('never acts on a refusal as an undo, redo, push, commit or confirm (noise floor, three voices)', async () => {
    const floor = CONDITIONS.find((c) => c.id === 'floor')!;
    const refusals = ['reject', 'reject it', 'deny', 'nope', 'no', 'cancel', 'stop', 'never mind'];
    const harmful: string[] = [];
    for (const voice of [VOICES[0]!, VOICES[1]!, VOICES[2]!])
      for (const say of refusals) {
        const command = {
          say,
          intent: say === 'cancel' || say === 'stop' || say === 'never mind' ? 'cancel' : 'deny',
          files: [],
          autoSubmit: false,
        };
        const { outcome, heard } = await hears(command, voice, await recordedWav(say, voice, floor));
        if (outcome.harmful || actsWrongly(outcome, command.intent))
          harmful.push(`"${say}" (${voice.voice}) → "${heard}" → ${outcome.intent}`);
      }
    expect(harmful).toEqual([]);
  }, 200_000);

  it('hears nothing in silence and no command in white noise', async () => {
    const silence = sox(
      await spokenWav('stop', VOICES[0]!),
      '-r',
      '16000',
      '--',
      'trim',
      '0',
      '0',
      'pad',
      '2',
    );
    expect((await transcriber.transcribe(silence)).text).toBe('');
    const noise = path.join(work, 'noise.wav');
    execFileSync('sox', [
      '-n',
      '-r',
      '16000',
      '-c',
      '1',
      '-b',
      '16',
      noise,
      'synth',
      '2',
      'whitenoise',
      'vol',
      '0.3',
    ]);
    const heard = (await transcriber.transcribe(readFileSync(noise))).text;
    const parsed = parseCommand(heard, { files });
    // Noise must never turn into an action that changes something.
    expect(['commit', 'push', 'undo', 'redo', 'confirm', 'fix_bug', 'implement', 'refactor']).not.toContain(
      heard ? parsed.intent : 'nothing',
    );
  });

  it('still understands clipped (over-driven) audio and 44.1 kHz stereo input', async () => {
    const command = SAMPLE_COMMANDS.find((c) => c.say === 'run the tests') as SampleCommand;
    const clipped = sox(await spokenWav(command.say, VOICES[0]!), '--', 'gain', '18');
    expect(parseCommand((await transcriber.transcribe(clipped)).text, { files }).intent).toBe('run_tests');
    const hiFi = sox(await spokenWav('what changed', VOICES[0]!), '-r', '44100', '-c', '2', '--');
    const result = await transcriber.transcribe(hiFi);
    expect([result.decoder, parseCommand(result.text, { files }).intent]).toEqual(['sox', 'what_changed']);
  });

  it('refuses corrupt, empty and unsupported uploads with bad_request', async () => {
    const wav = await spokenWav('confirm', VOICES[0]!);
    const corrupt = Buffer.concat([Buffer.from('fLaC'), wav.subarray(200, 4000)]);
    await expect(transcriber.transcribe(corrupt)).rejects.toMatchObject({
      code: 'bad_request',
      message: /could not be decoded/,
    });
    await expect(transcriber.transcribe(Buffer.alloc(0))).rejects.toMatchObject({ code: 'bad_request' });
    await expect(transcriber.transcribe(Buffer.from('GIF89a....'))).rejects.toMatchObject({
      code: 'bad_request',
      message: /Unsupported audio format/,
    });
  });
});
