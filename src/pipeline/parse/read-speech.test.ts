import { describe, expect, it } from 'vitest';
import type { SpeechHypothesis } from '../../voice/speech-hypotheses.js';
import { checkHeard, SURE_ENOUGH } from './heard-check.js';
import { parseCommand } from './parse-command.js';
import { RIVAL_MARGIN, readSpeech } from './read-speech.js';

const FILES = ['src/api/payment_api.ts', 'src/billing.py', 'tests/test_user_auth.py', 'README.md'];
const opts = { files: FILES };

/** A pass's hypothesis with every word at `posterior`. */
function heard(pass: 'grammar' | 'open', text: string, posterior = 0.9): SpeechHypothesis {
  const words = text
    .split(' ')
    .filter(Boolean)
    .map((word, i) => ({ word, start: i / 2, end: (i + 1) / 2, posterior }));
  return { pass, text, words, score: -1000, acoustic: -900, frames: 100 };
}
/** What the pipeline would do with the reading: ask back, or act. */
function decide(grammar: string, open: string, posterior = 0.9) {
  const reading = readSpeech([heard('grammar', grammar, posterior), heard('open', open, posterior)], opts);
  const parsed = parseCommand(reading.text, opts);
  const check = checkHeard(parsed, { ...reading, engine: 'pocketsphinx' });
  return { reading, parsed, check };
}

describe('readSpeech: two passes read as one command', () => {
  it('acts on a control word both passes heard, without asking', () => {
    const { reading, parsed, check } = decide('undo', 'undo');
    expect(reading.agreed).toBe(true);
    expect(reading.confidence).toBeGreaterThanOrEqual(SURE_ENOUGH);
    expect([parsed.intent, check]).toEqual(['undo', null]);
  });

  it.each([
    ['undo', 'can clue'], // "confirm" misheard by the grammar, nonsense in the open pass
    ['push', 'post'],
    ['commit', 'read'],
    ['yes', 'guess'],
    ['redo', 'radio'],
  ])('asks back when only the grammar heard the harmful "%s" (open pass: "%s")', (grammar, open) => {
    const { check, reading } = decide(grammar, open);
    expect(reading.agreed).toBe(false);
    expect(reading.confidence).toBeLessThan(SURE_ENOUGH);
    expect(check?.question).toMatch(/^Did you say ".+"\? Say yes or no\.$/);
  });

  it('asks back on a harmful word even when both passes agree but the words were unclear', () => {
    // Posteriors near zero: agreement alone does not lift it over the bar.
    expect(decide('push', 'push', 0.05).check).not.toBeNull();
  });

  it('never auto-submits on a trigger only one pass heard: the ending is dropped, the command waits', () => {
    const { reading, parsed, check } = decide(
      'refactor payment api dot t s do proceed',
      'refactor payment api dot t s to use async await',
    );
    expect(parsed.autoSubmit).toBe(false);
    expect(reading.triggerConfidence).toBe(0);
    expect(reading.text).toBe('refactor payment api dot t s to use async await');
    expect(check).toBeNull();
  });

  it('auto-submits when both passes heard the ending and the same command', () => {
    const { parsed, check } = decide('review billing dot py go ahead', 'review billing dot py go ahead');
    expect([parsed.autoSubmit, parsed.intent, parsed.files, check]).toEqual([
      true,
      'review',
      ['src/billing.py'],
      null,
    ]);
  });

  it('asks before auto-submitting when both heard the ending but not the same files', () => {
    const { parsed, check } = decide(
      'add logging to billing dot py apply it',
      'add logging to the dot py apply it',
    );
    expect(parsed.autoSubmit).toBe(true);
    expect(check?.question).toMatch(/Say yes to run it, or no\./);
  });

  it('takes the open pass for a model request that goes beyond the grammar, the grammar for direct intents', () => {
    expect(
      decide('walk me through payment api dot t s', 'walk me through payment api dot t s and the retries')
        .reading.chosen,
    ).toBe('open');
    expect(decide('run the tests', 'run the test').reading.chosen).toBe('grammar');
  });

  it('takes the open pass for a question the grammar forced into a command', () => {
    const { reading, parsed } = decide('what is the lint', 'what is the capital of france');
    expect(reading.text).toBe('what is the capital of france');
    expect(parsed.intent).toBe('question');
  });

  it('asks back on a commit whose message the passes heard differently', () => {
    const { parsed, check } = decide(
      'commit with message the x login route it jason',
      'commit with message fix the login redirect',
    );
    expect(parsed.intent).toBe('commit');
    expect(check).not.toBeNull();
  });

  it('hears nothing when neither pass did, and trusts a single pass for nothing harmful', () => {
    expect(readSpeech([heard('grammar', ''), heard('open', '')], opts).text).toBe('');
    const only = readSpeech([heard('grammar', 'push'), heard('open', '')], opts);
    expect(checkHeard(parseCommand(only.text, opts), { ...only, engine: 'pocketsphinx' })).not.toBeNull();
  });
});

describe('readSpeech: the rival check of a heard control word', () => {
  /** Both passes heard `text`; the best control phrase of another intent scored `margin` below it. */
  function withRival(text: string, margin: number) {
    const grammar = heard('grammar', text);
    const rival: SpeechHypothesis = {
      ...heard('grammar', 'deny'),
      pass: 'rival',
      acoustic: grammar.acoustic - margin,
    };
    const reading = readSpeech([grammar, heard('open', text), rival], opts);
    return {
      reading,
      check: checkHeard(parseCommand(reading.text, opts), { ...reading, engine: 'pocketsphinx' }),
    };
  }

  it.each([
    'redo',
    'undo',
    'push',
    'commit',
    'confirm',
  ])('asks back on "%s" both passes heard when another control phrase fits the audio almost as well', (text) => {
    const { reading, check } = withRival(text, RIVAL_MARGIN / 10);
    expect(reading.agreed).toBe(true);
    expect(reading.rivalMargin).toBe(RIVAL_MARGIN / 10);
    expect(reading.confidence).toBeLessThan(SURE_ENOUGH);
    expect(check?.question).toBe(`Did you say "${text}"? Say yes or no.`);
  });

  it('acts on a harmful control word that fits the audio far better than any rival', () => {
    const { reading, check } = withRival('redo', RIVAL_MARGIN * 3);
    expect([reading.confidence >= SURE_ENOUGH, check]).toEqual([true, null]);
  });

  it('a close rival of a harmless word ("deny", "status") asks nothing: acting on it changes nothing', () => {
    for (const text of ['deny', 'what is the status']) expect(withRival(text, 0).check).toBeNull();
  });

  it('without a rival check (another engine, or not a control word) the margin is unknown and agreement decides', () => {
    const reading = readSpeech([heard('grammar', 'undo'), heard('open', 'undo')], opts);
    expect([reading.rivalMargin, reading.confidence >= SURE_ENOUGH]).toEqual([null, true]);
  });
});

describe('checkHeard', () => {
  const sure = { confidence: 0.95, triggerConfidence: 0.95, engine: 'pocketsphinx' };
  it('never asks back about typed commands', () => {
    expect(checkHeard(parseCommand('push', opts), undefined)).toBeNull();
  });
  it('asks about undo, redo, push and commit heard while an approval waits (a misheard "confirm")', () => {
    for (const text of ['undo', 'redo', 'push', 'commit'])
      expect(checkHeard(parseCommand(text, opts), sure, { approvalWaiting: true })).not.toBeNull();
    expect(checkHeard(parseCommand('confirm', opts), sure, { approvalWaiting: true })).toBeNull();
  });
  it('asks about a heard change that deletes unless sure', () => {
    const parsed = parseCommand('delete the old migrations in billing dot py', opts);
    expect(checkHeard(parsed, { ...sure, confidence: 0.5 })).not.toBeNull();
    expect(checkHeard(parsed, sure)).toBeNull();
  });
});
