import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedEditDistance } from './edit-distance.js';

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return d[a.length]![b.length]!;
}

describe('boundedEditDistance', () => {
  it.each([
    ['userauth.py', 'userauth.py', 2, 0],
    ['useroath.py', 'userauth.py', 2, 2],
    ['useroff.py', 'userauth.py', 2, 3],
    ['', 'abc', 3, 3],
    ['abc', '', 1, 2],
  ])('%s vs %s (max %i) → %i', (a, b, max, expected) => {
    expect(boundedEditDistance(a, b, max)).toBe(expected);
  });

  it('equals the plain Levenshtein distance when within max, and max + 1 otherwise', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '.', '/'), maxLength: 80 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 5 }), (a, b, max) => {
        const exact = levenshtein(a, b);
        expect(boundedEditDistance(a, b, max)).toBe(exact <= max ? exact : max + 1);
      }),
      { numRuns: 3000 },
    );
  });
});
