import { cleanPhrase } from './command-grammar.js';
import {
  CONTROL,
  FEATURES,
  FILE,
  FOLDER,
  FREE_WORDS,
  MESSAGE,
  OPEN_REQUESTS,
  PLAIN,
  TRIGGER_PHRASES,
} from './command-phrases.js';
import { expandPhrase } from './expand-phrase.js';

/** The spoken names a command corpus is built over. */
export interface CommandCorpusInput {
  /** Spoken file names ("user auth dot py", "source slash app dot t s"). */
  fileForms: readonly string[];
  /** Spoken names of test files ("test user auth dot py"). */
  testFileForms?: readonly string[];
  /** Spoken folder names ("source slash voice"). */
  folderForms: readonly string[];
}

/** How often each control phrase and each slot-free request appears (weights the language model). */
const CONTROL_REPEATS = 6;
const PLAIN_REPEATS = 4;
/** Each open request pattern, filled with different free words. */
const OPEN_REPEATS = 6;
/** Each spoken file name is placed in this many request phrasings; each phrasing gets at least MIN_FILLS names. */
const CONTEXTS_PER_NAME = 3;
const MIN_FILLS = 6;
/** What people say before a request ("can you …"), now and then. */
const LEAD_INS = [['can', 'you'], ['please'], ['okay'], ['could', 'you'], ['i', 'want', 'you', 'to']];

/**
 * Sentences (as word lists) that stand for everything Ralex expects to hear in command mode:
 * control words, request phrasings with the project's spoken names in their slots, model
 * requests in free words, trigger endings. Deterministic: the same input gives the same corpus.
 */
export function buildCommandCorpus(input: CommandCorpusInput): string[][] {
  const names = (forms: readonly string[]) => unique(forms.map(cleanPhrase)).map((f) => f.split(' '));
  const files = names(input.fileForms);
  const testFiles = names(input.testFileForms ?? []);
  const folders = names(input.folderForms);
  const projectWords = [...new Set([...files, ...folders].flat())];
  const freeWords = [...new Set([...FREE_WORDS.split(/\s+/).filter(Boolean), ...projectWords])];
  let seed = 1;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed;
  };
  const sentences: string[][] = [];
  let turn = 0;
  // Roughly two requests in five end with a trigger, rotating through all of them; one in six has a lead-in.
  const dress = (words: string[]): string[] => {
    const t = turn++;
    const trigger = TRIGGER_PHRASES[t % TRIGGER_PHRASES.length]!;
    const lead = t % 6 === 5 ? LEAD_INS[((t / 6) % LEAD_INS.length) | 0]! : [];
    return [...lead, ...words, ...(t % 5 < 2 ? trigger.split(' ') : [])];
  };
  const features = FEATURES.flatMap(expandPhrase);
  const fillWords = (words: string[]): string[] =>
    words.flatMap((w) => {
      if (w === '<feature>') return features[next() % features.length] as string[];
      if (w !== '<words>') return [w];
      return Array.from({ length: 1 + (next() % 3) }, () => freeWords[next() % freeWords.length] as string);
    });
  const expand = (list: readonly { pattern: string }[]) => list.flatMap((ph) => expandPhrase(ph.pattern));

  for (const words of expand(CONTROL)) for (let i = 0; i < CONTROL_REPEATS; i++) sentences.push(words);
  for (const words of expand([...PLAIN, ...MESSAGE])) {
    for (let i = 0; i < PLAIN_REPEATS; i++) sentences.push(dress(fillWords(words)));
  }
  const slotted = expand([...FILE, ...FOLDER, ...OPEN_REQUESTS]);
  for (const [slot, slotNames] of [
    ['<file>', files],
    ['<test_file>', testFiles],
    ['<folder>', folders],
  ] as const) {
    const templates = slotted.filter((r) => r.includes(slot));
    if (templates.length === 0 || slotNames.length === 0) continue;
    const place = (template: string[], name: string[]) =>
      sentences.push(dress(fillWords(template.flatMap((w) => (w === slot ? name : [w])))));
    slotNames.forEach((name, i) => {
      for (let k = 0; k < CONTEXTS_PER_NAME; k++)
        place(templates[(i * CONTEXTS_PER_NAME + k) % templates.length] as string[], name);
    });
    templates.forEach((template, j) => {
      for (let m = 0; m < MIN_FILLS; m++)
        place(template, slotNames[(j * 7 + m) % slotNames.length] as string[]);
    });
  }
  for (const words of slotted.filter((r) => !r.some((w) => w.startsWith('<') && w !== '<words>'))) {
    for (let i = 0; i < OPEN_REPEATS; i++) sentences.push(dress(fillWords(words)));
  }
  return sentences;
}

function unique(items: ReadonlyArray<string | null>): string[] {
  return [...new Set(items.filter((item): item is string => item !== null))];
}
