import { access } from 'node:fs/promises';
import path from 'node:path';
import { RalexError } from '../../errors.js';
import { findExecutable } from '../audio-decoders.js';
import type { SpeechHypothesis, SpeechPass } from '../speech-hypotheses.js';
import type { Certainty, TranscriptionEngine } from '../transcription-engine.js';
import { type CommandModel, ensureCommandModel } from '../vocabulary/command-model.js';
import { TRIGGER_PHRASES } from '../vocabulary/command-phrases.js';
import { CONTROL_SAYINGS, rivalGrammarName } from '../vocabulary/control-rivals.js';
import { parseWav } from '../wav.js';
import type { Hypothesis } from './decoder-output.js';
import { transcribeCold } from './pocketsphinx-cold.js';
import { startWarmRecogniser, type WarmRecogniser } from './pocketsphinx-process.js';
import { endsWithSeparatePhrase, hasSpeech, trimToSpeech } from './speech-energy.js';

/** Debian's pocketsphinx-en-us model directory. */
export const DEFAULT_SPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/**
 * Search settings for the grammar pass, tuned on the bench's tuning half: wider beams than the
 * defaults (fewer results pruned to nothing), a low silence probability (fillers no longer
 * swallow the start of a file name, "payments" heard as "app"), and a cap on active HMMs that
 * costs nothing in accuracy and keeps decoding fast.
 */
const GRAMMAR_SEARCH = ['-beam', '1e-60', '-wbeam', '1e-40', '-silprob', '1e-5', '-maxhmmpf', '10000'];
/** The open pass: the language model's defaults, with the same cap on active HMMs. */
const OPEN_SEARCH = ['-maxhmmpf', '10000'];

/** Options for the offline engine. */
export interface PocketsphinxEngineOptions {
  /** Where built grammars and dictionaries are cached (the lead passes `<project>/.ralex/cache/voice/`). */
  cacheDir: string;
  /** The project's files (project-relative paths), read on every command-mode request; cheap when cached. */
  files?: () => Promise<readonly string[]> | readonly string[];
  /** Model directory holding `en-us/`, `en-us.lm.bin` and `cmudict-en-us.dict`. */
  modelDir?: string;
  /** Keep one decoder per pass running (default true); false starts a process per request. */
  keepWarm?: boolean;
  /** false: command mode uses the stock general model too (a baseline for the bench). */
  projectVocabulary?: boolean;
  /**
   * Seconds of silence the command passes keep either side of the speech (default
   * `SPEECH_MARGIN_SECONDS`); `Infinity` has them read the whole recording.
   */
  speechMargin?: number;
  /** Command-mode passes (default both: the grammar and the open language model, in parallel). */
  passes?: readonly SpeechPass[];
  /**
   * Reads the passes as one command (the parse stage's `readSpeech`, passed in by the caller:
   * voice sits below the pipeline). Without it the grammar pass's text is taken, unscored.
   */
  readSpeech?: (
    hypotheses: readonly SpeechHypothesis[],
    opts: { files: readonly string[] },
  ) => Certainty & { text: string };
}

/** The offline engine plus a way to preload its decoders. */
export interface PocketsphinxEngine extends TranscriptionEngine {
  /** Builds the vocabulary and starts the command decoders ahead of the first request. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

type Decoder = 'grammar' | 'open' | 'rival' | 'grammar-trigger' | 'general';

/**
 * Silence kept either side of the speech in what the command passes read: enough that the
 * recogniser hears a start and an end (soft first and last sounds sit under the speech-frame
 * threshold), the room tone beyond it cut.
 */
export const SPEECH_MARGIN_SECONDS = 0.25;

/** The trigger pass: cheaper fillers, so a pause before "…, execute" does not end the command. */
const TRIGGER_SEARCH = ['-fillprob', '1e-3'];

/** The trigger phrase a transcript ends with, if any. */
function triggerOf(text: string): string | undefined {
  return TRIGGER_PHRASES.find((t) => text === t || text.endsWith(` ${t}`));
}

/**
 * Creates the pocketsphinx engine. Command mode runs two passes over the same audio at once — the
 * project grammar (exact phrasings) and an open language model (the phrasings, free model
 * requests and general English) — and the parse stage reads the two (`readSpeech`): which to
 * believe and how sure to be. Dictation uses the stock general model.
 */
export function createPocketsphinxEngine(options: PocketsphinxEngineOptions): PocketsphinxEngine {
  const modelDir = options.modelDir ?? DEFAULT_SPHINX_MODEL_DIR;
  const keepWarm = options.keepWarm ?? true;
  const passes = (options.passes ?? ['grammar', 'open']).filter((p) => p !== 'rival');
  const hmm = ['-hmm', path.join(modelDir, 'en-us')];
  const generalArgs = [
    ...hmm,
    '-lm',
    path.join(modelDir, 'en-us.lm.bin'),
    '-dict',
    path.join(modelDir, 'cmudict-en-us.dict'),
  ];
  const warm = new Map<Decoder, { key: string; recogniser: Promise<WarmRecogniser> }>();
  let tools: Promise<{ batch: string | null; espeak: string | null }> | undefined;
  const findTools = () => {
    tools ??= Promise.all([findExecutable('pocketsphinx_batch'), findExecutable('espeak-ng')]).then(
      ([batch, espeak]) => ({ batch: batch ?? null, espeak: espeak ?? null }),
    );
    return tools;
  };

  let lastModel: { key: string; model: Promise<CommandModel> } | undefined;
  let files: readonly string[] = [];
  const argsFor = async (decoder: Decoder): Promise<string[]> => {
    if (decoder === 'general') return generalArgs;
    files = (await options.files?.()) ?? [];
    const key = files.join('\n');
    // Same file list as last time: skip even the hashing (spoken forms of every file).
    if (key !== lastModel?.key) {
      const model = ensureCommandModel({
        files,
        cacheDir: options.cacheDir,
        dictionaryPath: path.join(modelDir, 'cmudict-en-us.dict'),
        espeakPath: (await findTools()).espeak,
      });
      lastModel = { key, model };
      model.catch(() => {
        if (lastModel?.model === model) lastModel = undefined;
      });
    }
    const model = await lastModel.model;
    rivalsDir = model.rivalsDir;
    // The rival check's grammar is named per utterance (`-fsgctl`): the same search as the grammar pass.
    const search =
      decoder === 'open'
        ? ['-lm', model.lmPath, ...OPEN_SEARCH]
        : decoder === 'rival'
          ? GRAMMAR_SEARCH
          : [
              '-jsgf',
              model.jsgfPath,
              ...GRAMMAR_SEARCH,
              ...(decoder === 'grammar-trigger' ? TRIGGER_SEARCH : []),
            ];
    return [...hmm, ...search, '-dict', model.dictPath];
  };
  let rivalsDir = '';
  const grammarDirOf = (decoder: Decoder) => (decoder === 'rival' ? rivalsDir : undefined);

  // One warm decoder per pass; restarted when its arguments (the project's vocabulary) change or it died.
  const recogniserFor = async (decoder: Decoder, args: string[]): Promise<WarmRecogniser> => {
    const grammarDir = grammarDirOf(decoder);
    const key = [...args, grammarDir ?? ''].join(' ');
    const current = warm.get(decoder);
    if (current?.key === key) {
      const recogniser = await current.recogniser;
      if (recogniser.alive()) return recogniser;
    }
    if (current) void current.recogniser.then((r) => r.close()).catch(() => undefined);
    const binary = (await findTools()).batch;
    if (!binary) throw new RalexError('internal_error', 'pocketsphinx_batch is not installed.');
    const recogniser = startWarmRecogniser(
      binary,
      args,
      grammarDir ? { grammarDir, probeGrammar: rivalGrammarName('confirm') } : {},
    );
    warm.set(decoder, { key, recogniser });
    recogniser.catch(() => warm.delete(decoder));
    return recogniser;
  };

  const decode = async (
    decoder: Decoder,
    pcm: Buffer,
    signal?: AbortSignal,
    grammar?: string,
  ): Promise<Hypothesis> => {
    const args = await argsFor(decoder);
    if (keepWarm) return (await recogniserFor(decoder, args)).decode(pcm, { signal, grammar });
    const binary = (await findTools()).batch ?? 'pocketsphinx_batch';
    const coldArgs = grammar ? [...args, '-fsg', path.join(rivalsDir, `${grammar}.fsg`)] : args;
    return transcribeCold(binary, coldArgs, pcm, signal);
  };

  // A control word heard by the grammar pass: the best control phrase of another intent, for its margin.
  const decodeRival = async (grammarText: string | undefined, pcm: Buffer, signal?: AbortSignal) => {
    const intent = grammarText === undefined ? undefined : CONTROL_SAYINGS.get(grammarText);
    if (!intent) return undefined;
    return decode('rival', pcm, signal, rivalGrammarName(intent));
  };

  // The grammar pass's low silence probability lets a pause swallow a trigger said after a comma;
  // a second grammar pass that allows fillers there is trusted only if it adds just the trigger.
  const decodePass = async (pass: SpeechPass, pcm: Buffer, signal?: AbortSignal): Promise<Hypothesis> => {
    const first = await decode(pass, pcm, signal);
    if (pass !== 'grammar' || !first.text || triggerOf(first.text) || !endsWithSeparatePhrase(pcm))
      return first;
    const second = await decode('grammar-trigger', pcm, signal);
    const trigger = triggerOf(second.text);
    return trigger && second.text.slice(0, -trigger.length).trim() === first.text ? second : first;
  };

  return {
    id: 'pocketsphinx',
    async available() {
      if (!(await findTools()).batch) {
        return {
          ok: false,
          reason: 'pocketsphinx is not installed (Debian: apt-get install pocketsphinx pocketsphinx-en-us)',
        };
      }
      const model = await access(path.join(modelDir, 'en-us', 'mdef')).then(
        () => true,
        () => false,
      );
      return model
        ? { ok: true }
        : { ok: false, reason: `no acoustic model in ${modelDir} (Debian: pocketsphinx-en-us)` };
    },
    async transcribe(wav16k, { mode, language, signal }) {
      // English only: a translation to English of English speech is its transcript.
      if (language && !/^en(?:glish)?(?:[-_]\w+)?$/i.test(language)) {
        throw new RalexError('bad_request', `pocketsphinx has an English model only, not "${language}".`);
      }
      const started = performance.now();
      const pcm = parseWav(wav16k).data;
      if (mode === 'dictation' || options.projectVocabulary === false) {
        const text = hasSpeech(pcm) ? (await decode('general', pcm, signal)).text : '';
        return { text, durationMs: performance.now() - started };
      }
      if (!hasSpeech(pcm)) return { text: '', durationMs: performance.now() - started, hypotheses: [] };
      // The passes read the speech and a margin of silence, not the room tone around it; the
      // words' times are put back on the whole recording's clock.
      const speech = trimToSpeech(pcm, options.speechMargin ?? SPEECH_MARGIN_SECONDS);
      const timed = (h: Hypothesis): Hypothesis =>
        speech.offset === 0
          ? h
          : {
              ...h,
              words: h.words.map((w) => ({
                ...w,
                start: w.start + speech.offset,
                end: w.end + speech.offset,
              })),
            };
      const heard = await Promise.all(passes.map((pass) => decodePass(pass, speech.pcm, signal)));
      const hypotheses: SpeechHypothesis[] = heard.map((h, i) => ({ pass: passes[i]!, ...timed(h) }));
      const grammarText = hypotheses.find((h) => h.pass === 'grammar')?.text;
      const rival = await decodeRival(grammarText, speech.pcm, signal);
      if (rival) hypotheses.push({ pass: 'rival', ...timed(rival) });
      if (!options.readSpeech) {
        const text = hypotheses.find((h) => h.pass === 'grammar')?.text || hypotheses[0]?.text || '';
        return { text, hypotheses, durationMs: performance.now() - started };
      }
      const { text, ...certainty } = options.readSpeech(hypotheses, { files });
      return {
        text,
        confidence: certainty.confidence,
        hypotheses,
        certainty,
        durationMs: performance.now() - started,
      };
    },
    async warmUp() {
      if (!keepWarm) return;
      const decoders: Decoder[] =
        options.projectVocabulary === false
          ? ['general']
          : [...passes, ...(passes.includes('grammar') ? (['grammar-trigger', 'rival'] as const) : [])];
      await Promise.all(decoders.map(async (d) => recogniserFor(d, await argsFor(d))));
    },
    async close() {
      const all = [...warm.values()];
      warm.clear();
      await Promise.all(all.map((w) => w.recogniser.then((r) => r.close()).catch(() => undefined)));
    },
  };
}
