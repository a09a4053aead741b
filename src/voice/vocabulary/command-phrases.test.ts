import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../pipeline/parse/parse-command.js';
import {
  CONTROL,
  FEATURES,
  FILE,
  FOLDER,
  MESSAGE,
  OPEN_REQUESTS,
  type Phrasing,
  PLAIN,
  TRIGGER_PHRASES,
} from './command-phrases.js';
import { expandPhrase } from './expand-phrase.js';

const FILES = [
  'src/user_auth.py',
  'src/app.ts',
  'tests/test_user_auth.py',
  'README.md',
  'src/api/payment_api.ts',
];
/** Every expansion of a pattern, slots filled the way they are spoken. */
function sayings(pattern: string, file = 'user auth dot py'): string[] {
  return expandPhrase(pattern).map((words) =>
    words
      .join(' ')
      .replace('<test_file>', 'test user auth dot py')
      .replace('<file>', file)
      .replace('<folder>', 'source')
      .replace('<feature>', 'input validation')
      .replace(/<words>/g, 'login flow'),
  );
}
const cases = (list: readonly Phrasing[]) =>
  list.flatMap((ph) => sayings(ph.pattern).map((s) => [s, ph.intent] as const));

describe('spoken command phrasings', () => {
  it.each(
    cases([...CONTROL, ...PLAIN, ...MESSAGE, ...FILE, ...FOLDER]),
  )('"%s" parses to %s', (text, intent) => {
    const parsed = parseCommand(text, { files: FILES });
    expect(parsed.intent).toBe(intent);
    if (text.includes('user auth dot py'))
      expect(parsed.files).toEqual([expect.stringContaining('user_auth.py')]);
  });

  it.each(cases([...PLAIN, ...FILE]))('"%s, execute" auto-submits', (text) => {
    expect(parseCommand(`${text} ${TRIGGER_PHRASES[0]}`, { files: FILES }).autoSubmit).toBe(true);
  });

  it.each(cases(OPEN_REQUESTS))('open request "%s" parses to %s', (text, intent) => {
    expect(parseCommand(text, { files: FILES }).intent).toBe(intent);
  });

  it('names a file by its bare name too ("open the payment api")', () => {
    expect(parseCommand(sayings('open the <file>', 'payment api')[0]!, { files: FILES }).files).toEqual([
      'src/api/payment_api.ts',
    ]);
    expect(FEATURES.length).toBeGreaterThan(10);
  });
});
