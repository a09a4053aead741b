import { describe, expect, it } from 'vitest';
import { segmentsOf, speechSpan, toSrt, toVtt } from './transcript-segments.js';

/** 16 kHz mono PCM: silence, a tone for `tone` seconds from `at`, silence to `total`. */
function pcm(total: number, at: number, tone: number): Buffer {
  const samples = Buffer.alloc(total * 16000 * 2);
  for (let i = Math.round(at * 16000); i < Math.round((at + tone) * 16000); i++)
    samples.writeInt16LE(Math.round(8000 * Math.sin(i / 5)), i * 2);
  return samples;
}

describe('transcript segments and subtitles', () => {
  it('times the one offline segment to where the speech is', () => {
    const span = speechSpan(pcm(3, 0.5, 1.5));
    expect(span.start).toBeGreaterThan(0.4);
    expect(span.start).toBeLessThan(0.6);
    expect(span.end).toBeGreaterThan(1.9);
    expect(span.end).toBeLessThan(2.1);
    expect(segmentsOf('run the tests', pcm(3, 0.5, 1.5))).toHaveLength(1);
    expect(segmentsOf('', pcm(1, 0, 0))).toEqual([]);
    // An engine's own segments win.
    expect(segmentsOf('a b', pcm(1, 0, 1), [{ start: 0, end: 0.4, text: ' a' }])).toEqual([
      { id: 0, start: 0, end: 0.4, text: 'a' },
    ]);
  });

  it('writes SubRip and WebVTT time stamps, hours included', () => {
    const segments = [
      { id: 0, start: 0.25, end: 1.5, text: 'run the tests' },
      { id: 1, start: 3661.5, end: 3662, text: 'execute' },
    ];
    expect(toSrt(segments)).toBe(
      '1\n00:00:00,250 --> 00:00:01,500\nrun the tests\n\n2\n01:01:01,500 --> 01:01:02,000\nexecute\n',
    );
    expect(toVtt(segments)).toBe(
      'WEBVTT\n\n00:00:00.250 --> 00:00:01.500\nrun the tests\n\n01:01:01.500 --> 01:01:02.000\nexecute\n',
    );
  });
});
