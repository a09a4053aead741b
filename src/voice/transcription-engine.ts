import { z } from 'zod';
import { SpeechHypothesisSchema } from './speech-hypotheses.js';

/** What a caller asks of an engine: command mode uses the project grammar, dictation free text. */
export const TranscribeOptionsSchema = z.object({
  /** Words that help recognition (OpenAI `prompt`); the offline engine ignores it. */
  prompt: z.string().optional(),
  /** ISO-639-1 language, e.g. "en". */
  language: z.string().optional(),
  mode: z.enum(['command', 'dictation']),
  /** `translate`: the text in English whatever was spoken (OpenAI's /audio/translations). */
  task: z.enum(['transcribe', 'translate']).optional(),
});
/** Per-request options; `signal` aborts the request. */
export type TranscribeOptions = z.infer<typeof TranscribeOptionsSchema> & { signal?: AbortSignal };

/** How sure a recogniser is of a heard command: agreement of its decoding passes and word posteriors. */
export const CertaintySchema = z.object({
  /** 0..1: that the command (intent, files, commit message) is what was said. */
  confidence: z.number().min(0).max(1),
  /** 0..1: that the auto-submit ending was said; 0 when none was kept. */
  triggerConfidence: z.number().min(0).max(1),
  /** Whether the decoding passes parse to the same command. */
  agreed: z.boolean(),
  /** Whose words the text is: the grammar pass's or the open language model's. */
  chosen: z.enum(['grammar', 'open', 'none']),
  /**
   * For a control word: how much better it fits the audio than the best control phrase of another
   * intent (acoustic score, log base 1.0001); null when not checked.
   */
  rivalMargin: z.number().nullable().optional(),
});
/** How sure a recogniser is of a heard command. */
export type Certainty = z.infer<typeof CertaintySchema>;

/** One engine's answer. */
export const EngineTranscriptSchema = z.object({
  text: z.string(),
  /** 0..1 when the engine reports one. */
  confidence: z.number().optional(),
  /** Time the engine spent, in ms. */
  durationMs: z.number(),
  /** Timed pieces, when the engine gives them. */
  segments: z.array(z.object({ start: z.number(), end: z.number(), text: z.string() })).optional(),
  /** What each decoding pass heard (the offline engine in command mode). */
  hypotheses: z.array(SpeechHypothesisSchema).optional(),
  /** How sure the engine is of the command it heard (the offline engine in command mode, from `readSpeech`). */
  certainty: CertaintySchema.optional(),
});
/** One engine's answer. */
export type EngineTranscript = z.infer<typeof EngineTranscriptSchema>;

/** A speech-to-text engine (pocketsphinx offline, an OpenAI-compatible endpoint, ...). */
export interface TranscriptionEngine {
  /** Stable id used in preferences and results: "pocketsphinx", "openai". */
  id: string;
  /** Whether it can run here; `reason` says why not. */
  available(): Promise<{ ok: boolean; reason?: string }>;
  /** Transcribes 16 kHz mono 16-bit WAV bytes. */
  transcribe(wav16k: Buffer, options: TranscribeOptions): Promise<EngineTranscript>;
  /** Releases processes or sockets, if any. */
  close?(): Promise<void>;
}
