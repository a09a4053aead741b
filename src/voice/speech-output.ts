import { z } from 'zod';
import { RalexError } from '../errors.js';
import { findExecutable } from './audio-decoders.js';
import { runProcess } from './run-process.js';
import { encodeSpeech, SPEECH_FORMATS } from './speech-encoding.js';
import { encodeWav, parseWav } from './wav.js';

/** Options for offline speech: an espeak-ng voice or an OpenAI voice name, a speed factor, a format. */
export const SpeakOptionsSchema = z.object({
  /** "alloy", "nova", ... (mapped to espeak-ng voices) or an espeak-ng voice such as "en-gb" or "en-us+f3". */
  voice: z.string().optional(),
  /** OpenAI-style factor, 0.25–4 (1 ≈ 175 words a minute). */
  speed: z.number().min(0.25).max(4).optional(),
  /** mp3, opus (Ogg), aac (ADTS), flac, wav, or pcm (24 kHz mono s16le), as OpenAI offers them. */
  format: z.enum(SPEECH_FORMATS).optional(),
});
/** Options for offline speech. */
export type SpeakOptions = z.infer<typeof SpeakOptionsSchema> & { signal?: AbortSignal };

/** OpenAI's voice names mapped to espeak-ng voices of a similar register. */
export const OPENAI_VOICE_MAP: Readonly<Record<string, string>> = {
  alloy: 'en-us',
  ash: 'en-us+m3',
  coral: 'en-us+f2',
  echo: 'en-us+m3',
  fable: 'en-gb',
  onyx: 'en-us+m7',
  nova: 'en-us+f3',
  sage: 'en-gb+f3',
  shimmer: 'en-us+f4',
};

/** Longest text accepted (OpenAI's /audio/speech limit). */
export const MAX_SPEECH_CHARS = 4096;

/** Speaks text offline with espeak-ng at the asked speed; returns WAV (22.05 kHz mono) or the asked format. */
export async function speak(text: string, options: SpeakOptions = {}): Promise<Buffer> {
  const trimmed = text.trim();
  if (!trimmed) throw new RalexError('bad_request', 'There is no text to speak.');
  if (trimmed.length > MAX_SPEECH_CHARS) {
    throw new RalexError(
      'bad_request',
      `The text is ${trimmed.length} characters; the limit is ${MAX_SPEECH_CHARS}.`,
    );
  }
  const espeak = await findExecutable('espeak-ng');
  if (!espeak) {
    throw new RalexError(
      'internal_error',
      'Offline speech needs espeak-ng (Debian: apt-get install espeak-ng).',
    );
  }
  const voice = resolveVoice(options.voice);
  const wpm = String(Math.round(Math.min(450, Math.max(80, 175 * (options.speed ?? 1)))));
  // Text goes on stdin so nothing in it can be read as an option.
  const result = await runProcess(espeak, ['--stdin', '--stdout', '-v', voice, '-s', wpm], {
    input: trimmed,
    signal: options.signal,
    timeoutMs: 60_000,
  });
  if (result.code !== 0 || result.stdout.length <= 44) {
    throw new RalexError(
      'internal_error',
      `espeak-ng failed: ${result.stderr.trim() || `exit ${result.code}`}`,
    );
  }
  // espeak-ng streams a header with placeholder sizes; rewrite it so every reader accepts the file.
  const info = parseWav(result.stdout);
  const wav = encodeWav(info.data, info.sampleRate);
  return encodeSpeech(wav, options.format ?? 'wav', options.signal);
}

/** An espeak-ng voice for an OpenAI voice name or espeak voice id; unknown names get en-us. */
export function resolveVoice(voice: string | undefined): string {
  if (!voice) return 'en-us';
  const mapped = OPENAI_VOICE_MAP[voice.toLowerCase()];
  if (mapped) return mapped;
  return /^[a-z]{2,3}(-[a-z0-9]{2,8})*(\+[a-z0-9]{1,12})?$/i.test(voice) ? voice : 'en-us';
}
