import { stripTriggerEnding, type TriggerPhrase } from '../../command/spoken/trigger-endings.js';
import { repairFalseStarts } from './false-starts.js';
import { dropFillers, dropHesitations } from './fillers.js';
import { type Token, tokenize } from './tokens.js';

/** Fillers, hesitations and false starts removed; fillers again, since a repair can expose one. */
export function cleanTokens(tokens: readonly Token[]): Token[] {
  return dropFillers(repairFalseStarts(dropFillers(dropHesitations(tokens))));
}

/** The request body with its auto-submit ending removed, and the trigger that ended it (or null). */
export interface AutoSubmitEnding {
  /** The text to parse: without the trigger, or the whole text when the trigger is all there is. */
  body: string;
  /** Its tokens, fillers and false starts removed. */
  tokens: Token[];
  trigger: TriggerPhrase | null;
}

/**
 * The one auto-submit detector: the parse stage uses it, and so does the web app for the
 * browser's own transcripts, so "don't execute" or "how do I do it" never run anywhere. When
 * nothing but the phrase is said ("go ahead"), it is the command itself, not an ending.
 */
export function detectAutoSubmit(text: string): AutoSubmitEnding {
  const normalized = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  const stripped = stripTriggerEnding(normalized);
  const tokens = cleanTokens(tokenize(stripped.text));
  if (tokens.length === 0 && stripped.trigger)
    return { body: normalized, tokens: cleanTokens(tokenize(normalized)), trigger: null };
  return { body: stripped.text, tokens, trigger: stripped.trigger };
}
