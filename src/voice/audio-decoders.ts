import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { AudioFormat } from './audio-format.js';
import { runProcess } from './run-process.js';

/** The external decoders found on this machine. */
export interface AudioDecoders {
  /** sox and the file types its installed format libraries read (`sox -h`). */
  sox: { path: string; types: ReadonlySet<string> } | null;
  /** ffmpeg reads every format Ralex accepts (webm/opus, mp4/aac, mp3, ogg, flac, wav). */
  ffmpeg: { path: string } | null;
}

/** Finds an executable on PATH, or null. */
export async function findExecutable(
  name: string,
  searchPath = process.env.PATH ?? '',
): Promise<string | null> {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

let cached: Promise<AudioDecoders> | undefined;

/** Looks up sox and ffmpeg once per process. */
export function findAudioDecoders(): Promise<AudioDecoders> {
  cached ??= probeDecoders();
  return cached;
}

async function probeDecoders(): Promise<AudioDecoders> {
  const [soxPath, ffmpegPath] = await Promise.all([findExecutable('sox'), findExecutable('ffmpeg')]);
  let sox: AudioDecoders['sox'] = null;
  if (soxPath) {
    const help = await runProcess(soxPath, ['-h'], { timeoutMs: 5_000 }).catch(() => null);
    const line = `${help?.stdout.toString('utf8') ?? ''}`
      .split('\n')
      .find((l) => l.startsWith('AUDIO FILE FORMATS:'));
    sox = {
      path: soxPath,
      types: new Set(line?.replace('AUDIO FILE FORMATS:', '').trim().split(/\s+/) ?? []),
    };
  }
  return { sox, ffmpeg: ffmpegPath ? { path: ffmpegPath } : null };
}

/** Which decoder handles a format: sox where its libraries read it, else ffmpeg, else null. */
export function pickDecoder(
  decoders: AudioDecoders,
  format: AudioFormat,
  oggOpus: boolean,
): { tool: 'sox' | 'ffmpeg'; path: string; soxType?: string } | null {
  const soxType = { wav: 'wav', flac: 'flac', ogg: 'vorbis', mp3: 'mp3', webm: undefined, mp4: undefined }[
    format
  ];
  if (decoders.sox && soxType && !(format === 'ogg' && oggOpus) && decoders.sox.types.has(soxType)) {
    return { tool: 'sox', path: decoders.sox.path, soxType: format === 'ogg' ? 'ogg' : soxType };
  }
  if (decoders.ffmpeg) return { tool: 'ffmpeg', path: decoders.ffmpeg.path };
  return null;
}

/** A sentence naming what can be decoded here, for error messages and `ralex doctor`. */
export function describeDecoders(decoders: AudioDecoders): string {
  const parts = ['16 kHz mono 16-bit WAV (built in)'];
  if (decoders.sox) {
    const types = ['wav', 'flac', 'vorbis', 'mp3'].filter((t) => decoders.sox?.types.has(t));
    parts.push(`sox: ${types.join(', ').replace('vorbis', 'ogg/vorbis')}`);
  }
  if (decoders.ffmpeg) parts.push('ffmpeg: webm/opus, mp4/aac, mp3, ogg, flac, wav');
  return parts.join('; ');
}
