import { describe, expect, it } from 'vitest';
import { expandPhrase } from './expand-phrase.js';

describe('expandPhrase', () => {
  it('expands optional parts and alternatives, keeping slots', () => {
    expect(expandPhrase('run [all] the tests').map((w) => w.join(' '))).toEqual([
      'run the tests',
      'run all the tests',
    ]);
    expect(expandPhrase('(show | read) <file>').map((w) => w.join(' '))).toEqual([
      'show <file>',
      'read <file>',
    ]);
    expect(expandPhrase('fix the (bug | type error) in').length).toBe(2);
  });

  it('rejects unbalanced patterns', () => {
    expect(() => expandPhrase('run (the tests')).toThrow(/Unbalanced/);
  });
});
