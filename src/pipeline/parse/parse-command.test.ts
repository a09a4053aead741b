import { describe, expect, it } from 'vitest';
import { ParsedCommandSchema } from '../../command/parsed-command.js';
import { TRIGGER_PHRASES } from '../../command/spoken/trigger-endings.js';
import { createFileMatcher } from './file-matcher.js';
import { observeCase, type ParseCase, SAMPLE_FILES } from './parse-cases.js';
import { parseCommand } from './parse-command.js';

const parse = (text: string) => parseCommand(text, { files: SAMPLE_FILES });
const check = (c: ParseCase) => {
  const { actual, expected } = observeCase(c);
  expect(actual).toEqual(expected);
  expect(ParsedCommandSchema.safeParse(parse(c.text)).success).toBe(true);
};

describe('parseCommand: the brief examples', () => {
  it.each<ParseCase>([
    {
      text: 'fix the failing test in user auth dot py, execute',
      intent: 'fix_bug',
      files: ['src/user_auth.py'],
      autoSubmit: true,
      trigger: 'execute',
      request: 'fix the failing test in src/user_auth.py',
    },
    {
      text: 'commit with message fix typo in readme',
      intent: 'commit',
      args: { message: 'fix typo in readme' },
      request: 'commit with message fix typo in readme',
    },
    { text: 'source slash app dot t s', intent: 'question', files: ['src/app.ts'], request: 'src/app.ts' },
    { text: 'fix the, uh, no, fix the test', intent: 'fix_bug', request: 'fix the test' },
    {
      text: 'open the, open user auth',
      intent: 'show_file',
      files: ['src/user_auth.py'],
      request: 'open src/user_auth.py',
    },
  ])('$text', check);
});

describe('parseCommand: every trigger ending', () => {
  const endings = TRIGGER_PHRASES.flatMap((phrase) => [
    [`, ${phrase}`, phrase],
    [` ${phrase}`, phrase],
    [`, ${phrase.toUpperCase()}!`, phrase],
    [`. ${phrase[0]!.toUpperCase()}${phrase.slice(1)} please.`, phrase],
    [` and ${phrase} now`, phrase],
  ]);
  it.each(endings)('"write tests for format date dot py%s" → %s', (ending, phrase) => {
    check({
      text: `write tests for format date dot py${ending}`,
      intent: 'test',
      files: ['src/utils/format_date.py'],
      autoSubmit: true,
      trigger: phrase,
      request: 'write tests for src/utils/format_date.py',
    });
  });

  it.each<ParseCase>([
    { text: 'how do I do it', intent: 'question', request: 'how do I do it' },
    { text: 'explain how to apply it', intent: 'explain' },
    { text: 'should we proceed?', intent: 'question' },
    { text: 'execute the migration script', intent: 'question' },
    { text: 'go ahead', intent: 'confirm', request: 'go ahead' },
    { text: 'Do it.', intent: 'confirm' },
    { text: 'execute', intent: 'confirm' },
    { text: 'okay, go ahead', intent: 'confirm', autoSubmit: false },
    { text: 'yes do it', intent: 'confirm', autoSubmit: true, trigger: 'do it', request: 'yes' },
  ])('only at the end, and not when the phrase is the sentence: $text', check);
});

describe('parseCommand: fillers and false starts', () => {
  it.each<ParseCase>([
    { text: 'um so okay can you please run the tests', intent: 'run_tests', request: 'run the tests' },
    {
      text: 'Hey Ralex, could you open the readme file',
      intent: 'show_file',
      files: ['README.md'],
      request: 'open the README.md',
    },
    {
      text: 'ralex, I want you to refactor user auth dot py',
      intent: 'refactor',
      files: ['src/user_auth.py'],
    },
    {
      text: "let's write tests for login form dot t s x",
      intent: 'test',
      files: ['src/components/LoginForm.tsx'],
    },
    {
      text: 'like, uh, explain format date dot py please',
      intent: 'explain',
      files: ['src/utils/format_date.py'],
    },
    { text: 'could you, um, show me what changed', intent: 'what_changed', request: 'show me what changed' },
    { text: 'fix the the parser', intent: 'fix_bug', request: 'fix the parser' },
    {
      text: 'open user auth dot py, no, format date dot py',
      intent: 'show_file',
      files: ['src/utils/format_date.py'],
      request: 'open src/utils/format_date.py',
    },
    {
      text: 'fix the test in user auth dot py, sorry, in format date dot py',
      intent: 'fix_bug',
      files: ['src/utils/format_date.py'],
      request: 'fix the test in src/utils/format_date.py',
    },
    { text: 'explain the, I mean, review the diff', intent: 'review', request: 'review the diff' },
    {
      text: 'fix the login form, fix the user avatar',
      intent: 'fix_bug',
      files: ['src/components/LoginForm.tsx', 'src/components/UserAvatar.tsx'],
      request: 'fix the src/components/LoginForm.tsx, fix the src/components/UserAvatar.tsx',
    },
    { text: 'okay', intent: 'confirm' },
    { text: 'there is no, um, test for this', intent: 'question' },
  ])('$text', check);
});

describe('parseCommand: complexity and edges', () => {
  it('scores direct intents 1 and grows with scope, risk and file count', () => {
    expect(parse('run the tests').complexity).toBe(1);
    const small = parse('fix the typo in readme dot m d').complexity;
    const wide = parse('refactor the database migration code across the whole project').complexity;
    expect(small).toBeLessThan(wide);
    expect(wide).toBeGreaterThanOrEqual(9);
    expect(parse('explain user auth dot py').complexity).toBeLessThan(
      parse('explain user auth dot py and format date dot py').complexity,
    );
  });

  it('handles empty and whitespace input', () => {
    expect(parse('')).toMatchObject({ request: '', intent: 'question', files: [], autoSubmit: false });
    expect(parse('   um   ').request).toBe('');
  });

  it('accepts a prebuilt matcher and gives the same result', () => {
    const matcher = createFileMatcher(SAMPLE_FILES);
    const text = 'fix the failing test in user auth dot py, execute';
    expect(parseCommand(text, { matcher })).toEqual(parse(text));
  });

  it('keeps the original text', () => {
    expect(parse('Um, fix the bug, go ahead').text).toBe('Um, fix the bug, go ahead');
  });
});
