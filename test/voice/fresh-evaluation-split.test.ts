/**
 * The fresh evaluation set (bench/voice/fresh-evaluation-phrases.ts) stays held out: no phrase in
 * it is one the command grammar's exact phrasings can produce word for word (slots filled with
 * the sample project's spoken file names, the grammar's features and up to six free words), and
 * none repeats a phrase of the tuning half or of the first evaluation half.
 */
import { describe, expect, it } from 'vitest';
import { EVALUATION_COMMANDS } from '../../bench/voice/evaluation-phrases.js';
import { FRESH_EVALUATION_COMMANDS } from '../../bench/voice/fresh-evaluation-phrases.js';
import { spokenFormsOfPath } from '../../src/command/spoken/spoken-forms.js';
import { stripTriggerEnding } from '../../src/command/spoken/trigger-endings.js';
import { isTestFile } from '../../src/voice/vocabulary/command-grammar.js';
import {
  CONTROL,
  FEATURES,
  FILE,
  FOLDER,
  MESSAGE,
  PLAIN,
} from '../../src/voice/vocabulary/command-phrases.js';
import { expandPhrase } from '../../src/voice/vocabulary/expand-phrase.js';
import { NATURAL_COMMANDS, SAMPLE_COMMANDS, SAMPLE_FILES } from './sample-project.js';

const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const alternatives = (items: readonly string[]) =>
  `(?:${items.map((i) => i.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`;
const fileForms = SAMPLE_FILES.flatMap((f) => spokenFormsOfPath(f));
const testForms = SAMPLE_FILES.filter(isTestFile).flatMap((f) => spokenFormsOfPath(f));
const featureForms = FEATURES.flatMap((f) => expandPhrase(f).map((w) => w.join(' ')));
const SLOTS: Record<string, string> = {
  '<file>': alternatives(fileForms),
  '<test_file>': alternatives(testForms),
  '<folder>': "[a-z0-9' ]+",
  '<feature>': alternatives(featureForms),
  '<words>': "[a-z0-9']+(?: [a-z0-9']+){0,5}",
};
/** Every expansion of the grammar's exact phrasings, as a whole-phrase pattern. */
const grammarPhrases = [...CONTROL, ...PLAIN, ...MESSAGE, ...FILE, ...FOLDER].flatMap((ph) =>
  expandPhrase(ph.pattern).map(
    (tokens) =>
      new RegExp(
        `^(?:please )?${tokens.map((t) => SLOTS[t] ?? t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' ')}$`,
      ),
  ),
);

describe('fresh evaluation set', () => {
  it('holds about 80 commands over every family', () => {
    expect(FRESH_EVALUATION_COMMANDS.length).toBeGreaterThanOrEqual(75);
    const intents = new Set(FRESH_EVALUATION_COMMANDS.map((c) => c.intent));
    for (const intent of [
      'confirm',
      'deny',
      'cancel',
      'undo',
      'redo',
      'push',
      'commit',
      'run_tests',
      'explain',
    ])
      expect(intents).toContain(intent);
    expect(FRESH_EVALUATION_COMMANDS.some((c) => c.message)).toBe(true);
  });

  it.each(
    FRESH_EVALUATION_COMMANDS.map((c) => [c.say]),
  )('"%s" is not a phrase the grammar produces', (say) => {
    const body = words(stripTriggerEnding(say).text);
    const producedBy = grammarPhrases.find((re) => re.test(body));
    expect(producedBy?.source ?? null).toBeNull();
  });

  it('repeats no phrase of the tuning half or the first evaluation half', () => {
    const seen = new Set(
      [...SAMPLE_COMMANDS, ...NATURAL_COMMANDS, ...EVALUATION_COMMANDS].map((c) => words(c.say)),
    );
    expect(FRESH_EVALUATION_COMMANDS.filter((c) => seen.has(words(c.say))).map((c) => c.say)).toEqual([]);
  });
});
