import { describe, expect, it } from 'vitest';
import { endsWithSeparatePhrase, hasSpeech, trimToSpeech } from './speech-energy.js';

/** 16 kHz PCM: tone (true) and silence (false) segments, in seconds. */
function pcm(...segments: [boolean, number][]): Buffer {
  const samples = segments.flatMap(([tone, seconds]) =>
    Array.from({ length: Math.round(seconds * 16_000) }, (_, i) =>
      tone ? Math.round(8000 * Math.sin(i / 5)) : 0,
    ),
  );
  const buffer = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => {
    buffer.writeInt16LE(s, i * 2);
  });
  return buffer;
}

describe('speech energy', () => {
  it('finds a short phrase set apart by a pause at the end', () => {
    expect(
      endsWithSeparatePhrase(pcm([false, 0.2], [true, 1.5], [false, 0.25], [true, 0.4], [false, 0.2])),
    ).toBe(true);
  });

  it('does not see one in continuous speech, a long last phrase or silence', () => {
    expect(endsWithSeparatePhrase(pcm([true, 2]))).toBe(false);
    expect(endsWithSeparatePhrase(pcm([true, 1], [false, 0.3], [true, 2]))).toBe(false);
    expect(endsWithSeparatePhrase(pcm([true, 1], [false, 0.04], [true, 0.4]))).toBe(false);
    expect(endsWithSeparatePhrase(pcm([false, 1]))).toBe(false);
  });

  it('tells speech from silence', () => {
    expect(hasSpeech(pcm([false, 1], [true, 0.3]))).toBe(true);
    expect(hasSpeech(pcm([false, 2]))).toBe(false);
  });

  it('cuts the room tone around the speech, keeping the margin of silence either side', () => {
    // 1 s of silence, 1.5 s of speech, 1 s of silence; keep 0.25 s each side.
    const { pcm: trimmed, offset } = trimToSpeech(pcm([false, 1], [true, 1.5], [false, 1]), 0.25);
    expect(offset).toBeCloseTo(0.75, 1);
    expect(trimmed.length / 32_000).toBeGreaterThan(1.5 + 2 * 0.2);
    expect(trimmed.length / 32_000).toBeLessThan(1.5 + 2 * 0.3);
    expect(hasSpeech(trimmed)).toBe(true);
  });

  it('returns audio whole when there is nothing to cut or no speech to find', () => {
    const speech = pcm([false, 0.1], [true, 1], [false, 0.1]);
    expect(trimToSpeech(speech, 0.25)).toEqual({ pcm: speech, offset: 0 });
    const quiet = pcm([false, 2]);
    expect(trimToSpeech(quiet, 0.25).pcm.length).toBe(quiet.length);
    expect(trimToSpeech(speech, Number.POSITIVE_INFINITY).pcm.length).toBe(speech.length);
  });
});
