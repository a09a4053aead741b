import type { Intent } from '../../command/parsed-command.js';
import { CONTROL } from './command-phrases.js';
import { expandPhrase } from './expand-phrase.js';

/**
 * The rival check of a heard control word: short control words are confused ("reject" heard as
 * "redo" by both passes), so when the grammar pass hears one, the same audio is decoded again
 * with a grammar of every control phrase of the OTHER intents. How much better the heard phrase
 * fits the audio than its best rival (acoustic scores) tells whether the word was really said.
 */

/** Every control phrase said alone, with its intent ("undo that" → undo). */
export const CONTROL_SAYINGS: ReadonlyMap<string, Intent> = new Map(
  CONTROL.flatMap((ph) => expandPhrase(ph.pattern).map((words) => [words.join(' '), ph.intent] as const)),
);

/** Name of the grammar (`<name>.fsg`) holding the rivals of an intent. */
export function rivalGrammarName(intent: Intent): string {
  return `rivals-${intent}`;
}

/** The rival grammars: for each control intent, every control phrase of the other intents. */
export function rivalGrammars(): { name: string; fsg: string }[] {
  const intents = [...new Set(CONTROL_SAYINGS.values())];
  return intents.map((intent) => {
    const name = rivalGrammarName(intent);
    const phrases = [...CONTROL_SAYINGS].filter(([, i]) => i !== intent).map(([saying]) => saying);
    return { name, fsg: phraseListFsg(name, phrases) };
  });
}

/**
 * A pocketsphinx finite-state grammar (Sphinx FSG format) accepting exactly one of `phrases`,
 * each equally likely: state 0 starts, state 1 ends, one chain of states per phrase.
 */
export function phraseListFsg(name: string, phrases: readonly string[]): string {
  const transitions: string[] = [];
  let states = 2;
  const start = (1 / phrases.length).toFixed(6);
  for (const phrase of phrases) {
    const words = phrase.split(' ').filter(Boolean);
    let from = 0;
    words.forEach((word, i) => {
      const to = i === words.length - 1 ? 1 : states++;
      transitions.push(`TRANSITION ${from} ${to} ${from === 0 ? start : '1.0'} ${word}`);
      from = to;
    });
  }
  return [
    `FSG_BEGIN ${name}`,
    `NUM_STATES ${states}`,
    'START_STATE 0',
    'FINAL_STATE 1',
    ...transitions,
    'FSG_END',
    '',
  ].join('\n');
}
