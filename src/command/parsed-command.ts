import { z } from 'zod';

/** Intents that run without a model: fast, free, and available before any provider is configured. */
export const DIRECT_INTENTS = [
  'run_tests',
  'what_changed',
  'show_file',
  'list_files',
  'commit',
  'undo',
  'redo',
  'push',
  'cancel',
  'confirm',
  'deny',
  'repeat',
  'status',
] as const;

/** Intents that need a model (the agent reads, and in later stages edits, the project). */
export const MODEL_INTENTS = [
  'fix_bug',
  'implement',
  'refactor',
  'explain',
  'test',
  'review',
  'question',
  'workflow',
] as const;

/** Every intent the parse stage can produce. */
export const IntentSchema = z.enum([...DIRECT_INTENTS, ...MODEL_INTENTS]);
/** One intent, e.g. `fix_bug` or `what_changed`. */
export type Intent = z.infer<typeof IntentSchema>;

/** A file the user spoke of, with what it resolved to in the project. */
export const FileMentionSchema = z.object({
  /** The words as said or typed ("user auth dot py"). */
  spoken: z.string(),
  /** Project-relative paths that fit, best first. */
  candidates: z.array(z.string()),
  /** The one path chosen, or null when none or several fit equally (ask the user). */
  resolved: z.string().nullable(),
});
/** A file mention and its resolution. */
export type FileMention = z.infer<typeof FileMentionSchema>;

/** How sure the recogniser was of a command that was heard rather than typed. */
export const SpeechEvidenceSchema = z.object({
  /** 0..1: that the command (intent, files, message) is what was said: agreement of the decoding passes and acoustic scores. */
  confidence: z.number().min(0).max(1),
  /** 0..1: that the auto-submit ending ("…, execute") was said; 0 when none was heard. */
  triggerConfidence: z.number().min(0).max(1),
  /** The engine that heard it ("pocketsphinx"). */
  engine: z.string(),
});
/** How sure the recogniser was of a spoken command. */
export type SpeechEvidence = z.infer<typeof SpeechEvidenceSchema>;

/** A question Ralex asks before acting on what it heard, answerable by voice ("Did you say undo? Say yes or no."). */
export const HeardCheckSchema = z.object({
  question: z.string(),
  /** Why it asks: which intent or ending needed more certainty than the recogniser had. */
  reason: z.string(),
});
/** A question asked back before acting on speech. */
export type HeardCheck = z.infer<typeof HeardCheckSchema>;

/** What the parse stage makes of one command's text. */
export const ParsedCommandSchema = z.object({
  /** The text as received. */
  text: z.string(),
  /** The request after fillers, false starts and the trigger ending are removed, spoken forms normalised. */
  request: z.string(),
  intent: IntentSchema,
  /** True when the intent runs without a model. */
  direct: z.boolean(),
  /** Project-relative paths the command refers to (resolved mentions only). */
  files: z.array(z.string()),
  /** Every file mention, including unresolved and ambiguous ones. */
  mentions: z.array(FileMentionSchema),
  /** True when the text ended with a trigger phrase ("…, execute"). */
  autoSubmit: z.boolean(),
  /** The trigger phrase that was stripped, if any. */
  trigger: z.string().nullable(),
  /** 1 (trivial) to 10 (large, risky change). */
  complexity: z.number().int().min(1).max(10),
  /** Intent-specific arguments: a commit message, a workflow name, a test filter. */
  args: z.record(z.string(), z.string()),
  /** Present when the text was heard by Ralex's recogniser: how sure it was. */
  speech: SpeechEvidenceSchema.optional(),
  /** Present when the pipeline must ask before acting on what it heard (`speech` was not sure enough). */
  heardCheck: HeardCheckSchema.optional(),
});
/** What the parse stage makes of one command's text. */
export type ParsedCommand = z.infer<typeof ParsedCommandSchema>;

/** True when the intent runs without a model. */
export function isDirectIntent(intent: Intent): boolean {
  return (DIRECT_INTENTS as readonly string[]).includes(intent);
}
