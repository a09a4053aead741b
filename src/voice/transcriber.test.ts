import { describe, expect, it } from 'vitest';
import { RalexError } from '../errors.js';
import { createTranscriber } from './transcriber.js';
import type { TranscriptionEngine } from './transcription-engine.js';
import { encodeWav } from './wav.js';

const wav = encodeWav(Buffer.alloc(32_000 * 2));

function fakeEngine(
  id: string,
  behaviour: 'ok' | 'throws' | 'missing',
): TranscriptionEngine & { calls: number } {
  const engine = {
    id,
    calls: 0,
    async available() {
      return behaviour === 'missing' ? { ok: false, reason: `${id} is not installed` } : { ok: true };
    },
    async transcribe(audio: Buffer) {
      engine.calls += 1;
      if (behaviour === 'throws') throw new RalexError('upstream_error', `${id} fell over`);
      return { text: `heard ${audio.length} bytes`, durationMs: 1 };
    },
  };
  return engine;
}

describe('createTranscriber', () => {
  it('uses the first engine that works and lists the ones skipped, with why', async () => {
    const missing = fakeEngine('local', 'missing');
    const broken = fakeEngine('cloud', 'throws');
    const good = fakeEngine('backup', 'ok');
    const transcriber = createTranscriber({
      engines: ['nope', 'local', 'cloud', 'backup'],
      extraEngines: [missing, broken, good],
    });
    const result = await transcriber.transcribe(wav);
    expect(result).toMatchObject({
      text: `heard ${wav.length} bytes`,
      engine: 'backup',
      fallbacks: [
        { engine: 'nope', reason: 'unknown transcription engine "nope"' },
        { engine: 'local', reason: 'local is not installed' },
        { engine: 'cloud', reason: 'cloud fell over' },
      ],
      audioSeconds: 2,
      format: 'wav',
      decoder: 'none',
    });
    expect(missing.calls).toBe(0);
    expect(await transcriber.warmUp()).toEqual([
      { engine: 'nope', ok: false, reason: 'unknown transcription engine "nope"' },
      { engine: 'local', ok: true },
      { engine: 'cloud', ok: true },
      { engine: 'backup', ok: true },
    ]);
  });

  it('fails with every reason when no engine can answer', async () => {
    const transcriber = createTranscriber({
      engines: ['openai', 'cloud'],
      extraEngines: [fakeEngine('cloud', 'throws')],
    });
    await expect(transcriber.transcribe(wav)).rejects.toMatchObject({
      code: 'upstream_error',
      message: /openai: no OpenAI-compatible transcription endpoint configured; cloud: cloud fell over/,
    });
  });

  it('refuses bad audio before trying any engine', async () => {
    const good = fakeEngine('backup', 'ok');
    const transcriber = createTranscriber({ engines: ['backup'], extraEngines: [good] });
    await expect(transcriber.transcribe(Buffer.alloc(0))).rejects.toMatchObject({ code: 'bad_request' });
    expect(good.calls).toBe(0);
  });
});
