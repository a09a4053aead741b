import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

/** Counts tokens the way OpenAI's current models do (o200k_base); other models come close. */
export type TokenCounter = (text: string) => number;

/** Token counts remembered by a digest of the text (the context index keeps them between runs). */
export interface TokenCountCache {
  get(key: string): number | undefined;
  set(key: string, tokens: number): void;
}

/** A counter with what it did: answered from the cache, counted with the tables, answered a short text. */
export interface CachedTokenCounter extends TokenCounter {
  readonly stats: { hits: number; counted: number; short: number };
}

/**
 * How a counter answers for a short text it has not seen while the tokenizer is not loaded: short
 * texts (a request line, a map entry, a rule naming this request's id) are what changes from one
 * request to the next, and loading the tables for them would cost more than the count is worth.
 */
export interface ShortTexts {
  /** Up to this many UTF-8 bytes. */
  bytes: number;
  /** The answer for such a text, from its byte length. */
  count: (bytes: number) => number;
}

/**
 * For packing: up to 256 bytes, the byte count. Every o200k token is at least one byte, so that
 * is an upper bound: packing and the budget are never under-counted.
 */
export const BOUND_SHORT_TEXTS: ShortTexts = { bytes: 256, count: (bytes) => bytes };

/**
 * For estimates (the route's choice, a call's reservation, each settled with the provider's own
 * count): up to 2 KiB, a third of the bytes (English prose and code run 3.5–4.5 bytes a token).
 */
export const ESTIMATE_SHORT_TEXTS: ShortTexts = {
  bytes: 2048,
  count: (bytes) => Math.ceil(bytes / 3),
};

type Encoding = { countTokens(text: string): number };
let encoding: Encoding | undefined;
const require = createRequire(import.meta.url);

/**
 * The o200k tables, loaded synchronously on first need: ~115 ms of CPU and ~75 MiB the process
 * keeps, so a one-shot `ralex run` whose counts are all remembered never pays for them.
 */
function tokenizer(): Encoding {
  encoding ??= require('gpt-tokenizer/encoding/o200k_base') as Encoding;
  return encoding;
}

/** The exact counter (loads the tables at once). */
export async function loadTokenCounter(): Promise<TokenCounter> {
  const { countTokens } = tokenizer();
  return (text) => countTokens(text);
}

/**
 * Exact counts, remembered in `cache` by the text's digest; a short text not seen before is
 * answered by `short` until the tables are loaded anyway.
 */
export function createTokenCounter(
  cache?: TokenCountCache,
  short: ShortTexts = BOUND_SHORT_TEXTS,
): CachedTokenCounter {
  const stats = { hits: 0, counted: 0, short: 0 };
  const count = (text: string): number => {
    if (text.length === 0) return 0;
    const key = cache ? createHash('sha1').update(text).digest('base64') : '';
    const known = cache?.get(key);
    if (known !== undefined) {
      stats.hits++;
      return known;
    }
    if (!encoding) {
      const bytes = Buffer.byteLength(text);
      if (bytes <= short.bytes) {
        stats.short++;
        return short.count(bytes);
      }
    }
    const tokens = tokenizer().countTokens(text);
    stats.counted++;
    cache?.set(key, tokens);
    return tokens;
  };
  return Object.assign(count, { stats });
}

/**
 * A prompt's tokens as the sum of its paragraphs' (split at blank lines), each counted by
 * `count`: the paragraphs of a prompt are the same from one request to the next (the system
 * prompt, quoted files), so a cached counter knows nearly all of them. Within a token or so per
 * paragraph of the whole text's count: for estimates (the route's choice, a call's reservation),
 * not for packing.
 */
export function countByParagraphs(count: TokenCounter): TokenCounter {
  return (text) => {
    let total = 0;
    let parts = 0;
    for (const part of text.split('\n\n')) {
      total += count(part);
      parts++;
    }
    return total + parts - 1;
  };
}

/** A rough count (4 characters a token) for when the tokenizer is not loaded or not wanted. */
export const estimateTokens: TokenCounter = (text) => Math.ceil(text.length / 4);
