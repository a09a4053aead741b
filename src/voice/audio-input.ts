import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RalexError } from '../errors.js';
import { type AudioDecoders, describeDecoders, findAudioDecoders, pickDecoder } from './audio-decoders.js';
import { type AudioFormat, detectAudioFormat, isOggOpus } from './audio-format.js';
import { runProcess } from './run-process.js';
import { encodeWav, isRecogniserWav, parseWav } from './wav.js';

/** Default upper bounds: one minute of speech, and OpenAI's 25 MB upload limit. */
export const DEFAULT_AUDIO_LIMITS = { maxSeconds: 60, maxBytes: 25 * 1024 * 1024 } as const;

/** Audio ready for a recogniser: 16 kHz mono 16-bit PCM, as a WAV and as bare samples. */
export interface PreparedAudio {
  /** A canonical WAV file (16 kHz, mono, 16-bit). */
  wav: Buffer;
  /** The samples alone (little-endian int16). */
  pcm: Buffer;
  /** The container the upload came in. */
  format: AudioFormat;
  durationSeconds: number;
  /** Which tool converted it: none when the upload already was 16 kHz mono 16-bit WAV. */
  decoder: 'none' | 'sox' | 'ffmpeg';
}

/** Options for prepareAudio; decoders are looked up on PATH unless given. */
export interface PrepareAudioOptions {
  maxSeconds?: number;
  maxBytes?: number;
  decoders?: AudioDecoders;
  signal?: AbortSignal;
}

/** Validates an upload and converts it to 16 kHz mono 16-bit WAV; every refusal is a RalexError. */
export async function prepareAudio(bytes: Buffer, options: PrepareAudioOptions = {}): Promise<PreparedAudio> {
  const maxSeconds = options.maxSeconds ?? DEFAULT_AUDIO_LIMITS.maxSeconds;
  const maxBytes = options.maxBytes ?? DEFAULT_AUDIO_LIMITS.maxBytes;
  if (bytes.length === 0) throw new RalexError('bad_request', 'The audio upload is empty.');
  if (bytes.length > maxBytes) {
    throw new RalexError(
      'payload_too_large',
      `The audio is ${mb(bytes.length)} MB; the limit is ${mb(maxBytes)} MB.`,
      {
        details: { bytes: bytes.length, maxBytes },
        hint: 'Send a shorter recording or a compressed format (webm/opus, mp3).',
      },
    );
  }
  const format = detectAudioFormat(bytes);
  const decoders = options.decoders ?? (await findAudioDecoders());
  if (!format) {
    throw new RalexError(
      'bad_request',
      `Unsupported audio format. This server reads ${describeDecoders(decoders)}.`,
      {
        details: { supported: describeDecoders(decoders) },
      },
    );
  }
  if (format === 'wav') {
    const info = parseWav(bytes);
    checkDuration(info.durationSeconds, maxSeconds);
    if (isRecogniserWav(info)) return finish(info.data, format, 'none');
  }
  const decoder = pickDecoder(decoders, format, format === 'ogg' && isOggOpus(bytes));
  if (!decoder) {
    throw new RalexError(
      'bad_request',
      `No decoder for ${format} audio here. This server reads ${describeDecoders(decoders)}.`,
      {
        details: { format, supported: describeDecoders(decoders) },
        hint: 'Install ffmpeg (Debian: apt-get install ffmpeg) or send 16 kHz mono WAV.',
      },
    );
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ralex-audio-'));
  try {
    const input = path.join(dir, `input.${format}`);
    await writeFile(input, bytes);
    // Decode a little past the limit so "too long" is detected without decoding an hour of audio.
    const cap = String(maxSeconds + 1);
    const args =
      decoder.tool === 'sox'
        ? [
            '-V1',
            '-t',
            decoder.soxType ?? format,
            input,
            '-t',
            'wav',
            '-r',
            '16000',
            '-c',
            '1',
            '-b',
            '16',
            '-e',
            'signed-integer',
            '-',
            'trim',
            '0',
            cap,
          ]
        : [
            '-nostdin',
            '-hide_banner',
            '-loglevel',
            'error',
            '-i',
            input,
            '-t',
            cap,
            '-vn',
            '-ac',
            '1',
            '-ar',
            '16000',
            '-c:a',
            'pcm_s16le',
            '-f',
            'wav',
            '-',
          ];
    const result = await runProcess(decoder.path, args, { timeoutMs: 30_000, signal: options.signal });
    const info = result.code === 0 && result.stdout.length > 44 ? safeParse(result.stdout) : null;
    if (!info || info.data.length < 2) {
      throw new RalexError(
        'bad_request',
        `The ${format} audio could not be decoded (corrupt or truncated file).`,
        {
          details: { format, decoder: decoder.tool, stderr: result.stderr.trim().slice(0, 500) },
        },
      );
    }
    checkDuration(info.durationSeconds, maxSeconds);
    return finish(info.data, format, decoder.tool);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function safeParse(bytes: Buffer) {
  try {
    return parseWav(bytes);
  } catch {
    return null;
  }
}

function checkDuration(seconds: number, maxSeconds: number): void {
  if (seconds > maxSeconds) {
    throw new RalexError(
      'bad_request',
      `The audio is ${seconds.toFixed(1)} s long; the limit is ${maxSeconds} s.`,
      {
        details: { durationSeconds: seconds, maxSeconds },
        hint: 'Split the recording into shorter commands.',
      },
    );
  }
}

function finish(data: Buffer, format: AudioFormat, decoder: PreparedAudio['decoder']): PreparedAudio {
  // An odd trailing byte cannot be a sample.
  const pcm = data.length % 2 ? data.subarray(0, data.length - 1) : data;
  return { wav: encodeWav(pcm), pcm, format, durationSeconds: pcm.length / 32_000, decoder };
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
