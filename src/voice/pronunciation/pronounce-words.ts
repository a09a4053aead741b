import { runProcess } from '../run-process.js';
import type { PronunciationDictionary } from './cmu-dictionary.js';
import { ipaToCmu } from './ipa-to-cmu.js';

/** Pronunciations for a vocabulary, and which words had to be generated. */
export interface Pronunciations {
  entries: Map<string, readonly string[]>;
  /** Words not in the dictionary whose phones came from espeak-ng or spelling out. */
  generated: string[];
}

/** Options: the base dictionary and, for missing words, espeak-ng (letter spelling without it). */
export interface PronounceOptions {
  dictionary: PronunciationDictionary;
  espeakPath?: string | null;
}

/** Looks every word up in the dictionary; words it lacks get espeak-ng's letter-to-sound phones. */
export async function pronounceWords(
  words: Iterable<string>,
  options: PronounceOptions,
): Promise<Pronunciations> {
  const entries = new Map<string, readonly string[]>();
  const missing: string[] = [];
  for (const word of new Set(words)) {
    const known = options.dictionary.get(word);
    if (known) entries.set(word, known);
    else missing.push(word);
  }
  const generated = options.espeakPath
    ? await espeakPhones(missing, options.espeakPath)
    : new Map<string, string>();
  for (const word of missing) {
    const phones = generated.get(word) || spellOut(word, options.dictionary);
    if (phones) entries.set(word, [phones]);
  }
  return { entries, generated: missing.filter((w) => entries.has(w)) };
}

const DIGIT_NAMES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Phones for a word said letter by letter, digits by name ("tsx" → "T IY EH S EH K S"). */
export function spellOut(word: string, dictionary: PronunciationDictionary): string {
  return [...word]
    .map((ch) => dictionary.get(/[0-9]/.test(ch) ? (DIGIT_NAMES[Number(ch)] as string) : ch)?.[0] ?? '')
    .filter(Boolean)
    .join(' ');
}

async function espeakPhones(words: string[], espeakPath: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (words.length === 0) return out;
  // One word per line: espeak-ng prints one line of IPA per input line.
  const result = await runProcess(espeakPath, ['-q', '--ipa', '-v', 'en-us'], {
    input: `${words.join('\n')}\n`,
    timeoutMs: 30_000,
  }).catch(() => null);
  const lines =
    result?.code === 0
      ? result.stdout
          .toString('utf8')
          .split('\n')
          .map((l) => l.trim())
      : [];
  const aligned = lines.filter(Boolean).length === words.length;
  const usable = lines.filter(Boolean);
  words.forEach((word, index) => {
    const ipa = aligned ? usable[index] : undefined;
    const phones = ipa ? ipaToCmu(ipa) : '';
    if (phones) out.set(word, phones);
  });
  return out;
}
