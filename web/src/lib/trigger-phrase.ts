import { TRIGGER_PHRASES } from '../../../src/command/spoken/trigger-endings.js';
import { detectAutoSubmit } from '../../../src/pipeline/parse/auto-submit.js';

/** Endings that make a spoken command run at once: the server parser's own list, so both agree. */
export { TRIGGER_PHRASES };

/** Words that answer a waiting approval on their own. */
export const APPROVAL_WORDS = ['confirm', 'approve', 'yes', 'deny', 'reject', 'no', 'cancel', 'stop'];

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * The trigger phrase a transcript ends with, or null: the parse stage's own detector, so the
 * browser's transcripts auto-submit exactly when the server would ("don't execute" never does).
 */
export function endingTrigger(text: string): string | null {
  return detectAutoSubmit(text).trigger;
}

/** True when the whole utterance is one approval answer ("confirm", "deny", …). */
export function isApprovalAnswer(text: string): boolean {
  return APPROVAL_WORDS.includes(normalise(text).replace(/ (it|that|please)$/, ''));
}
