import { describe, expect, it } from 'vitest';
import { repairFalseStarts } from './false-starts.js';
import { dropFillers, dropHesitations } from './fillers.js';
import { joinTokens, tokenize } from './tokens.js';

/** The cleaning parseCommand applies: hesitations, fillers, false starts, fillers again. */
const clean = (text: string) =>
  joinTokens(dropFillers(repairFalseStarts(dropFillers(dropHesitations(tokenize(text))))));

describe('fillers', () => {
  it.each([
    ['um so okay can you please run the tests', 'run the tests'],
    ['Hey Ralex, fix the bug', 'fix the bug'],
    ['ok ralex open the readme', 'open the readme'],
    ['I want you to add a test', 'add a test'],
    ["I'd like you to add a test", 'add a test'],
    ['could you please explain this', 'explain this'],
    ["let's refactor the parser", 'refactor the parser'],
    ['like, fix the, uh, login', 'fix the, login'],
    ['well, just run the tests please', 'run the tests'],
    ['run the tests, thank you', 'run the tests'],
    ['so, uhm, what changed', 'what changed'],
  ])('%s → %s', (text, expected) => {
    expect(clean(text)).toBe(expected);
  });

  it('keeps words that only look like fillers inside the sentence', () => {
    expect(clean('make it look like the old one')).toBe('make it look like the old one');
    expect(clean('explain why we use so many retries')).toBe('explain why we use so many retries');
  });
});

describe('dropHesitations', () => {
  it('moves the pause a dropped hesitation carried to the word before', () => {
    expect(joinTokens(dropHesitations(tokenize('fix the uh, test')))).toBe('fix the, test');
    expect(dropHesitations(tokenize('um uh er')).length).toBe(0);
  });
});
