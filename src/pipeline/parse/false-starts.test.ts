import { describe, expect, it } from 'vitest';
import { repairFalseStarts } from './false-starts.js';
import { dropFillers, dropHesitations } from './fillers.js';
import { joinTokens, tokenize } from './tokens.js';

/** The cleaning parseCommand applies: hesitations, fillers, false starts, fillers again. */
const clean = (text: string) =>
  joinTokens(dropFillers(repairFalseStarts(dropFillers(dropHesitations(tokenize(text))))));

describe('false starts', () => {
  it.each([
    ['fix the, uh, no, fix the test', 'fix the test'],
    ['open the, open user auth', 'open user auth'],
    ['open app dot ts, no, wait, main dot ts', 'open main dot ts'],
    ['fix the test in user auth, sorry, in login', 'fix the test in login'],
    ['explain the, I mean, review the diff', 'review the diff'],
    ['add a test for the parser, scratch that, for the lexer', 'add a test for the lexer'],
    ['fix the login bug, no, the signup bug', 'fix the signup bug'],
    ['run the, run the tests', 'run the tests'],
    ['fix the the parser', 'fix the parser'],
    ['open the open the file', 'open the file'],
  ])('%s → %s', (text, expected) => {
    expect(clean(text)).toBe(expected);
  });

  it.each([
    'fix the login form, fix the signup form',
    'there is no test for this',
    'add tests for the parser, the lexer and the printer',
    'explain four oh four dot html',
    'no',
    'say no to the prompt, then continue',
  ])('leaves %j alone', (text) => {
    expect(clean(text)).toBe(text);
  });
});
