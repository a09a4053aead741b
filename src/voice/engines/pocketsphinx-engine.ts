import { access } from 'node:fs/promises';
import path from 'node:path';
import { RalexError } from '../../errors.js';
import { findExecutable } from '../audio-decoders.js';
import type { TranscriptionEngine } from '../transcription-engine.js';
import { type CommandModel, ensureCommandModel } from '../vocabulary/command-model.js';
import { TRIGGER_PHRASES } from '../vocabulary/command-phrases.js';
import { parseWav } from '../wav.js';
import { transcribeCold } from './pocketsphinx-cold.js';
import { startWarmRecogniser, type WarmRecogniser } from './pocketsphinx-process.js';
import { endsWithSeparatePhrase, hasSpeech } from './speech-energy.js';

/** Debian's pocketsphinx-en-us model directory. */
export const DEFAULT_SPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/**
 * Search settings for the grammar pass, tuned on the bench set (71 commands, 5 voices): wider beams
 * than the defaults (49 → 59 right: fewer results pruned to nothing), a low silence probability
 * (→ 63: fillers no longer swallow the start of a file name, "payments" heard as "app"), and a
 * cap on active HMMs that costs nothing in accuracy and keeps decoding fast.
 */
const GRAMMAR_SEARCH = ['-beam', '1e-60', '-wbeam', '1e-40', '-silprob', '1e-5', '-maxhmmpf', '10000'];
/** The trigger pass: cheaper fillers, so a pause before "…, execute" does not end the command (→ 65 of 71). */
const TRIGGER_SEARCH = ['-fillprob', '1e-3'];

/** The trigger phrase a transcript ends with, if any. */
function triggerOf(text: string): string | undefined {
  return TRIGGER_PHRASES.find((t) => text === t || text.endsWith(` ${t}`));
}

/** Options for the offline engine. */
export interface PocketsphinxEngineOptions {
  /** Where built grammars and dictionaries are cached (the lead passes `<project>/.ralex/cache/voice/`). */
  cacheDir: string;
  /** The project's files (project-relative paths), read on every command-mode request; cheap when cached. */
  files?: () => Promise<readonly string[]> | readonly string[];
  /** Model directory holding `en-us/`, `en-us.lm.bin` and `cmudict-en-us.dict`. */
  modelDir?: string;
  /** Keep one decoder per mode running (default true); false starts a process per request. */
  keepWarm?: boolean;
  /** false: command mode uses the stock general model too (a baseline for the bench). */
  projectVocabulary?: boolean;
}

/** The offline engine plus a way to preload its decoders. */
export interface PocketsphinxEngine extends TranscriptionEngine {
  /** Builds the vocabulary and starts the command decoder ahead of the first request. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

/** Creates the pocketsphinx engine: the project grammar (LM fallback) in command mode, the general model for dictation. */
export function createPocketsphinxEngine(options: PocketsphinxEngineOptions): PocketsphinxEngine {
  const modelDir = options.modelDir ?? DEFAULT_SPHINX_MODEL_DIR;
  const keepWarm = options.keepWarm ?? true;
  const general = ['-hmm', path.join(modelDir, 'en-us'), '-lm', path.join(modelDir, 'en-us.lm.bin')];
  const generalArgs = [...general, '-dict', path.join(modelDir, 'cmudict-en-us.dict')];
  const warm = new Map<string, { key: string; recogniser: Promise<WarmRecogniser> }>();
  let tools: Promise<{ batch: string | null; continuous: string | null; espeak: string | null }> | undefined;
  const findTools = () => {
    tools ??= Promise.all(
      ['pocketsphinx_batch', 'pocketsphinx_continuous', 'espeak-ng'].map((name) => findExecutable(name)),
    ).then(([batch, continuous, espeak]) => ({
      batch: batch ?? null,
      continuous: continuous ?? null,
      espeak: espeak ?? null,
    }));
    return tools;
  };

  type Pass = 'grammar' | 'grammar-trigger' | 'lm' | 'general';
  let lastModel: { key: string; model: Promise<CommandModel> } | undefined;
  // Decoder arguments per pass: the project grammar (exact phrasings), the project trigram LM
  // (when the grammar finds nothing: out-of-grammar speech, free commit messages), the stock model.
  const argsFor = async (pass: Pass): Promise<string[]> => {
    if (pass === 'general') return generalArgs;
    const files = (await options.files?.()) ?? [];
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
    const search =
      pass === 'lm'
        ? ['-lm', model.lmPath]
        : ['-jsgf', model.jsgfPath, ...GRAMMAR_SEARCH, ...(pass === 'grammar-trigger' ? TRIGGER_SEARCH : [])];
    return ['-hmm', path.join(modelDir, 'en-us'), ...search, '-dict', model.dictPath];
  };

  // One warm decoder per pass; restarted when its arguments (the project's vocabulary) change or it died.
  const recogniserFor = async (pass: Pass, args: string[]): Promise<WarmRecogniser> => {
    const key = args.join(' ');
    const current = warm.get(pass);
    if (current?.key === key) {
      const recogniser = await current.recogniser;
      if (recogniser.alive()) return recogniser;
    }
    if (current) void current.recogniser.then((r) => r.close()).catch(() => undefined);
    const binary = (await findTools()).batch;
    if (!binary) throw new RalexError('internal_error', 'pocketsphinx_batch is not installed.');
    const recogniser = startWarmRecogniser(binary, args);
    warm.set(pass, { key, recogniser });
    recogniser.catch(() => warm.delete(pass));
    return recogniser;
  };

  const decode = async (pass: Pass, wav16k: Buffer, pcm: Buffer, signal?: AbortSignal): Promise<string> => {
    const args = await argsFor(pass);
    if (keepWarm) return (await (await recogniserFor(pass, args)).decode(pcm, { signal })).text;
    const binary = (await findTools()).continuous ?? 'pocketsphinx_continuous';
    return (await transcribeCold(binary, args, wav16k, signal)).text;
  };

  return {
    id: 'pocketsphinx',
    async available() {
      const found = await findTools();
      if (!found.batch || !found.continuous) {
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
      let text: string;
      if (mode === 'dictation' || options.projectVocabulary === false)
        text = await decode('general', wav16k, pcm, signal);
      else {
        text = await decode('grammar', wav16k, pcm, signal);
        if (!text && hasSpeech(pcm)) text = await decode('lm', wav16k, pcm, signal);
        else if (text && !triggerOf(text) && endsWithSeparatePhrase(pcm)) {
          // The low silence probability lets a pause swallow a trigger said after a comma; a
          // second pass that allows fillers there is trusted only if it adds just the trigger.
          const second = await decode('grammar-trigger', wav16k, pcm, signal);
          const trigger = triggerOf(second);
          if (trigger && second.slice(0, -trigger.length).trim() === text) text = second;
        }
      }
      return { text, durationMs: performance.now() - started };
    },
    async warmUp() {
      if (!keepWarm) return;
      const passes: Pass[] =
        options.projectVocabulary === false ? ['general'] : ['grammar', 'grammar-trigger', 'lm'];
      await Promise.all(passes.map(async (pass) => recogniserFor(pass, await argsFor(pass))));
    },
    async close() {
      const all = [...warm.values()];
      warm.clear();
      await Promise.all(all.map((w) => w.recogniser.then((r) => r.close()).catch(() => undefined)));
    },
  };
}
