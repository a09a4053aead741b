import { createRequire } from 'node:module';
import type { Language, Parser, Query } from 'web-tree-sitter';
import type { CodeLanguage } from './file-kind.js';
import { GRAMMAR_FILES, TAG_QUERIES } from './tag-queries.js';

/** A symbol a file defines: name, kind, where (1-based lines) and its first line as a signature. */
export interface SymbolDefinition {
  name: string;
  kind: string;
  line: number;
  endLine: number;
  signature: string;
}

/** Parses source files of the common languages into symbols; loaded lazily, one per process. */
export interface SymbolParser {
  /** The definitions in `source` in `language`; null when the grammar failed to load. */
  parse(language: CodeLanguage, source: string): Promise<SymbolDefinition[] | null>;
}

const MAX_SIGNATURE = 160;

let shared: Promise<SymbolParser> | undefined;

/** The process's symbol parser: web-tree-sitter is initialised on first use, each grammar on first need. */
export function loadSymbolParser(): Promise<SymbolParser> {
  shared ??= createSymbolParser();
  shared.catch(() => {
    shared = undefined;
  });
  return shared;
}

async function createSymbolParser(): Promise<SymbolParser> {
  const ts = await import('web-tree-sitter');
  await ts.Parser.init();
  const require = createRequire(import.meta.url);
  const parser = new ts.Parser();
  const grammars = new Map<CodeLanguage, Promise<{ language: Language; query: Query } | null>>();
  const grammar = (lang: CodeLanguage) => {
    let g = grammars.get(lang);
    if (!g) {
      g = (async () => {
        try {
          const file = require.resolve(`@repomix/tree-sitter-wasms/out/${GRAMMAR_FILES[lang]}`);
          const language = await ts.Language.load(file);
          return { language, query: new ts.Query(language, TAG_QUERIES[lang]) };
        } catch {
          return null;
        }
      })();
      grammars.set(lang, g);
    }
    return g;
  };
  return {
    async parse(lang, source) {
      const g = await grammar(lang);
      if (!g) return null;
      parser.setLanguage(g.language);
      return extract(parser, g.query, source);
    },
  };
}

function extract(parser: Parser, query: Query, source: string): SymbolDefinition[] {
  const tree = parser.parse(source);
  const defs: SymbolDefinition[] = [];
  if (!tree) return defs;
  const lines = source.split('\n');
  try {
    const seen = new Set<string>();
    for (const match of query.matches(tree.rootNode)) {
      let name: string | undefined;
      let kind = '';
      let scope: { startRow: number; endRow: number } | undefined;
      for (const c of match.captures) {
        if (c.name === 'scope') {
          scope = { startRow: c.node.startPosition.row, endRow: c.node.endPosition.row };
        } else if (c.name.startsWith('def.')) {
          name = c.node.text;
          kind = c.name.slice(4);
        }
      }
      if (!name || !scope) continue;
      const key = `${name}:${scope.startRow}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const signature = (lines[scope.startRow] ?? '').trim().slice(0, MAX_SIGNATURE);
      defs.push({ name, kind, line: scope.startRow + 1, endLine: scope.endRow + 1, signature });
    }
  } finally {
    tree.delete();
  }
  return defs;
}
