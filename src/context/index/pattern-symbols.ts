import type { SymbolDefinition } from './symbol-parser.js';

/**
 * Definitions of the languages Ralex has no tree-sitter grammar for, read line by line from
 * their declaration keywords (`class`, `fun`, `def`, `defmodule` …). Coarser than a parse — a
 * declaration split over lines may be missed, and a definition's end is found by matching
 * braces (or Elixir's `do … end`) — but enough for the definitions index: the symbol signal, the
 * index's names column and the repo map see Kotlin's classes and functions as they see Java's.
 */
export function patternDefinitions(language: string, source: string): SymbolDefinition[] | null {
  const grammar = PATTERNS[language];
  if (!grammar) return null;
  const lines = source.split('\n');
  const defs: SymbolDefinition[] = [];
  const seen = new Set<string>();
  let inHeredoc = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    // A `"""` string (Elixir's @moduledoc, a Kotlin raw string) holds examples, not definitions.
    const quotes = text.split('"""').length - 1;
    if (inHeredoc || quotes % 2 === 1) {
      if (quotes % 2 === 1) inHeredoc = !inHeredoc;
      continue;
    }
    if (text.length > 400) continue;
    for (const p of grammar.patterns) {
      const m = p.re.exec(text);
      if (!m?.groups?.name) continue;
      if (p.topLevelOnly && /^\s/.test(text)) continue;
      const name = m.groups.name;
      const key = `${name}:${i}`;
      if (seen.has(key)) break;
      seen.add(key);
      const endLine = grammar.end(lines, i) + 1;
      defs.push({
        name,
        kind: p.kind(m.groups.keyword ?? ''),
        line: i + 1,
        endLine,
        signature: text.trim().slice(0, 160),
      });
      break;
    }
  }
  return defs;
}

/** The languages `patternDefinitions` reads (the rest of the text-indexed languages are text only). */
export const PATTERN_LANGUAGES: readonly string[] = ['kotlin', 'scala', 'elixir'];

interface Pattern {
  re: RegExp;
  kind: (keyword: string) => string;
  /** Only at the start of a line (a local `val` inside a function is no definition worth indexing). */
  topLevelOnly?: boolean;
}

interface Grammar {
  patterns: Pattern[];
  /** The 0-based last line of the definition starting at line `i`. */
  end: (lines: readonly string[], i: number) => number;
}

const KOTLIN_MODIFIERS =
  '(?:(?:public|private|internal|protected|open|abstract|sealed|data|inline|value|enum|annotation|override|actual|expect|suspend|operator|infix|tailrec|external|lateinit|inner|companion|final|fun)\\s+)*';
const SCALA_MODIFIERS =
  '(?:(?:private|protected|final|sealed|abstract|implicit|lazy|override|case|inline|opaque|transparent|open)(?:\\[\\w+\\])?\\s+)*';
/** `<T : Any> Buffer.` before a Kotlin extension's name: type parameters and a receiver. */
const RECEIVER = '(?:<[^>]*>\\s*)?(?:[\\w.]+(?:<[^>]*>)?\\??\\.)?';
const ANNOTATIONS = '(?:@[\\w.:]+(?:\\([^)]*\\))?\\s+)*';

const kindOf = (keyword: string): string => {
  if (/^(defmodule|defimpl)$/.test(keyword)) return 'module';
  if (/^(class|object|trait)$/.test(keyword)) return 'class';
  if (/^(interface|defprotocol)$/.test(keyword)) return 'interface';
  if (/^(typealias|type|enum)$/.test(keyword)) return 'type';
  if (/^(val|var|const)$/.test(keyword)) return 'constant';
  return 'function';
};

const PATTERNS: Record<string, Grammar> = {
  kotlin: {
    patterns: [
      {
        re: new RegExp(
          `^\\s*${ANNOTATIONS}${KOTLIN_MODIFIERS}(?<keyword>class|interface|object|fun|typealias)\\s+${RECEIVER}\`?(?<name>[A-Za-z_]\\w*)`,
        ),
        kind: kindOf,
      },
      {
        re: new RegExp(
          `^\\s*${ANNOTATIONS}${KOTLIN_MODIFIERS}(?<keyword>const)\\s+val\\s+(?<name>[A-Za-z_]\\w*)`,
        ),
        kind: kindOf,
      },
      {
        re: new RegExp(
          `^${ANNOTATIONS}${KOTLIN_MODIFIERS}(?<keyword>val|var)\\s+${RECEIVER}(?<name>[A-Za-z_]\\w*)`,
        ),
        kind: kindOf,
        topLevelOnly: true,
      },
    ],
    end: braceEnd,
  },
  scala: {
    patterns: [
      {
        re: new RegExp(
          `^\\s*${ANNOTATIONS}${SCALA_MODIFIERS}(?<keyword>class|trait|object|def|type|enum)\\s+(?<name>[A-Za-z_]\\w*)`,
        ),
        kind: kindOf,
      },
      {
        re: new RegExp(`^${ANNOTATIONS}${SCALA_MODIFIERS}(?<keyword>val|var)\\s+(?<name>[A-Za-z_]\\w*)`),
        kind: kindOf,
        topLevelOnly: true,
      },
    ],
    end: braceEnd,
  },
  elixir: {
    patterns: [
      {
        // `defmodule Phoenix.Router do` → Router (the last part, as a Java class is its file's name).
        re: /^\s*(?<keyword>defmodule|defprotocol|defimpl)\s+(?:[A-Z]\w*\.)*(?<name>[A-Z]\w*)/,
        kind: kindOf,
      },
      {
        re: /^\s*(?<keyword>def|defp|defmacro|defmacrop|defguard|defguardp|defdelegate)\s+(?<name>[a-z_]\w*[?!]?)/,
        kind: kindOf,
      },
    ],
    end: doEnd,
  },
};

/**
 * The line where a definition's braces close: from its first `{` (looked for while the
 * declaration's parentheses are open, a few lines at most) to the matching `}`. A definition
 * without a body (`fun f() = x`, an abstract member) ends on its own line.
 */
function braceEnd(lines: readonly string[], start: number): number {
  let depth = 0;
  let opened = false;
  let parens = 0;
  for (let i = start; i < lines.length && i < start + 2000; i++) {
    const line = stripStringsAndComments(lines[i]!);
    for (const ch of line) {
      if (ch === '(') parens++;
      else if (ch === ')') parens--;
      else if (ch === '{') {
        depth++;
        opened = true;
      } else if (ch === '}') {
        depth--;
        if (opened && depth <= 0) return i;
      } else if (ch === '=' && !opened && parens <= 0) return start;
    }
    // The declaration is over without a body unless it goes on (`:` at the end, `{` or `:` next).
    const goesOn = /[:,]\s*$/.test(line) || /^\s*[{:]/.test(lines[i + 1] ?? '');
    if (!opened && parens <= 0 && !goesOn) return i;
    if (!opened && i - start > 10) return start;
  }
  return start;
}

/** Elixir: a `do` block ends at the `end` indented as its first line; `def f, do: x` on its own line. */
function doEnd(lines: readonly string[], start: number): number {
  const first = lines[start]!;
  if (!/\bdo\s*(#.*)?$/.test(first)) return start;
  const indent = first.length - first.trimStart().length;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trim() === '') continue;
    const ind = l.length - l.trimStart().length;
    if (ind === indent && /^end\b/.test(l.trimStart())) return i;
    if (ind < indent) return i - 1;
  }
  return lines.length - 1;
}

function stripStringsAndComments(line: string): string {
  return line
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/'(?:[^'\\]|\\.)*'/g, "''")
    .replace(/\/\/.*$/, '');
}
