import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { prepareAudio } from '../../src/voice/audio-input.js';
import { speak } from '../../src/voice/speech-output.js';

/** Where generated test speech is cached between runs (generation is the slow part). */
export const FIXTURE_CACHE_DIR = path.join(os.tmpdir(), 'ralex-voice-fixtures');

/** Real speech for `text` from espeak-ng, converted to 16 kHz mono 16-bit WAV, cached on disk. */
export async function spokenWav(text: string, voice: { voice: string; speed: number }): Promise<Buffer> {
  const key = createHash('sha256')
    .update(JSON.stringify([text, voice.voice, voice.speed]))
    .digest('hex')
    .slice(0, 24);
  const file = path.join(FIXTURE_CACHE_DIR, `${key}.wav`);
  const cached = await readFile(file).catch(() => null);
  if (cached) return cached;
  const raw = await speak(text, { voice: voice.voice, speed: voice.speed / 175 });
  const prepared = await prepareAudio(raw);
  await mkdir(FIXTURE_CACHE_DIR, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, prepared.wav);
  await rename(temp, file);
  return prepared.wav;
}
