/** Words of a command as the parse stage sees them: the raw text kept, so the request can be rebuilt. */

/** One whitespace-separated piece of the text. */
export interface Token {
  /** As written, punctuation included ("test,", "`src/app.ts`"). */
  raw: string;
  /** Lowercase, without surrounding quotes, brackets and sentence punctuation ("test", "src/app.ts"). */
  word: string;
  /** True when the raw text ends a clause: a trailing comma, semicolon, colon, dash or full stop. */
  pause: boolean;
}

const LEADING_JUNK = /^[\s"'`([{<“‘]+/;
const TRAILING_JUNK = /[\s"'`)\]}>”’,;:!?.…—–-]+$/;

/** Splits text into tokens on whitespace; a lone dash or ellipsis becomes a pause on the previous token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const raw of text.split(/\s+/)) {
    if (raw.length === 0) continue;
    const word = raw.toLowerCase().replace(LEADING_JUNK, '').replace(TRAILING_JUNK, '');
    if (word.length === 0) {
      const last = tokens[tokens.length - 1];
      if (last && /[,;:.…—–-]/.test(raw)) last.pause = true;
      continue;
    }
    tokens.push({ raw, word, pause: /[,;:.…—–-]["'`)\]}>”’]*$/.test(raw) });
  }
  return tokens;
}

/** Makes a token for text produced by the parser (a resolved path replacing spoken words). */
export function makeToken(raw: string, pause = false): Token {
  return { raw, word: raw.toLowerCase(), pause };
}

/** Joins tokens back into text, keeping their punctuation, without trailing sentence punctuation (a "?" stays). */
export function joinTokens(tokens: readonly Token[]): string {
  return tokens
    .map((t) => t.raw)
    .join(' ')
    .replace(/[\s,;:.!—–-]+$/, '')
    .trim();
}

/** The lowercase words of the tokens. */
export function wordsOf(tokens: readonly Token[]): string[] {
  return tokens.map((t) => t.word);
}
