import { describe, expect, it } from 'vitest';
import { parseDictionary } from '../pronunciation/cmu-dictionary.js';
import { GENERAL_WORDS, KEEP_FREQUENT, withoutControlNeighbours } from './general-words.js';

const dictionary = parseDictionary(
  [
    'push P UH1 SH',
    'pull P UH1 L',
    'bush B UH1 SH',
    'pushing P UH1 SH IH0 NG',
    'it IH1 T',
    'table T EY1 B AH0 L',
    'put P UH1 T',
  ].join('\n'),
);

describe('general words of the open pass', () => {
  it('leaves out profanity the open pass heard for control words', () => {
    for (const word of ['bullshit', 'sucks', 'suck', 'pissed']) expect(GENERAL_WORDS).not.toContain(word);
  });

  it('leaves out rare words one phoneme from a control phrase, keeps the control word, distant words and frequent ones', () => {
    const rare = (words: string[]) => [...Array<string>(KEEP_FREQUENT).fill('it'), ...words];
    const kept = withoutControlNeighbours(
      rare(['pull', 'bush', 'pushing', 'table', 'push']),
      ['push', 'push it'],
      dictionary,
    );
    expect(kept.slice(KEEP_FREQUENT)).toEqual(['table', 'push']);
    // Among the most frequent words ("put" for "push") nothing is left out: requests need them.
    expect(withoutControlNeighbours(['put', 'pull'], ['push'], dictionary)).toEqual(['put', 'pull']);
  });
});
