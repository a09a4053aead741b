import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAudioDecoders } from './audio-decoders.js';
import { detectAudioFormat } from './audio-format.js';
import { prepareAudio } from './audio-input.js';
import { encodeWav, parseWav } from './wav.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ralex-audio-test-'));
/** A 1 s 440 Hz tone in the given sox output format. */
function tone(name: string, ...soxOutput: string[]): Buffer {
  const file = path.join(dir, name);
  execFileSync('sox', ['-n', ...soxOutput, file, 'synth', '1', 'sine', '440']);
  return readFileSync(file);
}

describe('prepareAudio', () => {
  it('passes 16 kHz mono 16-bit WAV through without a decoder', async () => {
    const wav = tone('a.wav', '-r', '16000', '-c', '1', '-b', '16');
    const out = await prepareAudio(wav);
    expect(out.decoder).toBe('none');
    expect(out.durationSeconds).toBeCloseTo(1, 2);
  });

  it('converts 44.1 kHz stereo WAV to 16 kHz mono', async () => {
    const out = await prepareAudio(tone('b.wav', '-r', '44100', '-c', '2', '-b', '16'));
    const info = parseWav(out.wav);
    expect([info.sampleRate, info.channels, info.bitsPerSample, out.decoder]).toEqual([16000, 1, 16, 'sox']);
    expect(out.durationSeconds).toBeCloseTo(1, 1);
  });

  it.each([
    ['flac', 'c.flac'],
    ['ogg', 'd.ogg'],
    ['mp3', 'e.mp3'],
  ])('decodes %s', async (format, name) => {
    const bytes = tone(name, '-r', '22050', '-c', '1');
    expect(detectAudioFormat(bytes)).toBe(format);
    const out = await prepareAudio(bytes);
    expect(out.format).toBe(format);
    expect(out.durationSeconds).toBeGreaterThan(0.9);
  });

  // ffmpeg is part of the test set-up (.ci/run, README): the browser's webm/opus must decode.
  it('decodes webm/opus with ffmpeg', async () => {
    const file = path.join(dir, 'f.webm');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=d=1', '-c:a', 'libopus', file]);
    const out = await prepareAudio(readFileSync(file));
    expect([out.format, out.decoder]).toEqual(['webm', 'ffmpeg']);
    expect(out.durationSeconds).toBeGreaterThan(0.9);
  });

  it('refuses webm with no decoder, naming what it can read', async () => {
    const webm = Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(100)]);
    const sox = (await findAudioDecoders()).sox;
    await expect(prepareAudio(webm, { decoders: { sox, ffmpeg: null } })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/No decoder for webm.*sox: wav, flac/),
    });
  });

  it('refuses empty, unsupported, corrupt, too long and too large uploads', async () => {
    await expect(prepareAudio(Buffer.alloc(0))).rejects.toMatchObject({
      code: 'bad_request',
      message: /empty/,
    });
    await expect(prepareAudio(Buffer.from('hello, not audio at all'))).rejects.toMatchObject({
      code: 'bad_request',
      message: /Unsupported audio format.*WAV/,
    });
    const corruptMp3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(2000, 7)]);
    await expect(prepareAudio(corruptMp3)).rejects.toMatchObject({
      code: 'bad_request',
      message: /could not be decoded/,
    });
    await expect(prepareAudio(Buffer.from('RIFF\0\0\0\0WAVEjunkjunkjunk'))).rejects.toMatchObject({
      code: 'bad_request',
    });
    const long = encodeWav(Buffer.alloc(16_000 * 2 * 3));
    await expect(prepareAudio(long, { maxSeconds: 2 })).rejects.toMatchObject({
      code: 'bad_request',
      message: /3\.0 s long/,
    });
    await expect(prepareAudio(long, { maxBytes: 1000 })).rejects.toMatchObject({ code: 'payload_too_large' });
  });
});
