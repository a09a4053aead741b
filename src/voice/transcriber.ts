import { z } from 'zod';
import { RalexError, toRalexError } from '../errors.js';
import { type PrepareAudioOptions, prepareAudio } from './audio-input.js';
import { createOpenAiEngine, type OpenAiEngineOptions } from './engines/openai-engine.js';
import { createPocketsphinxEngine, type PocketsphinxEngineOptions } from './engines/pocketsphinx-engine.js';
import { segmentsOf, TranscriptSegmentSchema } from './transcript-segments.js';
import { CertaintySchema, type TranscribeOptions, type TranscriptionEngine } from './transcription-engine.js';
import { parseWav } from './wav.js';

/** What a transcription produced, which engine answered, and which were skipped and why. */
export const TranscriptionResultSchema = z.object({
  text: z.string(),
  engine: z.string(),
  fallbacks: z.array(z.object({ engine: z.string(), reason: z.string() })),
  /** Wall time from bytes to text, in ms (conversion included). */
  durationMs: z.number(),
  audioSeconds: z.number(),
  /** The upload's container and the tool that converted it. */
  format: z.string(),
  decoder: z.enum(['none', 'sox', 'ffmpeg']),
  /** Which vocabulary the recogniser used: the project's commands, or free dictation. */
  mode: z.enum(['command', 'dictation']),
  /** Timed pieces of the text (one per recording offline). */
  segments: z.array(TranscriptSegmentSchema),
  /** How sure the engine is of the command (command mode, engines that can tell: the offline one). */
  certainty: CertaintySchema.optional(),
});
/** What a transcription produced. */
export type TranscriptionResult = z.infer<typeof TranscriptionResultSchema>;

/** Engines in preference order, with settings for the built-in ones. */
export interface TranscriberOptions {
  /** Engine ids, first preferred: "pocketsphinx", "openai", or ids of `extraEngines`. */
  engines: readonly string[];
  pocketsphinx?: PocketsphinxEngineOptions;
  openai?: OpenAiEngineOptions;
  /** Further engines by id (other providers, test doubles). */
  extraEngines?: readonly TranscriptionEngine[];
  /** Upload limits (default 60 s, 25 MB). */
  limits?: Pick<PrepareAudioOptions, 'maxSeconds' | 'maxBytes'>;
}

/** Turns uploaded audio into text with the first engine that works. */
export interface Transcriber {
  transcribe(audio: Buffer, options?: Partial<TranscribeOptions>): Promise<TranscriptionResult>;
  /** Preloads engines that keep state warm (the pocketsphinx decoders); never throws, says what failed. */
  warmUp(): Promise<{ engine: string; ok: boolean; reason?: string }[]>;
  close(): Promise<void>;
}

/** Creates a transcriber over an ordered engine list: one failing or missing → the next, said in `fallbacks`. */
export function createTranscriber(options: TranscriberOptions): Transcriber {
  const known = new Map<string, TranscriptionEngine>();
  for (const engine of options.extraEngines ?? []) known.set(engine.id, engine);
  const ordered = options.engines.map((id) => ({ id, engine: known.get(id) ?? builtIn(id, options) }));
  return {
    async transcribe(audio, request = {}) {
      const started = performance.now();
      const prepared = await prepareAudio(audio, { ...options.limits, signal: request.signal });
      const fallbacks: TranscriptionResult['fallbacks'] = [];
      for (const { id, engine } of ordered) {
        if (typeof engine === 'string') {
          fallbacks.push({ engine: id, reason: engine });
          continue;
        }
        const availability = await engine
          .available()
          .catch((e: unknown) => ({ ok: false, reason: String(e) }));
        if (!availability.ok) {
          fallbacks.push({ engine: id, reason: availability.reason ?? 'not available' });
          continue;
        }
        try {
          const mode = request.mode ?? 'command';
          const result = await engine.transcribe(prepared.wav, { ...request, mode });
          return {
            text: result.text,
            mode,
            segments: segmentsOf(result.text, parseWav(prepared.wav).data, result.segments),
            engine: id,
            fallbacks,
            durationMs: performance.now() - started,
            audioSeconds: prepared.durationSeconds,
            format: prepared.format,
            decoder: prepared.decoder,
            ...(result.certainty ? { certainty: result.certainty } : {}),
          };
        } catch (error) {
          if (request.signal?.aborted) throw new RalexError('cancelled', 'Transcription was cancelled.');
          fallbacks.push({ engine: id, reason: toRalexError(error).message });
        }
      }
      throw new RalexError(
        'upstream_error',
        `No transcription engine could transcribe the audio: ${describe(fallbacks)}`,
        {
          details: { fallbacks },
          hint: 'Install pocketsphinx and pocketsphinx-en-us, or configure an OpenAI-compatible transcription endpoint.',
        },
      );
    },
    async warmUp() {
      return Promise.all(
        ordered.map(async ({ id, engine }) => {
          if (typeof engine === 'string') return { engine: id, ok: false, reason: engine };
          try {
            if ('warmUp' in engine && typeof engine.warmUp === 'function') await engine.warmUp();
            return { engine: id, ok: true };
          } catch (error) {
            return { engine: id, ok: false, reason: toRalexError(error).message };
          }
        }),
      );
    },
    async close() {
      await Promise.all(
        ordered.map(({ engine }) => (typeof engine === 'string' ? undefined : engine.close?.())),
      );
    },
  };
}

/** A built-in engine, or the reason it cannot be made. */
function builtIn(id: string, options: TranscriberOptions): TranscriptionEngine | string {
  if (id === 'pocketsphinx') {
    return options.pocketsphinx
      ? createPocketsphinxEngine(options.pocketsphinx)
      : 'pocketsphinx has no cache directory configured';
  }
  if (id === 'openai') {
    if (!options.openai) return 'no OpenAI-compatible transcription endpoint configured';
    try {
      return createOpenAiEngine(options.openai);
    } catch (error) {
      return `invalid OpenAI-compatible settings: ${(error as Error).message}`;
    }
  }
  return `unknown transcription engine "${id}"`;
}

function describe(fallbacks: TranscriptionResult['fallbacks']): string {
  return fallbacks.map((f) => `${f.engine}: ${f.reason}`).join('; ') || 'no engines configured';
}
