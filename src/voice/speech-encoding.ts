import { RalexError } from '../errors.js';
import { findAudioDecoders } from './audio-decoders.js';
import { runProcess } from './run-process.js';

/** The speech formats OpenAI's `/audio/speech` offers, and so Ralex's. */
export const SPEECH_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
/** One speech output format. */
export type SpeechFormat = (typeof SPEECH_FORMATS)[number];

/** The content type each format is sent with. */
export const SPEECH_CONTENT_TYPES: Readonly<Record<SpeechFormat, string>> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg; codecs=opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

/**
 * ffmpeg output arguments per format, as OpenAI delivers them: MP3, Opus in Ogg, AAC in ADTS,
 * FLAC, and raw PCM — 24 kHz, mono, signed 16-bit little-endian, no header.
 */
const FFMPEG_OUTPUT: Readonly<Record<Exclude<SpeechFormat, 'wav'>, string[]>> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
  opus: ['-ar', '48000', '-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg'],
  aac: ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'],
  flac: ['-c:a', 'flac', '-f', 'flac'],
  pcm: ['-ar', '24000', '-ac', '1', '-c:a', 'pcm_s16le', '-f', 's16le'],
};

/**
 * Encodes WAV speech into a client's format with ffmpeg; WAV is returned as it is. MP3 falls
 * back to sox (with libsox-fmt-mp3) on a machine without ffmpeg.
 */
export async function encodeSpeech(wav: Buffer, format: SpeechFormat, signal?: AbortSignal): Promise<Buffer> {
  if (format === 'wav') return wav;
  const { ffmpeg, sox } = await findAudioDecoders();
  let command: string;
  let args: string[];
  if (ffmpeg) {
    command = ffmpeg.path;
    args = [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'wav',
      '-i',
      '-',
      ...FFMPEG_OUTPUT[format],
      '-',
    ];
  } else if (format === 'mp3' && sox?.types.has('mp3')) {
    command = sox.path;
    args = ['-V1', '-t', 'wav', '-', '-t', 'mp3', '-'];
  } else {
    throw new RalexError(
      'bad_request',
      `Speech as ${format} needs ffmpeg (Debian: apt-get install ffmpeg).`,
      {
        hint: 'Ask for response_format "wav", or install ffmpeg.',
      },
    );
  }
  const result = await runProcess(command, args, { input: wav, signal, timeoutMs: 60_000 });
  if (result.code !== 0 || result.stdout.length === 0) {
    throw new RalexError(
      'internal_error',
      `Encoding speech as ${format} failed: ${result.stderr.trim().slice(0, 300)}`,
    );
  }
  return result.stdout;
}
