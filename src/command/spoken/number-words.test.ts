import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digitsToWords, readNumberWords } from './number-words.js';

describe('number words', () => {
  it.each([
    ['2', 'two'],
    ['21', 'twenty one'],
    ['40', 'forty'],
    ['404', 'four oh four'],
    ['2024', 'twenty twenty four'],
    ['2005', 'twenty oh five'],
    ['0042', 'oh oh four two'],
    ['1000', 'one oh oh oh'],
  ])('%s is said %s', (digits, words) => {
    expect(digitsToWords(digits)).toBe(words);
    expect(readNumberWords(words.split(' '), 0)).toEqual({ digits, end: words.split(' ').length });
  });

  it('reads any digit string back from its words', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,6}$/), (digits) => {
        const words = digitsToWords(digits).split(' ');
        expect(readNumberWords(words, 0)).toEqual({ digits, end: words.length });
      }),
    );
  });

  it('reads only from the start index and stops at the first other word', () => {
    expect(readNumberWords(['v', 'two', 'client'], 1)).toEqual({ digits: '2', end: 2 });
    expect(readNumberWords(['client'], 0)).toBeUndefined();
  });
});
