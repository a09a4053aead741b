/** Counts tokens the way OpenAI's current models do (o200k_base); other models come close. */
export type TokenCounter = (text: string) => number;

let loading: Promise<TokenCounter> | undefined;

/** The tokenizer, loaded on first use (its tables take ~100 ms to load; the process keeps them). */
export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((m) => (text: string) => m.countTokens(text));
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** A rough count (4 characters a token) for when the tokenizer is not loaded or not wanted. */
export const estimateTokens: TokenCounter = (text) => Math.ceil(text.length / 4);
