import type { Token } from './tokens.js';

/** Hesitation sounds: dropped wherever they occur. */
export const HESITATIONS: ReadonlySet<string> = new Set([
  'um',
  'umm',
  'ummm',
  'uh',
  'uhh',
  'uhm',
  'er',
  'erm',
  'ah',
  'ahh',
  'hmm',
  'hm',
  'mm',
  'mhm',
  'eh',
]);

/** Leading fillers and politeness, longest first where one starts another; dropped from the start, repeatedly. */
export const LEADING_FILLERS: readonly (readonly string[])[] = [
  ['hey', 'ralex'],
  ['hi', 'ralex'],
  ['ok', 'ralex'],
  ['okay', 'ralex'],
  ['ralex'],
  ['i', 'want', 'you', 'to'],
  ['i', 'need', 'you', 'to'],
  ["i'd", 'like', 'you', 'to'],
  ['i', 'would', 'like', 'you', 'to'],
  ['can', 'you', 'please'],
  ['could', 'you', 'please'],
  ['would', 'you', 'please'],
  ['can', 'you'],
  ['could', 'you'],
  ['would', 'you'],
  ['will', 'you'],
  ["let's"],
  ['lets'],
  ['let', 'us'],
  ['please'],
  ['so'],
  ['okay'],
  ['ok'],
  ['alright'],
  ['all', 'right'],
  ['well'],
  ['like'],
  ['hey'],
  ['just'],
  ['now'],
];

/** Trailing politeness dropped from the end. */
const TRAILING_FILLERS: ReadonlySet<string> = new Set(['please', 'thanks', 'thank']);

/** Drops hesitation sounds anywhere; a pause they carried moves to the word before ("the, uh, no" keeps the comma). */
export function dropHesitations(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    if (HESITATIONS.has(token.word)) {
      const last = out[out.length - 1];
      if (last && token.pause) out[out.length - 1] = { ...last, pause: true, raw: withPause(last.raw) };
      continue;
    }
    out.push(token);
  }
  return out;
}

function withPause(raw: string): string {
  return /[,;:.…—–-]$/.test(raw) ? raw : `${raw},`;
}

/** Drops leading fillers ("um so okay can you please …") and trailing "please"/"thanks"/"thank you". */
export function dropFillers(tokens: readonly Token[]): Token[] {
  let start = 0;
  let progress = true;
  while (progress && start < tokens.length) {
    progress = false;
    for (const filler of LEADING_FILLERS) {
      if (filler.every((w, i) => tokens[start + i]?.word === w)) {
        start += filler.length;
        progress = true;
        break;
      }
    }
  }
  let end = tokens.length;
  while (end > start) {
    const word = tokens[end - 1]!.word;
    if (TRAILING_FILLERS.has(word)) end -= 1;
    else if (word === 'you' && tokens[end - 2]?.word === 'thank') end -= 2;
    else break;
  }
  return tokens.slice(start, end);
}
