import {
  CONTROL_RULE,
  FEATURES,
  FILE_REQUESTS,
  FILE_TAILS,
  FOLDER_REQUESTS,
  FREE_WORDS,
  MESSAGE_REQUESTS,
  PLAIN_REQUESTS,
  TRIGGER_PHRASES,
} from './command-phrases.js';

/** The spoken names a grammar is built over. */
export interface CommandGrammarInput {
  /** Spoken file names ("user auth dot py", "source slash app dot t s"). */
  fileForms: readonly string[];
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

/**
 * Builds the command-mode JSGF grammar. `<file>` and `<folder>` are referenced once each
 * (pocketsphinx copies a rule's states at every reference). Free words (commit messages) and the
 * optional words after a file name are weighted far below exact phrasings: unweighted, a free-word
 * loop fits any audio and wins over the real command (measured: "list files" → "please add audio old to app").
 */
export function buildCommandGrammar(input: CommandGrammarInput): CommandGrammar {
  const files = unique(input.fileForms.map(cleanPhrase));
  const folders = unique(input.folderForms.map(cleanPhrase));
  const projectWords = new Set([...files, ...folders].flatMap((f) => f.split(' ')));
  const freeWords = unique([...FREE_WORDS.split(/\s+/), ...projectWords]).filter(Boolean);
  const requests = ['/1/ <plain>', '/0.0001/ (<message_request> <words>)'];
  if (files.length > 0) requests.push('/1/ (<file_request> <file> (/0.02/ <file_tail> | /1/ <NULL>))');
  if (folders.length > 0) requests.push('/1/ (<folder_request> <folder>)');
  const alternatives = (items: readonly string[]) => items.map((i) => `(${i})`).join(' | ');
  const rules = [
    'public <command> = <control> | [please] <request> [<trigger>];',
    `<control> = ${CONTROL_RULE.join(' | ')};`,
    `<request> = ${requests.join(' | ')};`,
    `<plain> = ${alternatives(PLAIN_REQUESTS)};`,
    `<message_request> = ${alternatives(MESSAGE_REQUESTS)};`,
    `<trigger> = ${TRIGGER_PHRASES.join(' | ')};`,
    // Bounded, not <word>+: a loop back into the same state makes pocketsphinx's FSG search lose the final state.
    '<words> = <word> [<word> [<word> [<word> [<word> [<word>]]]]];',
    `<word> = ${freeWords.join(' | ')};`,
  ];
  if (files.length > 0) {
    rules.push(`<file_request> = ${alternatives(FILE_REQUESTS)};`);
    rules.push(`<file_tail> = ${FILE_TAILS.join(' | ')};`);
    rules.push(`<feature> = ${alternatives(FEATURES)};`);
    rules.push(`<file> = ${files.join(' | ')};`);
  }
  if (folders.length > 0) {
    rules.push(`<folder_request> = ${alternatives(FOLDER_REQUESTS)};`);
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
