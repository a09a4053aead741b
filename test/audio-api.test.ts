import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleProject } from './fixtures/sample-projects.js';
import { json, type RalexUnderTest, startRalex } from './helpers/ralex-under-test.js';

let ralex: RalexUnderTest;
let dir: string;
afterEach(async () => ralex?.close());
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ralex-audio-api-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Real speech: espeak-ng says the text, sox makes it 16 kHz mono 16-bit. */
function say(text: string, name: string): Buffer {
  const raw = join(dir, `${name}.raw.wav`);
  const out = join(dir, `${name}.wav`);
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, text]);
  execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', out]);
  return readFileSync(out);
}

const client = (r: RalexUnderTest) =>
  new OpenAI({ baseURL: `${r.url}/v1`, apiKey: r.token, maxRetries: 0, timeout: 60_000 });

describe('/v1/audio/transcriptions (OpenAI multipart shape), offline', () => {
  it('turns generated speech into the right command for this project', async () => {
    ralex = await startRalex({ files: sampleProject(), script: null });
    const audio = say('show user auth dot js', 'show');
    const result = (await client(ralex).audio.transcriptions.create({
      file: await toFile(audio, 'command.wav', { type: 'audio/wav' }),
      model: 'whisper-1',
    })) as OpenAI.Audio.Transcription & { engine: string; command: { intent: string; files: string[] } };
    expect(result.text).toMatch(/^show user auth dot j ?s$/);
    expect(result.engine).toBe('pocketsphinx');
    expect(result.command).toMatchObject({ intent: 'show_file', files: ['src/user_auth.js'] });
  }, 60_000);

  it('answers text and verbose_json too', async () => {
    ralex = await startRalex({ files: sampleProject(), script: null });
    const audio = say('run the tests, execute', 'tests');
    const text = await client(ralex).audio.transcriptions.create({
      file: await toFile(audio, 'a.wav'),
      model: 'whisper-1',
      response_format: 'text',
    });
    expect(String(text).trim()).toBe('run the tests execute');
    const verbose = await client(ralex).audio.transcriptions.create({
      file: await toFile(audio, 'a.wav'),
      model: 'whisper-1',
      response_format: 'verbose_json',
    });
    expect(verbose).toMatchObject({ task: 'transcribe', text: 'run the tests execute' });
    expect((verbose as unknown as { command: { autoSubmit: boolean } }).command.autoSubmit).toBe(true);
  }, 60_000);

  it('refuses what it cannot take, with a clear error', async () => {
    ralex = await startRalex({ script: null, preferences: 'voice:\n  max_bytes: 2048\n' });
    const post = (body: FormData | string, type?: string) =>
      fetch(`${ralex.url}/v1/audio/transcriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ralex.token}`, ...(type ? { 'content-type': type } : {}) },
        body,
      });
    const notMultipart = await post('{"file":"x"}', 'application/json');
    expect(notMultipart.status).toBe(400);
    expect((await json(notMultipart)).error.message).toContain('multipart');
    const noFile = new FormData();
    noFile.append('model', 'whisper-1');
    const missing = await post(noFile);
    expect(missing.status).toBe(400);
    expect((await json(missing)).error.message).toContain('"file"');
    const tooBig = new FormData();
    tooBig.append('file', new Blob([new Uint8Array(10_000)]), 'big.wav');
    const big = await post(tooBig);
    expect(big.status).toBe(413);
    const empty = new FormData();
    empty.append('file', new Blob([]), 'empty.wav');
    const none = await post(empty);
    expect(none.status).toBe(400);
    const notAudio = new FormData();
    notAudio.append('file', new Blob(['just some text']), 'notes.txt');
    const text = await post(notAudio);
    expect(text.status).toBe(400);
  });
});

describe('/v1/audio/speech', () => {
  it('speaks offline with espeak-ng, as WAV or MP3', async () => {
    ralex = await startRalex({ script: null });
    const wav = await ralex.call('/v1/audio/speech', {
      method: 'POST',
      body: JSON.stringify({
        model: 'tts-1',
        input: 'The tests passed.',
        voice: 'alloy',
        response_format: 'wav',
      }),
    });
    expect(wav.status).toBe(200);
    expect(wav.headers.get('content-type')).toBe('audio/wav');
    const bytes = Buffer.from(await wav.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
    expect(bytes.length).toBeGreaterThan(10_000);
    const mp3 = await ralex.call('/v1/audio/speech', {
      method: 'POST',
      body: JSON.stringify({ input: 'Done.' }),
    });
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    const head = Buffer.from(await mp3.arrayBuffer()).subarray(0, 3);
    expect(head.toString('latin1') === 'ID3' || (head[0] === 0xff && (head[1]! & 0xe0) === 0xe0)).toBe(true);
    const bad = await ralex.call('/v1/audio/speech', { method: 'POST', body: JSON.stringify({ input: '' }) });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.type).toBe('invalid_request_error');
  });
});
