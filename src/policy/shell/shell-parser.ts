import { createRequire } from 'node:module';
import type { Parser } from 'web-tree-sitter';

/** A loaded bash parser: async to create, synchronous to use. */
export interface ShellParser {
  /** Parses one shell line into a tree-sitter tree (call `tree.delete()` when done). */
  parse(source: string): ReturnType<Parser['parse']>;
}

let loading: Promise<ShellParser> | undefined;

/**
 * Loads web-tree-sitter and the bash grammar once per process; later calls share the same parser.
 * The package itself is imported here too, not at the top: a command that runs no shell line
 * (a direct command, a question) never loads its 150 KB of JavaScript.
 */
export function loadShellParser(): Promise<ShellParser> {
  loading ??= (async () => {
    const { Language, Parser } = await import('web-tree-sitter');
    await Parser.init();
    const require = createRequire(import.meta.url);
    const wasm = require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
    const bash = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(bash);
    return { parse: (source: string) => parser.parse(source) };
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
