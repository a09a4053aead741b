import { describe, expect, it } from 'vitest';
import { CONTROL_SAYINGS, phraseListFsg, rivalGrammarName, rivalGrammars } from './control-rivals.js';

describe('control rivals', () => {
  it('knows every control phrase said alone, with its intent', () => {
    expect(CONTROL_SAYINGS.get('reject')).toBe('deny');
    expect(CONTROL_SAYINGS.get('redo that')).toBe('redo');
    expect(CONTROL_SAYINGS.get('undo the last change')).toBe('undo');
    expect(CONTROL_SAYINGS.has('fix the build')).toBe(false);
  });

  it('gives each intent a grammar of the other intents’ phrases only', () => {
    const grammars = new Map(rivalGrammars().map((g) => [g.name, g.fsg]));
    const redo = grammars.get(rivalGrammarName('redo'))!;
    expect(redo).toMatch(/ reject$/m);
    expect(redo).toMatch(/ undo$/m);
    expect(redo).not.toMatch(/ redo$/m);
    for (const intent of new Set(CONTROL_SAYINGS.values()))
      expect(grammars.has(rivalGrammarName(intent))).toBe(true);
  });

  it('writes a Sphinx FSG: one chain of states per phrase from the start state to the final one', () => {
    expect(phraseListFsg('x', ['yes', 'undo that'])).toBe(
      [
        'FSG_BEGIN x',
        'NUM_STATES 3',
        'START_STATE 0',
        'FINAL_STATE 1',
        'TRANSITION 0 1 0.500000 yes',
        'TRANSITION 0 2 0.500000 undo',
        'TRANSITION 2 1 1.0 that',
        'FSG_END',
        '',
      ].join('\n'),
    );
  });
});
