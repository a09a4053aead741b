/** Spoken numbers: "two" ↔ 2, "twenty one" ↔ 21 (0–99 is what file names need). */

const UNITS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
] as const;
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;

const WORD_VALUES: ReadonlyMap<string, number> = new Map([
  ...UNITS.map((w, i) => [w, i] as const),
  ...TENS.flatMap((w, i) => (w ? [[w, i * 10] as const] : [])),
  ['oh', 0],
]);

/** The value of one number word ("seven" → 7, "thirty" → 30), or undefined. */
export function numberWordValue(word: string): number | undefined {
  return WORD_VALUES.get(word.toLowerCase());
}

/** True for tens words that may take a unit after them ("twenty" in "twenty one"). */
export function isTensWord(word: string): boolean {
  const v = WORD_VALUES.get(word.toLowerCase());
  return v !== undefined && v >= 20 && v % 10 === 0;
}

/** Speaks a run of digits: "2" → "two", "21" → "twenty one", "404" → "four oh four", "2024" → "twenty twenty four". */
export function digitsToWords(digits: string): string {
  const n = Number(digits);
  if (digits.length <= 2 && !(digits.length === 2 && digits.startsWith('0'))) return twoDigitWords(n);
  if (digits.length === 4 && !digits.startsWith('0')) {
    const hi = digits.slice(0, 2);
    const lo = digits.slice(2);
    if (lo !== '00')
      return `${twoDigitWords(Number(hi))} ${lo.startsWith('0') ? `oh ${UNITS[Number(lo[1])]}` : twoDigitWords(Number(lo))}`;
  }
  return [...digits].map((d) => (d === '0' ? 'oh' : UNITS[Number(d)])).join(' ');
}

function twoDigitWords(n: number): string {
  if (n < 20) return UNITS[n]!;
  const tens = TENS[Math.floor(n / 10)]!;
  return n % 10 === 0 ? tens : `${tens} ${UNITS[n % 10]}`;
}

/**
 * Reads a run of number words starting at `start` ("twenty one" → "21", "four oh four" → "404").
 * Returns the digits and the index after the run, or undefined when `words[start]` is not a number.
 */
export function readNumberWords(
  words: readonly string[],
  start: number,
): { digits: string; end: number } | undefined {
  let digits = '';
  let i = start;
  while (i < words.length) {
    const v = numberWordValue(words[i]!);
    if (v === undefined) break;
    const next = i + 1 < words.length ? numberWordValue(words[i + 1]!) : undefined;
    if (isTensWord(words[i]!) && next !== undefined && next > 0 && next < 10) {
      digits += String(v + next);
      i += 2;
    } else {
      digits += String(v);
      i += 1;
    }
  }
  return i === start ? undefined : { digits, end: i };
}
