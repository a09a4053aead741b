import { access } from 'node:fs/promises';
import path from 'node:path';
import { RalexError } from '../../errors.js';
import { findExecutable } from '../audio-decoders.js';
import type { TranscriptionEngine } from '../transcription-engine.js';
import { ensureCommandModel } from '../vocabulary/command-model.js';
import { parseWav } from '../wav.js';
import { transcribeCold } from './pocketsphinx-cold.js';
import { startWarmRecogniser, type WarmRecogniser } from './pocketsphinx-process.js';

/** Debian's pocketsphinx-en-us model directory. */
export const DEFAULT_SPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/** Beam widths for the grammar pass. */
const GRAMMAR_BEAMS = ['-beam', '1e-60', '-wbeam', '1e-40'];

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
  /** Extra pocketsphinx arguments for command mode (tuning), appended last. */
  commandArgs?: readonly string[];
}

/** The offline engine plus a way to preload its decoders. */
export interface PocketsphinxEngine extends TranscriptionEngine {
  /** Builds the vocabulary and starts the command decoder ahead of the first request. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

/** Creates the pocketsphinx engine: a project language model in command mode, the general model for dictation. */
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

  type Pass = 'grammar' | 'lm' | 'general';
  // Decoder arguments per pass: the project grammar (exact phrasings), the project trigram LM
  // (when the grammar finds nothing: out-of-grammar speech, free commit messages), the stock model.
  const argsFor = async (pass: Pass): Promise<string[]> => {
    if (pass === 'general') return generalArgs;
    const model = await ensureCommandModel({
      files: (await options.files?.()) ?? [],
      cacheDir: options.cacheDir,
      dictionaryPath: path.join(modelDir, 'cmudict-en-us.dict'),
      espeakPath: (await findTools()).espeak,
    });
    // Wider beams than the defaults for the grammar: with the defaults about one command in ten
    // is pruned to an empty result (measured on the bench set: 49 → 59 of 71 right).
    const search = pass === 'grammar' ? ['-jsgf', model.jsgfPath, ...GRAMMAR_BEAMS] : ['-lm', model.lmPath];
    return [
      '-hmm',
      path.join(modelDir, 'en-us'),
      ...search,
      '-dict',
      model.dictPath,
      ...(options.commandArgs ?? []),
    ];
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
      if (language && !/^en\b/i.test(language)) {
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
      }
      return { text, durationMs: performance.now() - started };
    },
    async warmUp() {
      if (!keepWarm) return;
      const passes: Pass[] = options.projectVocabulary === false ? ['general'] : ['grammar', 'lm'];
      await Promise.all(passes.map(async (pass) => recogniserFor(pass, await argsFor(pass))));
    },
    async close() {
      const all = [...warm.values()];
      warm.clear();
      await Promise.all(all.map((w) => w.recogniser.then((r) => r.close()).catch(() => undefined)));
    },
  };
}

/** Peak-based speech check: a second decode pass is wasted on silence. */
function hasSpeech(pcm: Buffer): boolean {
  let loud = 0;
  for (let i = 0; i + 1 < pcm.length; i += 2) if (Math.abs(pcm.readInt16LE(i)) > 1500) loud += 1;
  return loud > 1600; // more than 0.1 s of samples above ~-27 dBFS
}
