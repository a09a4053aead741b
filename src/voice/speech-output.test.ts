import { describe, expect, it } from 'vitest';
import { detectAudioFormat } from './audio-format.js';
import { resolveVoice, speak } from './speech-output.js';
import { parseWav } from './wav.js';

describe('speak', () => {
  it('speaks text as a valid WAV, slower when asked', async () => {
    const normal = parseWav(await speak('Tests passed. Two files changed.'));
    const slow = parseWav(await speak('Tests passed. Two files changed.', { speed: 0.6, voice: 'nova' }));
    expect(normal.channels).toBe(1);
    expect(normal.durationSeconds).toBeGreaterThan(1);
    expect(slow.durationSeconds).toBeGreaterThan(normal.durationSeconds * 1.3);
  });

  it('encodes mp3 on request', async () => {
    expect(detectAudioFormat(await speak('done', { format: 'mp3' }))).toBe('mp3');
  });

  it('treats text starting with a dash as text, and refuses empty text', async () => {
    expect(parseWav(await speak('--help me')).durationSeconds).toBeGreaterThan(0.3);
    await expect(speak('   ')).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('maps OpenAI voice names and rejects odd voice ids', () => {
    expect(resolveVoice('fable')).toBe('en-gb');
    expect(resolveVoice('en-us+f3')).toBe('en-us+f3');
    expect(resolveVoice('--stdout; rm')).toBe('en-us');
  });
});
