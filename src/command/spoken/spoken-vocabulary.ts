/**
 * The words people say for the symbols, folders and extensions in file paths. Data only:
 * `spoken-forms.ts` reads these tables both ways (path → speech for grammars, speech → path keys).
 */

/** Spoken words for path symbols; the first is the one `spokenFormsOfPath` says. */
export const SYMBOL_WORDS: Readonly<Record<'.' | '/' | '_' | '-', readonly string[]>> = {
  '.': ['dot'],
  '/': ['slash'],
  _: ['underscore'],
  '-': ['dash', 'hyphen'],
};

/** Words said for a symbol, mapped back to it ("forward slash" is handled as "forward" dropped). */
export const WORD_TO_SYMBOL: ReadonlyMap<string, string> = new Map([
  ['dot', '.'],
  ['slash', '/'],
  ['underscore', '_'],
  ['dash', '-'],
  ['hyphen', '-'],
]);

/** Casing words that carry no letters ("capital r readme"): dropped from keys, since keys ignore case. */
export const CASING_WORDS: ReadonlySet<string> = new Set([
  'capital',
  'uppercase',
  'lowercase',
  'caps',
  'camel',
]);

/** Folder (and name) abbreviations and what people say for them; the first spoken form is preferred. */
export const ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  src: ['source'],
  lib: ['lib', 'library'],
  libs: ['libs', 'libraries'],
  utils: ['utils', 'utilities'],
  util: ['util', 'utility'],
  docs: ['docs', 'documentation'],
  doc: ['doc'],
  config: ['config', 'configuration'],
  cfg: ['config'],
  pkg: ['package'],
  pkgs: ['packages'],
  cmd: ['command'],
  env: ['env', 'environment'],
  tmp: ['temp'],
  img: ['image'],
  imgs: ['images'],
  auth: ['auth'],
  db: ['d b', 'database'],
  api: ['a p i'],
  ui: ['u i'],
  io: ['i o'],
  id: ['i d'],
  cli: ['c l i'],
  sql: ['sequel', 's q l'],
  url: ['u r l'],
  http: ['h t t p'],
  ci: ['c i'],
};

/** Extensions and what people say after "dot"; the first spoken form is preferred. */
export const EXTENSION_WORDS: Readonly<Record<string, readonly string[]>> = {
  ts: ['t s', 'typescript'],
  tsx: ['t s x'],
  mts: ['m t s'],
  cts: ['c t s'],
  js: ['j s', 'javascript'],
  jsx: ['j s x'],
  mjs: ['m j s'],
  cjs: ['c j s'],
  py: ['py', 'p y', 'pie'],
  pyi: ['p y i'],
  md: ['m d', 'markdown'],
  mdx: ['m d x'],
  json: ['json', 'jason'],
  yaml: ['yaml', 'yammel'],
  yml: ['yaml', 'y m l'],
  toml: ['toml', 'tommel'],
  txt: ['text', 't x t'],
  sh: ['s h', 'shell'],
  rs: ['r s', 'rust'],
  rb: ['r b', 'ruby'],
  go: ['go'],
  java: ['java'],
  kt: ['k t', 'kotlin'],
  c: ['c'],
  h: ['h'],
  cpp: ['c p p', 'cpp'],
  cs: ['c s', 'c sharp'],
  css: ['c s s'],
  scss: ['s c s s'],
  html: ['h t m l', 'html'],
  sql: ['sequel', 's q l'],
  svelte: ['svelte'],
  vue: ['vue', 'view'],
  lock: ['lock'],
  env: ['env'],
  xml: ['x m l'],
  csv: ['c s v'],
  ini: ['ini', 'i n i'],
  gradle: ['gradle'],
  php: ['p h p'],
  swift: ['swift'],
  dart: ['dart'],
  lua: ['lua'],
};

/** Extensions that name the same kind of file: "settings.yml" may be the project's settings.yaml. */
export const EQUIVALENT_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  yml: ['yaml'],
  yaml: ['yml'],
  htm: ['html'],
  html: ['htm'],
  jpg: ['jpeg'],
  jpeg: ['jpg'],
  markdown: ['md'],
};

/** Spoken word after "dot" → the extensions it may mean (beyond the word itself). */
export const SPOKEN_EXTENSION: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  for (const [ext, words] of Object.entries(EXTENSION_WORDS)) {
    for (const w of words) {
      if (w.includes(' ')) continue;
      const list = m.get(w) ?? [];
      if (w !== ext) list.push(ext);
      m.set(w, list);
    }
  }
  m.set('pi', ['py']);
  return m;
})();

/** Spoken word → abbreviations it may stand for ("source" → src, "tests" → test). */
export const SPOKEN_ABBREVIATION: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>([
    ['test', ['tests']],
    ['tests', ['test']],
    ['spec', ['specs']],
    ['specs', ['spec']],
  ]);
  for (const [abbr, words] of Object.entries(ABBREVIATIONS)) {
    for (const w of words) {
      if (w.includes(' ') || w === abbr) continue;
      m.set(w, [...(m.get(w) ?? []), abbr]);
    }
  }
  return m;
})();

/** Short words said as words, not spelled, even without a vowel-like shape. */
export const SAYABLE_SHORT_WORDS: ReadonlySet<string> = new Set([
  'app',
  'go',
  'log',
  'main',
  'bin',
  'web',
  'run',
  'new',
  'old',
  'map',
  'set',
  'get',
  'put',
  'add',
  'key',
  'job',
  'jobs',
  'doc',
  'to',
  'of',
  'on',
  'in',
  'up',
  'use',
  'my',
  'by',
  'is',
  'it',
  'at',
  'as',
  'an',
  'or',
  'and',
  'the',
  'for',
  'dev',
  'e2e',
]);
