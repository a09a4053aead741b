import type { StoredDefinition } from '../index/index-queries.js';

/** Definitions listed per file in the map, top-level kinds first. */
const MAX_PER_FILE = 10;
const TOP_LEVEL = new Set(['class', 'interface', 'type', 'module', 'function', 'constant', 'macro']);

/**
 * A compact map of files: each path, then the signature line of its main definitions with
 * their line numbers — enough for the model to know what exists and where to read on.
 */
export function repoMapEntry(path: string, defs: readonly StoredDefinition[]): string {
  const chosen = [...defs]
    .sort((a, b) => Number(TOP_LEVEL.has(b.kind)) - Number(TOP_LEVEL.has(a.kind)) || a.line - b.line)
    .slice(0, MAX_PER_FILE)
    .sort((a, b) => a.line - b.line);
  const lines = chosen.map((d) => `  ${String(d.line).padStart(5)}: ${d.signature}`);
  const more = defs.length > chosen.length ? [`  … ${defs.length - chosen.length} more definitions`] : [];
  return [path, ...lines, ...more].join('\n');
}
