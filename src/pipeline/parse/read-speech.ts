import { isDirectIntent, type ParsedCommand } from '../../command/parsed-command.js';
import type { SpeechHypothesis } from '../../voice/speech-hypotheses.js';
import { detectAutoSubmit } from './auto-submit.js';
import { HARMFUL_INTENTS, isHarmful } from './heard-check.js';
import { type ParseOptions, parseCommand } from './parse-command.js';

/** What the parse stage makes of the decoding passes: the text to believe and how sure it is. */
export interface SpeechReading {
  /** The transcript to act on; its auto-submit ending is kept only when both passes heard one. */
  text: string;
  /** 0..1: that the command (intent and files) is what was said (`SpeechEvidence.confidence`). */
  confidence: number;
  /** 0..1: that the auto-submit ending was said; 0 when it was not kept. */
  triggerConfidence: number;
  /** Which pass's words were taken. */
  chosen: 'grammar' | 'open' | 'none';
  /** Whether the passes parse to the same intent and files. */
  agreed: boolean;
  /**
   * For a control word the grammar pass heard: how much better it fits the audio than the best
   * control phrase of another intent (acoustic score, log base 1.0001); null when not checked.
   */
  rivalMargin: number | null;
}

/** Confidence of agreeing passes, before the open pass's word posteriors add to it. */
const AGREED = 0.7;
/** Confidence of a command only one pass heard (or the passes disagree on): never enough to act on a harmful intent. */
const ONE_PASS = 0.2;
/**
 * How much better (acoustic score) a heard undo/redo/push/commit/confirm must fit the audio than
 * the best control phrase of another intent to be acted on unasked. Set on the control-word set
 * (`bench/voice-control-margins.ts`: every control phrasing said alone, 3 voices, floor and
 * 27 dB): the 14 wrong harmful hearings with a margin had margins from −1421 to 238 ("reject"
 * heard as "redo it": −470, −556), the 200 right ones mostly far above; 400 asks back every
 * wrong one with room to spare, at the cost of asking back about a third of the right ones.
 */
export const RIVAL_MARGIN = 400;
/**
 * Word clarity (the open pass's mean word posterior) at which agreeing passes need only that the
 * heard control phrase fits the audio better than every rival (`CLEAR_RIVAL_MARGIN`), not by
 * `RIVAL_MARGIN`: two kinds of evidence instead of one. On the control-word set (2026-12-02, 444
 * clips) every wrong harmful hearing both passes agreed on had clarity 0.34–0.57 and a margin of
 * −231 or less; right ones with a margin of 0–400 had clarity 0.84–1 (but for "git commit",
 * "git push", "push it": 0.47–0.78, still asked).
 */
export const CLEAR = 0.8;
/** The margin agreeing, clear passes need: the heard phrase fits better than any rival at all. */
export const CLEAR_RIVAL_MARGIN = 0;
/**
 * A control phrase only the grammar pass heard (the open pass heard other words, none of them
 * another undo/redo/push/commit/confirm: "push" heard by the open pass as "pull show") is acted on
 * when it fits the audio this much better than every control phrase of another intent. On the
 * control-word set the wrong harmful hearings' margins reached 238 at most (two runs); right
 * "push …" phrases the open pass heard as "pull …" reached 900–5800.
 */
export const ALONE_RIVAL_MARGIN = 1000;
/**
 * A control phrase only the grammar heard must account for the speech the open pass heard: its
 * words span at least this share of the time the open pass's words do. "tell me about the billing
 * module" forced into the grammar's "undo" (0.39 s against the open pass's 1.81 s of "do the about
 * the … module": 0.22); right control phrases the open pass misheard ("push" as "pull show") span
 * 0.9 or more of it on the tuning half and the control-word set.
 */
export const ALONE_SPAN = 0.6;
/**
 * The open pass's least sure word of the run-now ending both passes heard, below which the ending
 * is not kept: on the tuning half the endings said had 0.49 or more ("proceed" at the floor), the
 * one not said that both passes heard as the same phrase with an unsure word 0.08 ("that looks
 * good" → "yep look s do it").
 */
export const TRIGGER_CLEAR = 0.3;
/**
 * Intents that read and change nothing (an answer about a file): a file name only the grammar
 * resolved may be run on its word. A change by the model to the wrong file would be a guess acted
 * on, so it also needs the passes' words the same outside the file names (`sameOutsideFiles`).
 */
const READING_INTENTS: ReadonlySet<string> = new Set(['explain', 'review', 'question']);
/**
 * The open pass's mean word posterior at which its request, another than the grammar's and naming
 * no file, is taken over a grammar phrasing with a file the open pass did not hear
 * (`heardOtherRequest`), or its bare question over the grammar's question about a file. On the
 * tuning half the right ones had 0.44–0.88 and no clip was lost at any bar down to 0; below
 * `TRIGGER_CLEAR`'s 0.3 the open pass's words are guesses.
 */
export const OTHER_CLEAR = 0.3;
/** Grammar intents that ask about a file: its file may be forced onto a question about none. */
const READING_ABOUT: ReadonlySet<string> = new Set(['explain', 'question']);
/** Confidence of a control phrase the grammar alone heard, far clear of its rivals (just above `SURE_ENOUGH`). */
const ALONE = 0.85;

/**
 * Reads the two decoding passes of one utterance the way the parse stage reads a command:
 * each hypothesis is parsed, and the one that parses to the surer command is taken — the
 * grammar's for direct and control intents (exact phrasings), the open language model's for
 * model requests, questions and commit messages (it hears words outside the grammar as words).
 * Confidence comes from agreement (same intent, same files, same commit message) and the open pass's word
 * posteriors; it stays below `SURE_ENOUGH` (heard-check.ts) when the passes disagree. An
 * auto-submit ending is kept only when both passes heard the same one, the open pass's words
 * for it not a coin toss (`TRIGGER_CLEAR`): a leftover word heard as "execute" by one pass, or
 * as "execute" by one and "do it" by the other, never sends a command.
 */
export function readSpeech(hypotheses: readonly SpeechHypothesis[], opts: ParseOptions): SpeechReading {
  const grammar = hypotheses.find((h) => h.pass === 'grammar' && h.text.trim());
  const open = hypotheses.find((h) => h.pass === 'open' && h.text.trim());
  // A rival pass that heard nothing: no control phrase of another intent fits the audio at all.
  const rival = hypotheses.find((h) => h.pass === 'rival' && h.text.trim());
  const rivalMargin = grammar && rival ? grammar.acoustic - rival.acoustic : null;
  const rivalNone =
    grammar !== undefined && rival === undefined && hypotheses.some((h) => h.pass === 'rival');
  if (!grammar && !open)
    return { text: '', confidence: 0, triggerConfidence: 0, chosen: 'none', agreed: false, rivalMargin };
  if (!grammar || !open) {
    // One pass heard nothing: believe the other, never enough to act on a harmful word or an ending.
    const only = (grammar ?? open)!;
    return {
      text: withoutTrigger(only.text),
      confidence: ONE_PASS,
      triggerConfidence: 0,
      chosen: grammar ? 'grammar' : 'open',
      agreed: false,
      rivalMargin,
    };
  }
  const g = parseCommand(grammar.text, opts);
  const o = parseCommand(open.text, opts);
  // A commit message is free words: the passes agree on a commit only if they heard the same message.
  const agreed = g.intent === o.intent && sameFiles(g.files, o.files) && g.args.message === o.args.message;
  const chosen = agreed ? agreedPass(g) : choose(g, o, open);
  const hypothesis = chosen === 'grammar' ? grammar : open;
  const clarity = meanPosterior(open);
  const heardIntent = (chosen === 'grammar' ? g : o).intent;
  // Both passes agreeing is not enough for a harmful control word whose rival fits the audio almost
  // as well; clear words (open pass posteriors) need only that it fits better than any rival.
  const needed = clarity >= CLEAR ? CLEAR_RIVAL_MARGIN : RIVAL_MARGIN;
  const rivalClose = rivalMargin !== null && rivalMargin < needed && HARMFUL_INTENTS.has(heardIntent);
  // Only the grammar heard the control word, the open pass no other harmful one, and no rival comes close.
  const aloneClear =
    !agreed &&
    chosen === 'grammar' &&
    HARMFUL_INTENTS.has(g.intent) &&
    !HARMFUL_INTENTS.has(o.intent) &&
    // An open pass that named a project file heard a request, not a control word ("… the billing
    // module" heard "undo the last change" by the grammar); nor is a phrase far shorter than the speech one.
    o.files.length === 0 &&
    spansSpeech(grammar, open) &&
    (rivalNone || (rivalMargin !== null && rivalMargin >= ALONE_RIVAL_MARGIN));
  // Same request, the open pass short of a file name the grammar resolved ("explain rate it's dot
  // t s" for the grammar's "… rate limit dot t s"): the grammar's files, nothing harmful. A change by
  // the model needs the open pass to have heard the grammar's words word for word but the file's
  // name ("add logging to b dot py apply it"): "refactor leading dot py make it happen" against the
  // grammar's "refactor the main dot pie …" (said: "billing") heard the name's span differently.
  const fileGap =
    !agreed &&
    chosen === 'grammar' &&
    g.intent === o.intent &&
    (READING_INTENTS.has(g.intent) || (!isHarmful(g) && sameOutsideFiles(g, o))) &&
    g.files.length > 0 &&
    !g.mentions.some((m) => !m.resolved) &&
    o.mentions.some((m) => !m.resolved) &&
    o.files.every((f) => g.files.includes(f));
  // Same files, the words the same but for one outside them ("add tests for billing dot py execute"
  // heard "off tests for billing dot pie execute"): the grammar's request on the files both heard,
  // when the open pass's one other word made no other request of it (a verb heard as another verb
  // is another command: "review" / "refactor").
  const oneWordApart =
    !agreed &&
    chosen === 'grammar' &&
    (o.intent === g.intent || o.intent === 'question') &&
    !isHarmful(g) &&
    !isHarmful(o) &&
    g.files.length > 0 &&
    sameFiles(g.files, o.files) &&
    ![...g.mentions, ...o.mentions].some((m) => !m.resolved) &&
    wordsApart(outsideFiles(g), outsideFiles(o)) <= 1;
  // Agreeing passes whose control word is far clear of its rivals need no clear open-pass words too.
  const farClear = agreed && rivalMargin !== null && rivalMargin >= RIVAL_MARGIN;
  const confidence =
    agreed && !rivalClose
      ? Math.max(AGREED + (1 - AGREED) * clarity, farClear ? ALONE : 0)
      : aloneClear || fileGap || oneWordApart
        ? ALONE
        : ONE_PASS * clarity;
  const triggered = g.autoSubmit && o.autoSubmit && sameTrigger(grammar, open);
  return {
    text: triggered ? hypothesis.text : withoutTrigger(hypothesis.text),
    confidence,
    triggerConfidence: triggered ? confidence : 0,
    chosen,
    agreed,
    rivalMargin,
  };
}

/** Same command in both passes: the grammar's words for direct intents, the open pass's for model requests and messages. */
function agreedPass(parsed: ParsedCommand): 'grammar' | 'open' {
  if (parsed.intent === 'commit' && parsed.args.message) return 'open';
  return isDirectIntent(parsed.intent) ? 'grammar' : 'open';
}

/**
 * The passes disagree: take the surer parse. A direct intent is the grammar's to hear, unless it
 * names a file it could not resolve (or shows no file) and the open pass's parse has no such gap;
 * a model request or question is the open pass's when it resolves at least the grammar's files
 * and its words are clear.
 */
function choose(g: ParsedCommand, o: ParsedCommand, open: SpeechHypothesis): 'grammar' | 'open' {
  const unresolved = (p: ParsedCommand) => p.mentions.some((m) => !m.resolved);
  // "show me user do": a file shown without a file is not a command the grammar heard surely.
  const fileless = (p: ParsedCommand) => p.intent === 'show_file' && p.files.length === 0;
  // A commit message is free words, which the grammar can only force into its short word list.
  if (g.intent === 'commit' && o.intent === 'commit' && o.args.message) return 'open';
  // A run-now ending only the grammar heard ("read the logger dot t s slow run it" for "make the
  // logger less noisy"): the grammar forced words it has no phrasing for into its endings. The open
  // pass's words are taken when they are a request (not the bare question anything unparsed is) and
  // name what the grammar's do (or the grammar's name nothing).
  const forced =
    g.autoSubmit &&
    !o.autoSubmit &&
    o.text.trim() !== '' &&
    o.intent !== 'question' &&
    !HARMFUL_INTENTS.has(o.intent) &&
    !unresolved(o) &&
    (o.files.length > 0 || g.files.length === 0);
  if (forced) return 'open';
  if (heardOtherRequest(g, o, open) || heardOtherFile(g, o)) return 'open';
  if (isDirectIntent(g.intent)) {
    const grammarUnsure = unresolved(g) || fileless(g);
    return grammarUnsure && !unresolved(o) && !fileless(o) && o.text.trim() !== '' ? 'open' : 'grammar';
  }
  const covers = g.files.every((f) => o.files.includes(f)) && !unresolved(o);
  // The grammar heard a request about files, the open pass a bare question about the same ones
  // ("what does deploy dot s h do" → "… to"): the grammar's exact phrasing names the intent.
  const bareQuestion =
    o.intent === 'question' && g.intent !== 'question' && g.files.length > 0 && sameFiles(g.files, o.files);
  if (bareQuestion && !unresolved(g)) return 'grammar';
  return !isDirectIntent(o.intent) && covers && meanPosterior(open) >= 0.5 ? 'open' : 'grammar';
}

/**
 * The grammar fitted one of its phrasings, with a file the open pass heard no trace of, onto speech
 * the open pass heard clearly as another request without a file ("show me the diff" heard "show
 * me the app" by the grammar; "the build is broken" → "update login form broken"; "list the files
 * in the docs folder" → "please show the file schema dot py slow"), or as a question about no file
 * ("what is this project about" → "what does tsconfig dot json works"). The open pass's request is
 * taken when it names no file at all (no mention, no spoken "dot": a name it heard short is the
 * grammar's to resolve), neither reading is harmful, and its words are not a guess (`OTHER_CLEAR`).
 */
function heardOtherRequest(g: ParsedCommand, o: ParsedCommand, open: SpeechHypothesis): boolean {
  if (isHarmful(g) || isHarmful(o) || o.mentions.length > 0 || /\bdot\b/i.test(o.text)) return false;
  // The file only the grammar heard is the sign it forced a phrasing ("git diff" heard right by the
  // grammar and "fix the it" by the open pass is not this).
  if (g.files.length === 0 || g.files.some((f) => o.files.includes(f))) return false;
  const clarity = meanPosterior(open);
  if (o.intent === 'question') return READING_ABOUT.has(g.intent) && clarity >= OTHER_CLEAR;
  // A change by the model needs something to change: "fix the" is no request.
  if (!isDirectIntent(o.intent) && contentWords(o.text) < 2) return false;
  return o.intent !== g.intent && clarity >= OTHER_CLEAR;
}

/**
 * The passes named different project files, each resolved: the grammar can only fit the speech to
 * one of the project's names, the open pass resolved one from words it heard freely ("what does
 * the logger do" heard "what does the login form do" by the grammar; "show me the user model" →
 * "show me the user auth dot py"). On the tuning half the grammar's file was never the one said
 * (0 of 11), the open pass's 7 of 11: its reading is taken when neither is harmful.
 */
function heardOtherFile(g: ParsedCommand, o: ParsedCommand): boolean {
  if (isHarmful(g) || isHarmful(o) || g.files.length === 0 || o.files.length === 0) return false;
  if ([...g.mentions, ...o.mentions].some((m) => !m.resolved)) return false;
  return !g.files.some((f) => o.files.includes(f));
}

/** Words that carry no request of their own. */
const FUNCTION_WORDS = new Set(
  "a an the it its it's to is this that you we i do of in on for and or me".split(' '),
);

/** Words of a text that are not function words. */
function contentWords(text: string): number {
  return text
    .toLowerCase()
    .split(/[^a-z']+/)
    .filter((w) => w && !FUNCTION_WORDS.has(w)).length;
}

/**
 * Both passes heard the same run-now phrase, and the open pass's words for it are clear: "execute"
 * in one and "do it" in the other is a guess each pass forced on leftover words.
 */
function sameTrigger(grammar: SpeechHypothesis, open: SpeechHypothesis): boolean {
  const phrase = detectAutoSubmit(grammar.text).trigger;
  if (!phrase || detectAutoSubmit(open.text).trigger !== phrase) return false;
  const said = phrase.split(' ');
  const words = open.words.map((w) => w.word.toLowerCase());
  for (let i = words.length - said.length; i >= 0; i--) {
    if (!said.every((w, k) => words[i + k] === w)) continue;
    const posteriors = open.words.slice(i, i + said.length).map((w) => w.posterior ?? 0.5);
    return Math.min(...posteriors) >= TRIGGER_CLEAR;
  }
  // The words do not show the phrase (the text was cleaned): the text alone must do.
  return true;
}

/** The text with an auto-submit ending removed (the rest as heard). */
function withoutTrigger(text: string): string {
  const { body, trigger } = detectAutoSubmit(text);
  return trigger ? body : text;
}

/** Seconds from a hypothesis's first word to its last (0 when its words are untimed). */
function wordSpan(h: SpeechHypothesis): number {
  const first = h.words[0];
  const last = h.words.at(-1);
  return first && last ? Math.max(0, last.end - first.start) : 0;
}

/** The grammar's words span about the time the open pass heard words in (untimed words: not known, so yes). */
function spansSpeech(grammar: SpeechHypothesis, open: SpeechHypothesis): boolean {
  const heardFor = wordSpan(open);
  const phrase = wordSpan(grammar);
  return heardFor === 0 || phrase === 0 || phrase >= ALONE_SPAN * heardFor;
}

/**
 * The passes heard the same words but for the files' names: each text with its file mentions
 * (as parsed) replaced by one placeholder. "refactor billing dot pie make it happen" and "refactor
 * really dot py make it happen" are the same; "refactor the main dot pie …" and "refactor leading
 * dot py …" are not (the grammar fitted "the" where the open pass heard the name begin).
 */
function sameOutsideFiles(g: ParsedCommand, o: ParsedCommand): boolean {
  return outsideFiles(g) === outsideFiles(o);
}

function outsideFiles(parsed: ParsedCommand): string {
  let text = ` ${parsed.text.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ')} `;
  for (const m of parsed.mentions) text = text.replace(` ${m.spoken.toLowerCase()} `, ' # ');
  return text.split(/\s+/).filter(Boolean).join(' ');
}

/** Words that differ between two texts, substituted one for one (texts of different lengths: far apart). */
function wordsApart(a: string, b: string): number {
  const x = a.split(' ');
  const y = b.split(' ');
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  return x.filter((w, i) => w !== y[i]).length;
}

/** Mean word posterior of a hypothesis (a word the decoder gave none for counts as a coin toss). */
function meanPosterior(h: SpeechHypothesis): number {
  if (h.words.length === 0) return 0;
  return h.words.reduce((sum, w) => sum + (w.posterior ?? 0.5), 0) / h.words.length;
}

function sameFiles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((f, i) => f === [...b].sort()[i]);
}
