import { describe, expect, it } from 'vitest';
import { IntentSchema } from '../../command/parsed-command.js';
import { TRIGGER_PHRASES } from '../../command/spoken/trigger-endings.js';
import { COMMAND_PHRASES } from './command-phrases.js';
import { parseCommand } from './parse-command.js';

const FILES = ['src/user_auth.py', 'src/app.ts', 'tests/test_user_auth.py', 'README.md'];
const fill = (phrase: string) =>
  phrase
    .replace('{file}', 'user auth dot py')
    .replace('{folder}', 'source')
    .replace('{message}', 'a retry limit')
    .replace('{workflow}', 'release check');

describe('COMMAND_PHRASES', () => {
  it('covers every intent', () => {
    expect(Object.keys(COMMAND_PHRASES).sort()).toEqual([...IntentSchema.options].sort());
  });

  const cases = Object.entries(COMMAND_PHRASES).flatMap(([intent, phrases]) =>
    phrases.map((p) => [p, intent] as const),
  );
  it.each(cases)('"%s" parses to %s (and with a trigger ending too)', (phrase, intent) => {
    const parsed = parseCommand(fill(phrase), { files: FILES });
    expect(parsed.intent).toBe(intent);
    if (phrase.includes('{file}')) expect(parsed.files).toEqual(['src/user_auth.py']);
    if (phrase.includes('{folder}')) expect(parsed.args.path).toBe('src');
    const triggered = parseCommand(`${fill(phrase)}, ${TRIGGER_PHRASES[0]}`, { files: FILES });
    expect(triggered.autoSubmit).toBe(true);
  });

  it('uses words only, so a grammar can take them as they are', () => {
    for (const phrases of Object.values(COMMAND_PHRASES)) {
      for (const p of phrases) expect(p).toMatch(/^[a-z {}]+$/);
    }
  });
});
