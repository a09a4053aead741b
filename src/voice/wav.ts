import { RalexError } from '../errors.js';

/** The fields of a PCM WAV file that transcription cares about. */
export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 1 = integer PCM, 3 = IEEE float, 0xfffe = extensible. */
  audioFormat: number;
  /** The raw sample bytes of the `data` chunk. */
  data: Buffer;
  durationSeconds: number;
}

/** Reads the RIFF/WAVE header and the data chunk; throws bad_request on a malformed file. */
export function parseWav(bytes: Buffer): WavInfo {
  if (
    bytes.length < 12 ||
    bytes.toString('ascii', 0, 4) !== 'RIFF' ||
    bytes.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    throw new RalexError('bad_request', 'The audio is not a RIFF/WAVE file.');
  }
  let offset = 12;
  let fmt: Omit<WavInfo, 'data' | 'durationSeconds'> | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const declared = bytes.readUInt32LE(offset + 4);
    const start = offset + 8;
    if (id === 'fmt ' && start + 16 <= bytes.length) {
      fmt = {
        audioFormat: bytes.readUInt16LE(start),
        channels: bytes.readUInt16LE(start + 2),
        sampleRate: bytes.readUInt32LE(start + 4),
        bitsPerSample: bytes.readUInt16LE(start + 14),
      };
    } else if (id === 'data') {
      if (!fmt) break;
      // Streaming writers (sox/ffmpeg to a pipe) leave the size as 0 or 0xffffffff: take the rest.
      const size = declared === 0 || declared === 0xffffffff ? bytes.length - start : declared;
      const data = bytes.subarray(start, Math.min(bytes.length, start + size));
      const frameBytes = fmt.channels * (fmt.bitsPerSample / 8);
      if (!fmt.sampleRate || !frameBytes) break;
      return { ...fmt, data, durationSeconds: data.length / frameBytes / fmt.sampleRate };
    }
    offset = start + declared + (declared % 2);
  }
  throw new RalexError('bad_request', 'The WAV file is corrupt: no usable fmt/data chunks.');
}

/** True when the WAV is already what the recogniser wants: 16 kHz, mono, 16-bit integer PCM. */
export function isRecogniserWav(info: WavInfo): boolean {
  return (
    info.sampleRate === 16_000 && info.channels === 1 && info.bitsPerSample === 16 && info.audioFormat === 1
  );
}

/** Wraps 16-bit mono little-endian PCM samples in a canonical 44-byte WAV header. */
export function encodeWav(pcm: Buffer, sampleRate = 16_000): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}
