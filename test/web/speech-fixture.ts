import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A spoken phrase as a 16 kHz mono 16-bit WAV (espeak-ng, then sox), with silence around it. */
export function speechWav(text: string): { path: string; seconds: number } {
  const dir = mkdtempSync(join(tmpdir(), 'ralex-speech-'));
  const raw = join(dir, 'raw.wav');
  const path = join(dir, 'speech.wav');
  execFileSync('espeak-ng', ['-s', '150', '-w', raw, text]);
  execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', path, 'pad', '0.3', '0.6']);
  const bytes = readFileSync(path);
  return { path, seconds: (bytes.length - 44) / 32_000 };
}

/** The format fields and samples of a PCM WAV file. */
export function readWav(bytes: Buffer): {
  sampleRate: number;
  channels: number;
  bits: number;
  samples: Int16Array;
} {
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a WAV file');
  }
  let offset = 12;
  let format = { sampleRate: 0, channels: 0, bits: 0 };
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      format = {
        channels: bytes.readUInt16LE(offset + 10),
        sampleRate: bytes.readUInt32LE(offset + 12),
        bits: bytes.readUInt16LE(offset + 22),
      };
    }
    if (id === 'data') {
      const data = bytes.subarray(offset + 8, offset + 8 + size);
      const samples = new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
      return { ...format, samples };
    }
    offset += 8 + size;
  }
  throw new Error('WAV file has no data chunk');
}
