import { identifiersIn, normalName, splitIdentifier } from '../index/identifiers.js';

/** Words that say what to do or how, not what about: left out of the search. */
const STOPWORDS = new Set(
  `a an the and or but if then else of to in on at by for with from into onto about as is are was were be been being
  it its this that these those there here what which who whom whose why how when where all any some each every no not
  do does did done doing make makes made please can could would should will shall may might must i me my we our you
  your he she they them their his her us let lets get got use using used need needs want wants like just also so very
  fix fixes fixed fixing add adds added adding remove removes removed update updates updated change changes changed
  implement implements implemented refactor refactors refactored explain explains review reviews test tests tested
  write writes wrote show shows tell look see find run runs new old now again more less than too only same other
  file files code function functions method methods class classes thing things way work works working broken bug bug
  issue issues error errors problem problems support supports allow allows handle handles case cases instead when
  after before during while until since because though although whether either neither both
  once already still yet ever even much many most few lot lots really actually probably maybe
  dot py ts js go rs rb java md`.split(/\s+/),
);

/** True for a word that says what to do or how, not what about. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/**
 * A light English stemmer for comparing words (the full-text index stems with Porter itself):
 * plurals, -ing, -ed, -ion and a final e go, so "evicts", "evicted", "eviction" → evict and
 * "validate", "validation" → validat.
 */
export function stemWord(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(?:[sxz]|[cs]h)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  if (w.endsWith('ion') && w.length > 5) w = w.slice(0, -3);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** "runn" → run, "stopp" → stop (a doubled consonant left by -ing or -ed); "pass" stays. */
function undouble(w: string): string {
  return /([^aeiouslz])\1$/.test(w) ? w.slice(0, -1) : w;
}

/** The search words of a request: identifiers split, lower-cased, without stopwords, each once. */
export function queryTerms(request: string): string[] {
  const out = new Set<string>();
  for (const id of identifiersIn(request)) {
    const parts = splitIdentifier(id);
    for (const p of parts) if (p.length >= 2 && !STOPWORDS.has(p) && !/^\d+$/.test(p)) out.add(p);
    if (parts.length > 1) out.add(parts.join(''));
  }
  return [...out];
}

/** Names the request gives as symbols: exact (in backticks or written as code) and loose (spoken). */
export interface SymbolMentions {
  /** `LRUCache`, `check_password`, `Server.serve` → as written. */
  exact: string[];
  /** Word runs that could be a name said aloud ("lru cache" → lrucache), as `normalName`s. */
  loose: string[];
}

/** Finds the symbols a request names: backticked spans, code-shaped words, and runs of 2–3 words (spoken). */
export function symbolMentions(request: string): SymbolMentions {
  const exact = new Set<string>();
  for (const m of request.matchAll(/`([^`\n]{1,80})`/g)) {
    for (const id of identifiersIn(m[1]!)) if (id.length >= 2) exact.add(id);
  }
  for (const word of request.split(/[\s,;:!?()"'[\]{}<>]+/)) {
    // Code-shaped: camelCase, snake_case, Dotted.name or name() — a word prose would not contain.
    const bare = word.replace(/\(\)$/, '').replace(/[.]+$/, '');
    if (
      /^[A-Za-z_$][\w$]*([.][A-Za-z_$][\w$]*)*$/.test(bare) &&
      /[a-z][A-Z]|_|[.]|^[A-Z][a-z]+[A-Z]/.test(bare)
    ) {
      for (const id of bare.split('.')) if (id.length >= 2) exact.add(id);
    }
  }
  const words = request
    .toLowerCase()
    .split(/[^a-z0-9_]+/)
    .filter((w) => w.length > 0);
  const loose = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    // Two or three words: one word alone ("path", "types") names too many things to mean one.
    for (let n = 2; n <= 3 && i + n <= words.length; n++) {
      const run = words.slice(i, i + n);
      if (run.some((w) => STOPWORDS.has(w))) continue;
      const joined = normalName(run.join(''));
      if (joined.length >= 4) loose.add(joined);
    }
  }
  return { exact: [...exact], loose: [...loose] };
}
