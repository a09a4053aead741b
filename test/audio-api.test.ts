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

/** Ralex's own field: the web app asks for the project's command vocabulary. */
const COMMAND_MODE = { mode: 'command' } as unknown as Record<string, never>;

const client = (r: RalexUnderTest) =>
  new OpenAI({ baseURL: `${r.url}/v1`, apiKey: r.token, maxRetries: 0, timeout: 60_000 });

describe('/v1/audio/transcriptions (OpenAI multipart shape), offline', () => {
  it('turns generated speech into the right command for this project', async () => {
    ralex = await startRalex({ files: sampleProject(), script: null });
    const audio = say('show user auth dot js', 'show');
    const result = (await client(ralex).audio.transcriptions.create({
      file: await toFile(audio, 'command.wav', { type: 'audio/wav' }),
      model: 'whisper-1',
      ...COMMAND_MODE,
    })) as OpenAI.Audio.Transcription & {
      engine: string;
      mode: string;
      command: { intent: string; files: string[] };
    };
    expect(result.mode).toBe('command');
    expect(result.text).toMatch(/^show user auth dot j ?s$/);
    expect(result.engine).toBe('pocketsphinx');
    expect(result.command).toMatchObject({ intent: 'show_file', files: ['src/user_auth.js'] });
  }, 60_000);

  it('answers in every format the openai client asks for: json, text, verbose_json with segments, srt, vtt', async () => {
    ralex = await startRalex({ files: sampleProject(), script: null });
    const audio = say('run the tests, execute', 'tests');
    const ask = async (response_format: 'json' | 'text' | 'verbose_json' | 'srt' | 'vtt') =>
      client(ralex).audio.transcriptions.create({
        file: await toFile(audio, 'a.wav'),
        model: 'whisper-1',
        response_format,
        ...COMMAND_MODE,
      });
    expect(String(await ask('text')).trim()).toBe('run the tests execute');
    expect(await ask('json')).toMatchObject({ text: 'run the tests execute' });
    const verbose = (await ask('verbose_json')) as OpenAI.Audio.TranscriptionVerbose;
    expect(verbose).toMatchObject({ task: 'transcribe', text: 'run the tests execute' });
    expect((verbose as unknown as { command: { autoSubmit: boolean } }).command.autoSubmit).toBe(true);
    const [segment] = verbose.segments ?? [];
    expect(segment).toMatchObject({ id: 0, text: 'run the tests execute' });
    // The segment covers the speech: it starts near the beginning and ends within the audio.
    expect(segment!.start).toBeGreaterThanOrEqual(0);
    expect(segment!.end).toBeGreaterThan(segment!.start + 0.5);
    expect(segment!.end).toBeLessThanOrEqual(verbose.duration + 0.01);
    expect(String(await ask('srt'))).toMatch(
      /^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\nrun the tests execute\n/,
    );
    expect(String(await ask('vtt'))).toMatch(
      /^WEBVTT\n\n\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\nrun the tests execute\n/,
    );
  }, 90_000);

  it('picks dictation for a chat client that sends no mode, and says which mode it used', async () => {
    ralex = await startRalex({ files: sampleProject(), script: null });
    const audio = say('what is the capital of france', 'capital');
    const dictated = (await client(ralex).audio.transcriptions.create({
      file: await toFile(audio, 'speech.wav'),
      model: 'whisper-1',
    })) as OpenAI.Audio.Transcription & { mode: string; engine: string };
    expect(dictated).toMatchObject({ mode: 'dictation', engine: 'pocketsphinx' });
    expect(dictated.text.trim().length).toBeGreaterThan(0);
    const commanded = (await client(ralex).audio.transcriptions.create({
      file: await toFile(audio, 'speech.wav'),
      model: 'whisper-1',
      ...COMMAND_MODE,
    })) as OpenAI.Audio.Transcription & { mode: string };
    expect(commanded.mode).toBe('command');
  }, 90_000);

  it('translates to English through /v1/audio/translations', async () => {
    ralex = await startRalex({ files: sampleProject(), script: null });
    const translation = (await client(ralex).audio.translations.create({
      file: await toFile(say('run the tests', 'translate'), 'a.wav'),
      model: 'whisper-1',
      response_format: 'verbose_json',
    })) as unknown as { task: string; language: string; text: string; mode: string };
    expect(translation).toMatchObject({ task: 'translate', language: 'english', mode: 'dictation' });
    expect(typeof translation.text).toBe('string');
  }, 90_000);

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

/** What each format's bytes start with. */
function looksLike(format: string, bytes: Buffer): boolean {
  const ascii = (start: number, end: number) => bytes.subarray(start, end).toString('latin1');
  switch (format) {
    case 'mp3':
      return ascii(0, 3) === 'ID3' || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0);
    case 'opus':
      return ascii(0, 4) === 'OggS' && bytes.includes(Buffer.from('OpusHead'));
    case 'aac':
      return bytes[0] === 0xff && (bytes[1]! & 0xf6) === 0xf0;
    case 'flac':
      return ascii(0, 4) === 'fLaC';
    case 'wav':
      return ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE';
    case 'pcm':
      return bytes.length % 2 === 0 && ascii(0, 4) !== 'RIFF';
    default:
      return false;
  }
}

describe('/v1/audio/speech through the openai client', () => {
  it('speaks in every OpenAI format: mp3, opus, aac, flac, wav, pcm', async () => {
    ralex = await startRalex({ script: null });
    const sizes: Record<string, number> = {};
    for (const format of ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const) {
      const response = await client(ralex).audio.speech.create({
        model: 'tts-1',
        voice: 'alloy',
        input: 'The tests passed.',
        response_format: format,
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(looksLike(format, bytes), format).toBe(true);
      sizes[format] = bytes.length;
    }
    // pcm is 24 kHz mono 16-bit: about a second of speech is tens of kilobytes.
    expect(sizes.pcm).toBeGreaterThan(24_000);
    expect(sizes.wav).toBeGreaterThan(sizes.mp3!);
  }, 90_000);

  it('speaks slower and faster with speed', async () => {
    ralex = await startRalex({ script: null });
    const seconds = async (speed: number) => {
      const response = await client(ralex).audio.speech.create({
        model: 'tts-1',
        voice: 'alloy',
        input: 'Two files changed and the tests passed.',
        response_format: 'pcm',
        speed,
      });
      return (await response.arrayBuffer()).byteLength / 48_000;
    };
    const [slow, normal, fast] = [await seconds(0.5), await seconds(1), await seconds(2)];
    expect(slow).toBeGreaterThan(normal * 1.3);
    expect(fast).toBeLessThan(normal * 0.8);
  }, 60_000);
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
