import { describe, expect, it } from 'vitest';
import { buildArpaModel } from './arpa-model.js';

describe('buildArpaModel', () => {
  const arpa = buildArpaModel([
    ['run', 'the', 'tests'],
    ['run', 'the', 'tests'],
    ['show', 'the', 'diff'],
  ]);
  const section = (n: number) => {
    const start = arpa.indexOf(`\\${n}-grams:`);
    const end = arpa.indexOf('\n\n', start);
    return arpa.slice(start, end).split('\n').slice(1);
  };

  it('declares as many n-grams as it lists', () => {
    for (const n of [1, 2, 3]) {
      const declared = Number(new RegExp(`ngram ${n}=(\\d+)`).exec(arpa)?.[1]);
      expect(section(n).length).toBe(declared);
    }
    expect(arpa.trim().endsWith('\\end\\')).toBe(true);
  });

  it('gives seen continuations most of the probability and normalises unigrams', () => {
    const unigrams = section(1).filter((l) => !l.includes('<s>'));
    const total = unigrams.reduce((sum, line) => sum + 10 ** Number(line.split(' ')[0]), 0);
    expect(total).toBeCloseTo(1, 3); // log10 values are printed to 4 decimals
    const theTests = section(2).find((l) => l.split(' ').slice(1, 3).join(' ') === 'the tests');
    const theDiff = section(2).find((l) => l.split(' ').slice(1, 3).join(' ') === 'the diff');
    expect(Number(theTests?.split(' ')[0])).toBeGreaterThan(Number(theDiff?.split(' ')[0]));
  });
});
