import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CodeLanguage,
  contentExclusion,
  isGeneratedName,
  languageOf,
  MAX_INDEXED_BYTES,
  programmingLanguageOf,
} from './file-kind.js';
import { searchableText } from './identifiers.js';
import { patternDefinitions } from './pattern-symbols.js';
import type { ProjectFile } from './project-files.js';
import type { SymbolDefinition, SymbolParser } from './symbol-parser.js';

/** Lines per full-text chunk: small enough to point at a part of a large file. */
export const CHUNK_LINES = 50;

/** Why a file's content is or is not in the index. */
export type ContentState = 'indexed' | 'binary' | 'huge' | 'generated' | 'minified' | 'unreadable';

/** One file ready to be written into the index. */
export interface IndexedFile {
  file: ProjectFile;
  lang: CodeLanguage | null;
  content: ContentState;
  lines: number;
  defs: SymbolDefinition[];
  refs: Map<string, number>;
  /** Line ranges with their words for the full-text index (one empty chunk for name-only files). */
  chunks: { startLine: number; endLine: number; words: string }[];
}

/** Reads and analyses one file: its kind, symbols (tree-sitter, or patterns) and text chunks. Never throws. */
export async function analyseFile(
  root: string,
  file: ProjectFile,
  parser: () => Promise<SymbolParser>,
): Promise<IndexedFile> {
  const lang = languageOf(file.path);
  const nameOnly = (content: ContentState): IndexedFile => ({
    file,
    lang,
    content,
    lines: 0,
    defs: [],
    refs: new Map(),
    chunks: [{ startLine: 0, endLine: 0, words: '' }],
  });
  if (file.size > MAX_INDEXED_BYTES) return nameOnly('huge');
  if (isGeneratedName(file.path)) return nameOnly('generated');
  let bytes: Buffer;
  try {
    bytes = await readFile(join(root, file.path));
  } catch {
    return nameOnly('unreadable');
  }
  const excluded = contentExclusion(bytes);
  if (excluded) return nameOnly(excluded);
  const text = bytes.toString('utf8');
  // A language without a grammar (Kotlin, Scala, Elixir) has its definitions read from its keywords.
  const defs = lang
    ? ((await (await parser()).parse(lang, text).catch(() => null)) ?? [])
    : (patternDefinitions(programmingLanguageOf(file.path) ?? '', text) ?? []);
  const lines = text.split('\n');
  const refs = new Map<string, number>();
  const chunks: IndexedFile['chunks'] = [];
  for (let start = 0; start < lines.length; start += CHUNK_LINES) {
    const end = Math.min(lines.length, start + CHUNK_LINES);
    const words = searchableText(lines.slice(start, end).join('\n'), refs);
    chunks.push({ startLine: start + 1, endLine: end, words });
  }
  // A definition's own name is in the text once; that is not a use of it.
  for (const d of defs) {
    const n = refs.get(d.name);
    if (n !== undefined) n <= 1 ? refs.delete(d.name) : refs.set(d.name, n - 1);
  }
  return {
    file,
    lang,
    content: 'indexed',
    lines: lines.length,
    defs,
    refs,
    chunks,
  };
}
