import { cleanPhrase } from './command-grammar.js';
import {
  CONTROL_RULE,
  FEATURES,
  FILE_REQUESTS,
  FOLDER_REQUESTS,
  FREE_WORDS,
  MESSAGE_REQUESTS,
  PLAIN_REQUESTS,
  TRIGGER_PHRASES,
} from './command-phrases.js';
import { expandPhrase } from './expand-phrase.js';

/** The spoken names a command corpus is built over. */
export interface CommandCorpusInput {
  /** Spoken file names ("user auth dot py", "source slash app dot t s"). */
  fileForms: readonly string[];
  /** Spoken folder names ("source slash voice"). */
  folderForms: readonly string[];
}

/** How often each control phrase and each slot-free request appears (weights the language model). */
const CONTROL_REPEATS = 12;
const PLAIN_REPEATS = 4;
/** Each spoken file name is placed in this many request phrasings; each phrasing gets at least MIN_FILLS names. */
const CONTEXTS_PER_NAME = 3;
const MIN_FILLS = 6;

/**
 * Sentences (as word lists) that stand for everything Ralex expects to hear in command mode:
 * control words, request phrasings with the project's spoken names in their slots, trigger endings.
 * Deterministic: the same input gives the same corpus.
 */
export function buildCommandCorpus(input: CommandCorpusInput): string[][] {
  const files = unique(input.fileForms.map(cleanPhrase)).map((f) => f.split(' '));
  const folders = unique(input.folderForms.map(cleanPhrase)).map((f) => f.split(' '));
  const projectWords = [...new Set([...files, ...folders].flat())];
  const freeWords = [...new Set([...FREE_WORDS.split(/\s+/).filter(Boolean), ...projectWords])];
  let seed = 1;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed;
  };
  const sentences: string[][] = [];
  let triggerTurn = 0;
  // Roughly two requests in five end with a trigger, rotating through all of them.
  const withTrigger = (words: string[]): string[] => {
    const turn = triggerTurn++;
    const trigger = TRIGGER_PHRASES[turn % TRIGGER_PHRASES.length];
    return turn % 5 < 2 && trigger ? [...words, ...trigger.split(' ')] : words;
  };
  const features = FEATURES.flatMap(expandPhrase);
  const fillWords = (words: string[]): string[] =>
    words.flatMap((w) => {
      if (w === '<feature>') return features[next() % features.length] as string[];
      if (w !== '<words>') return [w];
      return Array.from({ length: 1 + (next() % 3) }, () => freeWords[next() % freeWords.length] as string);
    });

  for (const phrase of CONTROL_RULE) {
    for (const words of expandPhrase(phrase)) for (let i = 0; i < CONTROL_REPEATS; i++) sentences.push(words);
  }
  const requests = [
    ...PLAIN_REQUESTS,
    ...MESSAGE_REQUESTS.map((r) => `${r} <words>`),
    ...FILE_REQUESTS.map((r) => `${r} <file>`),
    'explain how <file> works',
    'what does <file> do',
    ...FOLDER_REQUESTS.map((r) => `${r} <folder>`),
  ].flatMap(expandPhrase);
  const bySlot = (slot: string) => requests.filter((r) => r.includes(slot));
  for (const words of requests.filter((r) => !r.includes('<file>') && !r.includes('<folder>'))) {
    for (let i = 0; i < PLAIN_REPEATS; i++) sentences.push(withTrigger(fillWords(words)));
  }
  for (const [slot, names] of [
    ['<file>', files],
    ['<folder>', folders],
  ] as const) {
    const templates = bySlot(slot);
    if (templates.length === 0 || names.length === 0) continue;
    const place = (template: string[], name: string[]) =>
      sentences.push(withTrigger(fillWords(template.flatMap((w) => (w === slot ? name : [w])))));
    names.forEach((name, i) => {
      for (let k = 0; k < CONTEXTS_PER_NAME; k++)
        place(templates[(i * CONTEXTS_PER_NAME + k) % templates.length] as string[], name);
    });
    templates.forEach((template, j) => {
      for (let m = 0; m < MIN_FILLS; m++) place(template, names[(j * 7 + m) % names.length] as string[]);
    });
  }
  return sentences;
}

function unique(items: ReadonlyArray<string | null>): string[] {
  return [...new Set(items.filter((item): item is string => item !== null))];
}
