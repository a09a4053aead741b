import { describe, expect, it } from 'vitest';
import type { SpeechHypothesis } from '../../voice/speech-hypotheses.js';
import { checkHeard, SURE_ENOUGH } from './heard-check.js';
import { parseCommand } from './parse-command.js';
import {
  ALONE_RIVAL_MARGIN,
  ALONE_SPAN,
  CLEAR,
  CLEAR_RIVAL_MARGIN,
  OTHER_CLEAR,
  RIVAL_MARGIN,
  readSpeech,
} from './read-speech.js';

const FILES = ['src/api/payment_api.ts', 'src/billing.py', 'tests/test_user_auth.py', 'README.md'];
const opts = { files: FILES };

/**
 * A pass's hypothesis with every word at `posterior`, its words spread over the same second of
 * speech (0.4–1.4 s) whatever their number: every pass hears the same audio.
 */
function heard(pass: 'grammar' | 'open', text: string, posterior = 0.9): SpeechHypothesis {
  const said = text.split(' ').filter(Boolean);
  const words = said.map((word, i) => ({
    word,
    start: 0.4 + i / said.length,
    end: 0.4 + (i + 1) / said.length,
    posterior,
  }));
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

  it('never auto-submits when the passes heard different run-now phrases (each forced on leftover words)', () => {
    const { reading, parsed, check } = decide(
      'refactor billing dot py do execute',
      'refactor billing dot py can you dependency do it',
    );
    expect([parsed.autoSubmit, reading.triggerConfidence, check]).toEqual([false, 0, null]);
  });

  it('never auto-submits on a run-now phrase whose open-pass words were a guess', () => {
    const grammar = heard('grammar', 'fix the error in logger dot t s do it');
    const open = heard('open', 'fix the error in logger dot t s do it');
    const unsure = {
      ...open,
      words: open.words.map((w) => (w.word === 'it' ? { ...w, posterior: 0.05 } : w)),
    };
    expect(readSpeech([grammar, unsure], opts).triggerConfidence).toBe(0);
    expect(readSpeech([grammar, open], opts).triggerConfidence).toBeGreaterThanOrEqual(SURE_ENOUGH);
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

  it('keeps the grammar for a request about files the open pass heard as a bare question about the same files', () => {
    const { reading, parsed } = decide('what does billing dot py do', 'what does billing dot py to');
    expect([reading.chosen, parsed.intent, parsed.files]).toEqual(['grammar', 'explain', ['src/billing.py']]);
  });

  it("runs a reading request on the grammar's file when the open pass heard the same request short of a file name", () => {
    const explain = decide('explain billing dot py send it', 'explain really dot py send it');
    expect([explain.parsed.intent, explain.parsed.files, explain.parsed.autoSubmit, explain.check]).toEqual([
      'explain',
      ['src/billing.py'],
      true,
      null,
    ]);
  });

  it("runs a change by the model on the grammar's file only when the open pass heard the same words but the file's name", () => {
    // Word for word the same but "billing" / "really": the open pass is short of the name only.
    const refactor = decide(
      'refactor billing dot pie make it happen',
      'refactor really dot py make it happen',
    );
    expect([
      refactor.parsed.intent,
      refactor.parsed.files,
      refactor.parsed.autoSubmit,
      refactor.check,
    ]).toEqual(['refactor', ['src/billing.py'], true, null]);
    // The grammar fitted "the" and another file where the open pass heard one word of a name
    // ("billing" said): the file is the grammar's guess, so the run-now ending is asked first.
    const wrongFile = decide(
      'refactor the test user auth dot py make it happen',
      'refactor leading dot py make it happen',
    );
    expect(wrongFile.parsed.files).toEqual(['tests/test_user_auth.py']);
    expect(wrongFile.check?.question).toMatch(/Say yes to run it, or no\./);
    // Other words heard besides the name ("it in"): asked.
    expect(
      decide('refactor billing dot py make it happen', 'refactor it in b dot py make it happen').check
        ?.question,
    ).toMatch(/Say yes to run it, or no\./);
    // A change that deletes, on a file only the grammar resolved: asked, however alike the words.
    const destructive = decide(
      'delete the old code in billing dot py make it happen',
      'delete the old code in really dot py make it happen',
    );
    expect(destructive.check).not.toBeNull();
  });

  it('takes the open pass for a question the grammar forced into a command', () => {
    const { reading, parsed } = decide('what is the lint', 'what is the capital of france');
    expect(reading.text).toBe('what is the capital of france');
    expect(parsed.intent).toBe('question');
  });

  it('takes the open pass for a request the grammar forced into a command ending in a run-now phrase only it heard', () => {
    // "rename the billing module to invoices": the grammar has no phrasing for it.
    const { reading, parsed, check } = decide(
      'read billing dot py slow run it',
      'rename up billing module clear what does',
    );
    expect([reading.chosen, parsed.intent, parsed.files, parsed.autoSubmit, check]).toEqual([
      'open',
      'refactor',
      ['src/billing.py'],
      false,
      null,
    ]);
  });

  it('keeps the grammar (without its ending) when the open pass heard only a bare question', () => {
    // "run the tests in test user auth dot py again": the open pass's words are no request.
    const { reading, parsed } = decide(
      'run the tests in test user auth dot py run it',
      'run the dance the test user auth dot py again',
    );
    expect([reading.chosen, parsed.intent, parsed.files, parsed.autoSubmit]).toEqual([
      'grammar',
      'run_tests',
      ['tests/test_user_auth.py'],
      false,
    ]);
    // An open pass that heard a harmful word is never taken over the grammar's forced ending.
    expect(decide('read billing dot py slow run it', 'push it').reading.chosen).toBe('grammar');
  });

  it('takes the open pass for a request without a file the grammar forced onto a phrasing with one', () => {
    // "show me the diff" heard "show me the app" by the grammar; "the build is broken" → "update … broken".
    const diff = decide('review billing dot py', 'show me the diff');
    expect([diff.reading.chosen, diff.parsed.intent, diff.parsed.files]).toEqual([
      'open',
      'what_changed',
      [],
    ]);
    const broken = decide('update billing dot py broken', 'the build is broken');
    expect([broken.reading.chosen, broken.parsed.intent, broken.parsed.files]).toEqual([
      'open',
      'fix_bug',
      [],
    ]);
    // "what is this project about" heard "what does … dot json works": a question about no file.
    const about = decide('explain billing dot py', 'what is the project about');
    expect([about.reading.chosen, about.parsed.intent, about.parsed.files]).toEqual(['open', 'question', []]);
    // Words no surer than a guess: the grammar's phrasing stays.
    expect(decide('review billing dot py', 'show me the diff', OTHER_CLEAR / 2).reading.chosen).toBe(
      'grammar',
    );
    expect(
      decide('explain billing dot py', 'what is the project about', OTHER_CLEAR / 2).reading.chosen,
    ).toBe('grammar');
  });

  it('keeps the grammar when the open pass heard a name short, a harmful word, no request, or the grammar heard no file', () => {
    // A spoken "dot": the open pass heard a file's name short, which the grammar resolved.
    expect(decide('review billing dot py', 'show me the really dot py').reading.chosen).toBe('grammar');
    expect(decide('review billing dot py', 'push it').reading.chosen).toBe('grammar');
    // "fix the it": a change by the model with nothing to change.
    expect(decide('review billing dot py', 'fix the it').reading.chosen).toBe('grammar');
    // "git diff" heard right by the grammar, "fix the build" by the open pass: no forced file.
    expect(decide('git diff', 'fix the build').parsed.intent).toBe('what_changed');
  });

  it("takes the open pass's file when the passes named different project files", () => {
    // "what does the logger do" heard "what does the login form do" by the grammar.
    const other = decide('explain payment api dot t s', 'explain billing dot py');
    expect([other.reading.chosen, other.parsed.intent, other.parsed.files]).toEqual([
      'open',
      'explain',
      ['src/billing.py'],
    ]);
    // A change that deletes is never taken from the open pass on this ground.
    expect(decide('fix payment api dot t s', 'delete billing dot py').parsed.files).toEqual([
      'src/api/payment_api.ts',
    ]);
  });

  it('auto-submits a change both passes heard on the same file with the same ending, their words one apart', () => {
    // "add tests for billing dot py, execute": the open pass heard "off" for "add".
    const near = decide('add tests for billing dot py execute', 'off tests for billing dot pie execute');
    expect([near.parsed.intent, near.parsed.files, near.parsed.autoSubmit, near.check]).toEqual([
      'test',
      ['src/billing.py'],
      true,
      null,
    ]);
    // One word apart, but that word another request: asked before it runs.
    expect(decide('refactor billing dot py execute', 'review billing dot py execute').check).not.toBeNull();
    // Two words apart, or another file: asked.
    expect(
      decide('add tests for billing dot py execute', 'off us for billing dot pie execute').check,
    ).not.toBeNull();
    expect(
      decide('add tests for billing dot py execute', 'add tests for payment api dot t s execute').check,
    ).not.toBeNull();
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
  /**
   * The grammar pass heard `text`, the open pass `open` (default the same) with every word at
   * `posterior`; the best control phrase of another intent scored `margin` below the heard one
   * (null: the rival pass heard nothing, no other control phrase fits at all).
   */
  function withRival(text: string, margin: number | null, posterior = 0.9, open = text) {
    const grammar = heard('grammar', text);
    const rival: SpeechHypothesis =
      margin === null
        ? { pass: 'rival', text: '', words: [], score: 0, acoustic: 0, frames: 100 }
        : { ...heard('grammar', 'deny'), pass: 'rival', acoustic: grammar.acoustic - margin };
    const reading = readSpeech([grammar, heard('open', open, posterior), rival], opts);
    return {
      reading,
      check: checkHeard(parseCommand(reading.text, opts), { ...reading, engine: 'pocketsphinx' }),
    };
  }
  const HARMFUL_WORDS = ['redo', 'undo', 'push', 'commit', 'confirm'];

  it.each(
    HARMFUL_WORDS,
  )('asks back on "%s" both passes heard, unclearly, when another control phrase fits the audio almost as well', (text) => {
    const { reading, check } = withRival(text, RIVAL_MARGIN / 2, CLEAR - 0.3);
    expect(reading.agreed).toBe(true);
    expect(reading.rivalMargin).toBe(RIVAL_MARGIN / 2);
    expect(reading.confidence).toBeLessThan(SURE_ENOUGH);
    expect(check?.question).toBe(`Did you say "${text}"? Say yes or no.`);
  });

  it.each(
    HARMFUL_WORDS,
  )('asks back on "%s" heard clearly by both passes when a rival fits the audio better', (text) => {
    // "confirm" heard as "undo" by both passes: the rival "continue" fits better.
    const { reading, check } = withRival(text, CLEAR_RIVAL_MARGIN - 200, 1);
    expect([reading.agreed, reading.confidence < SURE_ENOUGH, check !== null]).toEqual([true, true, true]);
  });

  it('acts on a harmful control word heard clearly by both passes that fits better than any rival', () => {
    const { reading, check } = withRival('undo', CLEAR_RIVAL_MARGIN + 50, CLEAR + 0.1);
    expect([reading.confidence >= SURE_ENOUGH, check]).toEqual([true, null]);
  });

  it('acts on a harmful control word that fits the audio far better than any rival, clear words or not', () => {
    for (const posterior of [0.9, 0.1]) {
      const { reading, check } = withRival('redo', RIVAL_MARGIN * 3, posterior);
      expect([reading.confidence >= SURE_ENOUGH, check]).toEqual([true, null]);
    }
  });

  it('acts on a control phrase only the grammar heard when no rival comes near and the open pass heard no other harmful word', () => {
    // "push" heard by the open pass as "pull show": a question, nothing harmful.
    for (const margin of [ALONE_RIVAL_MARGIN + 100, null]) {
      const { reading, check } = withRival('push', margin, 0.4, 'pull show');
      expect([reading.agreed, reading.text, reading.confidence >= SURE_ENOUGH, check]).toEqual([
        false,
        'push',
        true,
        null,
      ]);
    }
  });

  it('asks back on a control phrase only the grammar heard when the open pass heard a request about a file, or far longer speech', () => {
    // "tell me about the billing module": the grammar forced it into "undo the last change".
    const forced = withRival(
      'undo the last change',
      ALONE_RIVAL_MARGIN * 3,
      0.4,
      'do the about the billing dot py',
    );
    expect([forced.reading.agreed, forced.check !== null]).toEqual([false, true]);
    // … or into "undo", a fifth of the time the open pass heard words in.
    const grammar = heard('grammar', 'undo');
    grammar.words = [{ word: 'undo', start: 0.4, end: 0.6, posterior: 1 }];
    const rival: SpeechHypothesis = {
      ...heard('grammar', 'okay'),
      pass: 'rival',
      acoustic: grammar.acoustic - 3000,
    };
    const reading = readSpeech([grammar, heard('open', 'do the about the really module', 0.5), rival], opts);
    expect(
      checkHeard(parseCommand(reading.text, opts), { ...reading, engine: 'pocketsphinx' }),
    ).not.toBeNull();
    // The same phrase spanning most of that time ("push" heard as "pull show") is acted on.
    const spanning = heard('grammar', 'push');
    spanning.words = [{ word: 'push', start: 0.4, end: 0.4 + ALONE_SPAN + 0.3, posterior: 1 }];
    const alone = readSpeech(
      [spanning, heard('open', 'pull show', 0.4), { ...rival, acoustic: spanning.acoustic - 3000 }],
      opts,
    );
    expect(alone.confidence).toBeGreaterThanOrEqual(SURE_ENOUGH);
  });

  it('asks back on a control phrase only the grammar heard when a rival is near, or the open pass heard another harmful word', () => {
    expect(withRival('push', ALONE_RIVAL_MARGIN - 100, 0.4, 'pull show').check).not.toBeNull();
    // "commit it" heard as "redo it" by the grammar, "undo that" by the open pass: far rival or not, ask.
    for (const margin of [ALONE_RIVAL_MARGIN * 3, null])
      expect(withRival('redo it', margin, 0.9, 'undo that').check).not.toBeNull();
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
