import {
  CONTROL,
  FEATURES,
  FILE,
  FOLDER,
  FREE_WORDS,
  MESSAGE,
  type Phrasing,
  PLAIN,
  TRIGGER_PHRASES,
} from './command-phrases.js';

/** The spoken names a grammar is built over. */
export interface CommandGrammarInput {
  /** Spoken file names ("user auth dot py", "source slash app dot t s"). */
  fileForms: readonly string[];
  /** Spoken names of test files only ("test user auth dot py"), for "run <test file>". */
  testFileForms?: readonly string[];
  /** Spoken folder names ("source slash voice"). */
  folderForms: readonly string[];
}

/** A JSGF grammar and every word it can produce (each needs a pronunciation). */
export interface CommandGrammar {
  jsgf: string;
  words: string[];
}

/** Lower-cases a spoken form and keeps it only if every token is a plain JSGF word. */
export function cleanPhrase(phrase: string): string | null {
  const tokens = phrase.toLowerCase().trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0 || !tokens.every((t) => /^[a-z0-9']+$/.test(t))) return null;
  return tokens.join(' ');
}

/** A file path that names tests ("tests/test_auth.py", "auth.test.ts", "auth_test.go"). */
export function isTestFile(path: string): boolean {
  return /(?:^|\/)(?:tests?\/|test_[^/]*$|[^/]*_test\.\w+$|[^/]*\.(?:test|spec)\.\w+$)/.test(path);
}

/**
 * Builds the command-mode JSGF grammar: exact phrasings only (free speech is the open language
 * model's job). `<file>` and `<folder>` are referenced once each (pocketsphinx copies a rule's
 * states at every reference). Free words (commit messages) are weighted far below exact
 * phrasings: unweighted, a free-word loop fits any audio and wins over the real command
 * (measured: "list files" → "please add audio old to app").
 */
export function buildCommandGrammar(input: CommandGrammarInput): CommandGrammar {
  const files = unique(input.fileForms.map(cleanPhrase));
  const testFiles = unique((input.testFileForms ?? []).map(cleanPhrase));
  const folders = unique(input.folderForms.map(cleanPhrase));
  const projectWords = new Set([...files, ...folders].flatMap((f) => f.split(' ')));
  const freeWords = unique([...FREE_WORDS.split(/\s+/), ...projectWords]).filter(Boolean);
  const alternatives = (items: readonly string[]) => [...new Set(items)].map((i) => `(${i})`).join(' | ');
  // "PREFIX <slot> [TAIL]": one shared reference to each slot, the tails as one optional rule after it.
  const split = (list: readonly Phrasing[], slot: string) =>
    list
      .filter((ph) => ph.pattern.includes(slot))
      .map((ph) => {
        const [prefix = '', tail = ''] = ph.pattern.split(slot);
        return { prefix: prefix.trim(), tail: tail.trim() };
      });
  const fileParts = split(FILE, '<file>');
  const tails = [...new Set(fileParts.map((f) => f.tail).filter(Boolean))];
  const testParts = split(FILE, '<test_file>');
  const requests = ['/1/ <plain>', '/0.0001/ (<message_request> <words>)'];
  if (files.length > 0) {
    const tail = tails.length > 0 ? ' (/0.01/ <file_tail> | /1/ <NULL>)' : '';
    requests.push(`/1/ (<file_request> <file>${tail})`);
  }
  if (testFiles.length > 0) requests.push('/1/ (<test_request> <test_file>)');
  if (folders.length > 0) requests.push('/1/ (<folder_request> <folder>)');
  const rules = [
    'public <command> = <control> | [please] <request> [<trigger>];',
    `<control> = ${alternatives(CONTROL.map((ph) => ph.pattern))};`,
    `<request> = ${requests.join(' | ')};`,
    `<plain> = ${alternatives(PLAIN.map((ph) => ph.pattern))};`,
    `<message_request> = ${alternatives(split(MESSAGE, '<words>').map((m) => m.prefix))};`,
    `<trigger> = ${TRIGGER_PHRASES.join(' | ')};`,
    // Bounded, not <word>+: a loop back into the same state makes pocketsphinx's FSG search lose the final state.
    '<words> = <word> [<word> [<word> [<word> [<word> [<word>]]]]];',
    `<word> = ${freeWords.join(' | ')};`,
  ];
  if (files.length > 0) {
    rules.push(`<file_request> = ${alternatives(fileParts.map((f) => f.prefix))};`);
    if (tails.length > 0) rules.push(`<file_tail> = ${alternatives(tails)};`);
    rules.push(`<feature> = ${alternatives(FEATURES)};`);
    rules.push(`<file> = ${files.join(' | ')};`);
  }
  if (testFiles.length > 0) {
    rules.push(`<test_request> = ${alternatives(testParts.map((f) => f.prefix))};`);
    rules.push(`<test_file> = ${testFiles.join(' | ')};`);
  }
  if (folders.length > 0) {
    rules.push(`<folder_request> = ${alternatives(split(FOLDER, '<folder>').map((f) => f.prefix))};`);
    rules.push(`<folder> = ${folders.join(' | ')};`);
  }
  const jsgf = `#JSGF V1.0;\n\ngrammar ralex;\n\n${rules.join('\n')}\n`;
  return { jsgf, words: grammarWords(rules) };
}

function grammarWords(rules: readonly string[]): string[] {
  const words = new Set<string>();
  for (const rule of rules) {
    const body = rule
      .slice(rule.indexOf('=') + 1)
      .replace(/<[^>]+>|\/[0-9.]+\//g, ' ')
      .replace(/[;|()[\]+*]/g, ' ');
    for (const word of body.split(/\s+/)) if (/^[a-z0-9']+$/.test(word)) words.add(word);
  }
  return [...words].sort();
}

function unique(items: ReadonlyArray<string | null>): string[] {
  return [...new Set(items.filter((item): item is string => item !== null))];
}
