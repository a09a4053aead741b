/**
 * A small back-off n-gram language model in ARPA format, counted from a corpus, with
 * Witten-Bell discounting: enough for a command vocabulary of a few thousand words, built in
 * milliseconds without the CMU/SRILM training tools (Debian ships none for pocketsphinx).
 * Counts may be fractional (extra unigrams are weighted).
 */
export function buildArpaModel(
  sentences: readonly (readonly string[])[],
  order = 3,
  /** Extra unigram counts (words seen only as words, e.g. general English): no context of their own. */
  extraUnigrams: ReadonlyMap<string, number> = new Map(),
): string {
  const counts: Map<string, number>[] = Array.from({ length: order + 1 }, () => new Map());
  for (const sentence of sentences) {
    const words = ['<s>', ...sentence, '</s>'];
    for (let n = 1; n <= order; n++) {
      for (let i = 0; i + n <= words.length; i++) {
        if (n === 1 && i === 0) continue; // <s> is never predicted
        const key = words.slice(i, i + n).join(' ');
        counts[n]?.set(key, (counts[n]?.get(key) ?? 0) + 1);
      }
    }
  }
  // Per context: total count and number of distinct followers.
  const contexts: Map<string, { total: number; types: number }>[] = Array.from(
    { length: order + 1 },
    () => new Map(),
  );
  for (let n = 2; n <= order; n++) {
    for (const [key, count] of counts[n] ?? []) {
      const context = key.slice(0, key.lastIndexOf(' '));
      const entry = contexts[n]?.get(context) ?? { total: 0, types: 0 };
      entry.total += count;
      entry.types += 1;
      contexts[n]?.set(context, entry);
    }
  }
  const unigrams = counts[1] ?? new Map<string, number>();
  for (const [word, count] of extraUnigrams) unigrams.set(word, (unigrams.get(word) ?? 0) + count);
  const tokens = [...unigrams.values()].reduce((a, b) => a + b, 0);
  const unigramProb = (w: string) => ((unigrams.get(w) ?? 0) + 0.5) / (tokens + 0.5 * unigrams.size);
  const backoff: Map<string, number>[] = Array.from({ length: order + 1 }, () => new Map());

  // Full back-off probability of `word` after `history` (list of words), using levels up to history.length + 1.
  const prob = (history: string[], word: string): number => {
    if (history.length === 0) return unigramProb(word);
    const n = history.length + 1;
    const context = history.join(' ');
    const seen = counts[n]?.get(`${context} ${word}`);
    const stats = contexts[n]?.get(context);
    if (seen && stats) return seen / (stats.total + stats.types);
    return (backoff[n - 1]?.get(context) ?? 1) * prob(history.slice(1), word);
  };

  // Back-off weights, lower orders first (each level's weights use the level below).
  for (let n = 2; n <= order; n++) {
    const followers = new Map<string, string[]>();
    for (const key of counts[n]?.keys() ?? []) {
      const cut = key.lastIndexOf(' ');
      const list = followers.get(key.slice(0, cut)) ?? [];
      list.push(key.slice(cut + 1));
      followers.set(key.slice(0, cut), list);
    }
    for (const [context, words] of followers) {
      const stats = contexts[n]?.get(context);
      if (!stats) continue;
      const left = stats.types / (stats.total + stats.types);
      const history = context.split(' ').slice(1);
      const lowerMass = words.reduce((sum, w) => sum + prob(history, w), 0);
      backoff[n - 1]?.set(context, left / Math.max(1e-6, 1 - lowerMass));
    }
  }

  const log = (p: number) => Math.log10(p).toFixed(4);
  const lines = ['\\data\\'];
  lines.push(`ngram 1=${unigrams.size + 1}`);
  for (let n = 2; n <= order; n++) lines.push(`ngram ${n}=${counts[n]?.size ?? 0}`);
  lines.push('', '\\1-grams:', `-99.0000 <s> ${log(backoff[1]?.get('<s>') ?? 1)}`);
  for (const word of [...unigrams.keys()].sort()) {
    const weight = backoff[1]?.get(word);
    lines.push(
      `${log(unigramProb(word))} ${word}${weight === undefined || order === 1 ? '' : ` ${log(weight)}`}`,
    );
  }
  for (let n = 2; n <= order; n++) {
    lines.push('', `\\${n}-grams:`);
    for (const key of [...(counts[n]?.keys() ?? [])].sort()) {
      const words = key.split(' ');
      const p = prob(words.slice(0, -1), words[words.length - 1] as string);
      const weight = n < order ? backoff[n]?.get(key) : undefined;
      lines.push(`${log(p)} ${key}${weight === undefined ? '' : ` ${log(weight)}`}`);
    }
  }
  lines.push('', '\\end\\', '');
  return lines.join('\n');
}
