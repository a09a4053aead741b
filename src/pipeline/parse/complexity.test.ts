import { describe, expect, it } from 'vitest';
import { DIRECT_INTENTS, type MODEL_INTENTS } from '../../command/parsed-command.js';
import { estimateComplexity } from './complexity.js';

describe('estimateComplexity', () => {
  it('is 1 for every direct intent, whatever the text', () => {
    for (const intent of DIRECT_INTENTS) {
      expect(
        estimateComplexity({ intent, request: 'all of the entire database migration', fileCount: 9 }),
      ).toBe(1);
    }
  });

  it('orders model intents by their usual size', () => {
    const c = (intent: (typeof MODEL_INTENTS)[number]) =>
      estimateComplexity({ intent, request: 'x', fileCount: 0 });
    expect(c('question')).toBeLessThan(c('review'));
    expect(c('review')).toBeLessThan(c('fix_bug'));
    expect(c('fix_bug')).toBeLessThan(c('implement'));
    expect(c('implement')).toBeLessThan(c('refactor'));
  });

  it.each([
    ['fix the typo', 0, 4],
    ['fix the typo', 2, 5],
    ['fix the typo', 5, 6],
    ['fix every typo across the codebase', 0, 6],
    ['fix the auth bug', 0, 5],
    ['fix the auth bug in the database migration', 0, 6],
    ['fix the auth, security, database and payment bugs in every file', 4, 10],
  ])('fix_bug "%s" with %i files → %i', (request, fileCount, expected) => {
    expect(estimateComplexity({ intent: 'fix_bug', request, fileCount })).toBe(expected);
  });

  it('grows with length and stays within 1..10', () => {
    const long = Array.from({ length: 70 }, (_, i) => `word${i}`).join(' ');
    expect(estimateComplexity({ intent: 'question', request: long, fileCount: 0 })).toBe(4);
    expect(
      estimateComplexity({
        intent: 'refactor',
        request: `refactor all auth database ${long}`,
        fileCount: 10,
      }),
    ).toBe(10);
  });
});
