import { z } from 'zod';

/** One recognised word: where it is (seconds) and how sure the decoder is of it. */
export const DecodedWordSchema = z.object({
  word: z.string(),
  start: z.number(),
  end: z.number(),
  /** Posterior probability 0..1 from the word lattice (null when the decoder gave none). */
  posterior: z.number().nullable(),
});
/** One recognised word. */
export type DecodedWord = z.infer<typeof DecodedWordSchema>;

/**
 * Which decoding pass heard it: the project grammar (exact phrasings), the open language model,
 * or the rival check of a heard control word (the best control phrase of another intent).
 */
export const SpeechPassSchema = z.enum(['grammar', 'open', 'rival']);
/** A decoding pass. */
export type SpeechPass = z.infer<typeof SpeechPassSchema>;

/** What one decoding pass heard: its text, words, and scores (log base 1.0001, closer to 0 is better). */
export const SpeechHypothesisSchema = z.object({
  pass: SpeechPassSchema,
  text: z.string(),
  words: z.array(DecodedWordSchema),
  /** Path score and its acoustic part; 0 for an empty result. */
  score: z.number(),
  acoustic: z.number(),
  /** 10 ms frames the decoder looked at. */
  frames: z.number(),
});
/** What one decoding pass heard. */
export type SpeechHypothesis = z.infer<typeof SpeechHypothesisSchema>;
