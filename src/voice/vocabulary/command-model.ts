import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spokenFormsOfPath } from '../../command/spoken/spoken-forms.js';
import { formatDictionary, loadDictionary } from '../pronunciation/cmu-dictionary.js';
import { pronounceWords } from '../pronunciation/pronounce-words.js';
import { buildArpaModel } from './arpa-model.js';
import { buildCommandCorpus } from './command-corpus.js';
import { buildCommandGrammar, isTestFile } from './command-grammar.js';
import { CONTROL } from './command-phrases.js';
import { rivalGrammars } from './control-rivals.js';
import { expandPhrase } from './expand-phrase.js';
import { GENERAL_WORDS, withoutControlNeighbours } from './general-words.js';

/** Bump when the grammar layout changes so caches from older builds are not reused. */
const MODEL_VERSION = 'ralex-command-v6';
/** General English words in the open model, and their share of its unigram mass. */
const OPEN_VOCABULARY = { words: 3000, share: 0.15 };
/** Every undo/redo/push/commit phrasing said alone: general words that sound like one are left out of the open model. */
const HARMFUL_PHRASES: readonly string[] = CONTROL.filter((ph) =>
  ['undo', 'redo', 'push', 'commit'].includes(ph.intent),
).flatMap((ph) => expandPhrase(ph.pattern).map((words) => words.join(' ')));
/** Command models kept in the cache (older ones are deleted after a build). */
const KEEP_MODELS = 3;

/** The files of a project-aware command model (grammar, open trigram LM, small dictionary), as pocketsphinx reads them. */
export interface CommandModel {
  dir: string;
  /** JSGF grammar: exact command phrasings (the grammar pass). */
  jsgfPath: string;
  /**
   * Open trigram language model (the second pass): the same phrasings, model requests in free
   * words and a few thousand general English words, so extra words are heard as words.
   */
  lmPath: string;
  dictPath: string;
  /** Holds the rival grammars of the control words (`control-rivals.ts`), `<name>.fsg`. */
  rivalsDir: string;
  /** Hash of the file list and phrasing the model was built from. */
  hash: string;
  /** Words whose pronunciation was generated (not in the CMU dictionary). */
  generated: string[];
  /** True when this call built the model; false when it came from the cache. */
  built: boolean;
}

/** Inputs for a command model: the project's files and where to cache the build. */
export interface CommandModelOptions {
  files: readonly string[];
  cacheDir: string;
  /** Sphinx dictionary with the base pronunciations (Debian: cmudict-en-us.dict). */
  dictionaryPath: string;
  /** espeak-ng for words missing from the dictionary; null spells them out letter by letter. */
  espeakPath: string | null;
  /** At most this many files go into the grammar (default 3000, shallow paths first). */
  maxFiles?: number;
  /** Spoken forms per file (default 6). */
  formsPerFile?: number;
  /** General English words in the open model and their share of its unigram mass (default 3000, 0.15). */
  openVocabulary?: { words: number; share: number };
}

/** Builds (or reuses from `cacheDir`) the command language model and small dictionary for a file list. */
export async function ensureCommandModel(options: CommandModelOptions): Promise<CommandModel> {
  const files = [...new Set(options.files)].sort(byDepthThenName).slice(0, options.maxFiles ?? 3000);
  const perFile = options.formsPerFile ?? 6;
  const folders = [...new Set(files.flatMap(parentFolders))];
  const names = {
    fileForms: files.flatMap((f) => spokenFormsOfPath(f, { max: perFile })),
    testFileForms: files.filter(isTestFile).flatMap((f) => spokenFormsOfPath(f, { max: 3 })),
    folderForms: folders.flatMap((f) => spokenFormsOfPath(f, { max: 3 })),
  };
  const open = options.openVocabulary ?? OPEN_VOCABULARY;
  // Cheap to build (milliseconds); the hash of what was built decides whether the cached files fit.
  const grammar = buildCommandGrammar(names);
  const corpus = buildCommandCorpus(names);
  const hash = createHash('sha256')
    .update(JSON.stringify([MODEL_VERSION, grammar.jsgf, corpus.length, names, open]))
    .digest('hex')
    .slice(0, 20);
  const dir = path.join(options.cacheDir, `command-${hash}`);
  const paths = {
    dir,
    jsgfPath: path.join(dir, 'command.jsgf'),
    lmPath: path.join(dir, 'command.lm'),
    dictPath: path.join(dir, 'command.dict'),
    rivalsDir: dir,
  };
  const meta = await readFile(path.join(dir, 'meta.json'), 'utf8').catch(() => null);
  if (meta)
    return {
      ...paths,
      hash,
      generated: (JSON.parse(meta) as { generated: string[] }).generated,
      built: false,
    };

  const dictionary = await loadDictionary(options.dictionaryPath);
  // General words the dictionary knows, weighted by rank (Zipf) to `share` of the corpus's words;
  // none that only rivals an undo/redo/push/commit phrasing ("pull" for "push").
  const general = withoutControlNeighbours(
    GENERAL_WORDS.filter((w) => dictionary.has(w)).slice(0, open.words),
    HARMFUL_PHRASES,
    dictionary,
  );
  const tokens = corpus.reduce((sum, s) => sum + s.length + 1, 0);
  const zipf = general.reduce((sum, _w, rank) => sum + 1 / (rank + 10), 0);
  const extra = new Map(general.map((w, rank) => [w, (open.share * tokens) / zipf / (rank + 10)] as const));
  const prons = await pronounceWords(new Set([...grammar.words, ...corpus.flat(), ...general]), {
    dictionary,
    espeakPath: options.espeakPath,
  });
  // Unique per build: two requests of one process may build the same model in the same millisecond.
  const staging = `${dir}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await mkdir(staging, { recursive: true });
  await writeFile(path.join(staging, 'command.jsgf'), grammar.jsgf);
  await writeFile(path.join(staging, 'command.lm'), buildArpaModel(corpus, 3, extra));
  await writeFile(path.join(staging, 'command.dict'), formatDictionary(prons.entries));
  for (const rival of rivalGrammars()) await writeFile(path.join(staging, `${rival.name}.fsg`), rival.fsg);
  await writeFile(
    path.join(staging, 'meta.json'),
    JSON.stringify({ hash, files: files.length, generated: prons.generated }),
  );
  // Another process may have finished the same build first: theirs is as good as ours.
  await rename(staging, dir).catch(async () => rm(staging, { recursive: true, force: true }));
  await pruneOldModels(options.cacheDir, KEEP_MODELS);
  return { ...paths, hash, generated: prons.generated, built: true };
}

/** Keeps the newest `keep` command models in the cache; each file-list change builds a new one. */
async function pruneOldModels(cacheDir: string, keep: number): Promise<void> {
  const names = (await readdir(cacheDir).catch(() => [] as string[])).filter((n) =>
    /^command-[0-9a-f]+$/.test(n),
  );
  const dated = await Promise.all(
    names.map(async (name) => ({
      name,
      at: (await stat(path.join(cacheDir, name)).catch(() => null))?.mtimeMs ?? 0,
    })),
  );
  const old = dated.sort((a, b) => b.at - a.at).slice(keep);
  await Promise.all(old.map((m) => rm(path.join(cacheDir, m.name), { recursive: true, force: true })));
}

function parentFolders(file: string): string[] {
  const parts = file.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

function byDepthThenName(a: string, b: string): number {
  return a.split('/').length - b.split('/').length || a.localeCompare(b);
}
