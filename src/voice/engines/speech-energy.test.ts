import { describe, expect, it } from 'vitest';
import { endsWithSeparatePhrase, hasSpeech } from './speech-energy.js';

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
});
