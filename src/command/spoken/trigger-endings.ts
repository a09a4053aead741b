/** Auto-submit endings: "fix the test in user auth dot py, execute" runs without a confirm step. */

/** The trigger phrases, as reported in `ParsedCommand.trigger`. */
export const TRIGGER_PHRASES = [
  'execute',
  'send it',
  'go ahead',
  'do it',
  'run it',
  'make it happen',
  'proceed',
  'apply it',
] as const;

/** One trigger phrase. */
export type TriggerPhrase = (typeof TRIGGER_PHRASES)[number];

/** Words that may sit between the request and the trigger ("…, and then go ahead now please"). */
const CONNECTORS = [
  'and',
  'then',
  'so',
  'just',
  'please',
  'now',
  'ok',
  'okay',
  "let's",
  'lets',
  'um',
  'uh',
  'er',
  'erm',
  'uhm',
];
/** Words allowed after the trigger. */
const TAIL_WORDS = ['please', 'now', 'then', 'already'];
/**
 * Words that make the phrase part of the sentence rather than an ending: "how do I do it",
 * "tell me how to apply it", "should I run it". Only when nothing (no comma) separates them.
 */
const BLOCKING_WORDS = new Set([
  'i',
  'we',
  'you',
  'they',
  'he',
  'she',
  'to',
  'should',
  'can',
  'could',
  'would',
  'will',
  'shall',
  'how',
  'why',
  'what',
  'when',
  'where',
  'not',
  "don't",
  'dont',
  "didn't",
  "doesn't",
  'never',
  'did',
  'does',
  'must',
]);

const words = (list: readonly string[]) => list.map((w) => w.replace(/ /g, '\\s+')).join('|');
const TRIGGER_AT_END = new RegExp(
  `(^|[\\s,;:.!?—–-])((?:(?:${words(CONNECTORS)})[\\s,]+)*)(${words(
    [...TRIGGER_PHRASES].sort((a, b) => b.length - a.length),
  )})((?:[\\s,]+(?:${words(TAIL_WORDS)}))*)[\\s.,!?;:…]*$`,
  'i',
);

/** The text without its trigger ending, and the trigger found (null when none). */
export interface TriggerEnding {
  /** The text before the trigger, trailing punctuation and connectors removed. */
  text: string;
  trigger: TriggerPhrase | null;
}

/**
 * Detects and strips an auto-submit phrase at the very end of the text (case-insensitive,
 * commas, "and then" before and "please"/"now" after tolerated). When nothing but the phrase is
 * said ("go ahead"), it is the whole command, not an ending: no trigger is reported.
 */
export function stripTriggerEnding(text: string): TriggerEnding {
  const match = TRIGGER_AT_END.exec(text);
  if (!match) return { text: text.trim(), trigger: null };
  const separator = match[1] ?? '';
  const connectors = match[2] ?? '';
  const before = text.slice(0, match.index);
  // "…, and, uh, make it happen": connectors cut off by a pause are not part of the request either.
  const rest = before.replace(/(?:[\s,;:.!—–-]+(?:and|then|so|um|uh|er))*[\s,;:.!—–-]*$/i, '');
  if (!/[\p{L}\p{N}]/u.test(rest)) return { text: text.trim(), trigger: null };
  const separated = /[,;:.!?—–-]/.test(separator) || /[,;:.!?—–-]\s*$/.test(before) || connectors.length > 0;
  const previousWord = /([\p{L}'’]+)\s*$/u.exec(rest)?.[1]?.toLowerCase().replace('’', "'");
  if (!separated && previousWord && BLOCKING_WORDS.has(previousWord))
    return { text: text.trim(), trigger: null };
  const trigger = match[3]!.toLowerCase().replace(/\s+/g, ' ') as TriggerPhrase;
  return { text: rest.trim(), trigger };
}
