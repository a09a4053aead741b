import type { HeardCheck, Intent, ParsedCommand, SpeechEvidence } from '../../command/parsed-command.js';

/** Intents that change something hard to take back: acted on from speech only when the recogniser is sure. */
export const HARMFUL_INTENTS: ReadonlySet<Intent> = new Set(['undo', 'redo', 'push', 'commit', 'confirm']);
/** Harmful intents that are not answers: while an approval waits, "confirm" is far likelier than these. */
const NOT_ANSWERS: ReadonlySet<Intent> = new Set(['undo', 'redo', 'push', 'commit']);
/** Model changes that take something away ("delete the old migration"). */
const DESTRUCTIVE_WORDS = /\b(?:delete|remove|drop|wipe|erase|destroy|purge|truncate)\b/i;
const CHANGE_INTENTS: ReadonlySet<Intent> = new Set(['fix_bug', 'implement', 'refactor', 'test']);

/** How sure the recogniser must be (`SpeechEvidence.confidence`, `.triggerConfidence`) to act without asking. */
export const SURE_ENOUGH = 0.8;

/** Whether acting on this command would change something hard to take back. */
export function isHarmful(parsed: Pick<ParsedCommand, 'intent' | 'request'>): boolean {
  return (
    HARMFUL_INTENTS.has(parsed.intent) ||
    (CHANGE_INTENTS.has(parsed.intent) && DESTRUCTIVE_WORDS.test(parsed.request))
  );
}

/**
 * Never act on a guess: the question to ask back before acting on a spoken command, or null
 * when the recogniser was sure enough. Asked when a harmful intent (undo, redo, push, commit,
 * confirm, a change that deletes) or an auto-submit ending was heard with less than
 * `SURE_ENOUGH` confidence, and for undo/redo/push/commit heard while an approval waits (the
 * answer "confirm" is then the likelier word). Typed commands (no `speech`) are never asked back.
 */
export function checkHeard(
  parsed: Pick<ParsedCommand, 'intent' | 'request' | 'text' | 'autoSubmit'>,
  speech: SpeechEvidence | undefined,
  context: { approvalWaiting: boolean } = { approvalWaiting: false },
): HeardCheck | null {
  if (!speech) return null;
  const said = parsed.text.trim().replace(/[.!?]+$/, '');
  if (isHarmful(parsed) && speech.confidence < SURE_ENOUGH) {
    return {
      question: `Did you say "${said}"? Say yes or no.`,
      reason: `The recogniser was not sure enough (${pct(speech.confidence)}) to ${describe(parsed.intent)} on its word.`,
    };
  }
  if (context.approvalWaiting && NOT_ANSWERS.has(parsed.intent)) {
    return {
      question: `An approval is waiting. Did you say "${said}"? Say yes or no.`,
      reason: `While an approval waits, "${parsed.intent}" may be a misheard "confirm".`,
    };
  }
  if (parsed.autoSubmit && speech.triggerConfidence < SURE_ENOUGH) {
    return {
      question: `Did you say "${said}"? Say yes to run it, or no.`,
      reason: `The recogniser was not sure enough (${pct(speech.triggerConfidence)}) that the command ended with its run-now phrase.`,
    };
  }
  return null;
}

function pct(value: number): string {
  return `${Math.round(value * 100)}%`;
}

function describe(intent: Intent): string {
  if (intent === 'confirm') return 'approve';
  if (HARMFUL_INTENTS.has(intent)) return intent;
  return 'make a change that deletes';
}
