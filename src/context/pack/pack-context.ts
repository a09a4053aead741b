import type { ContextItem, ContextItemKind, OmittedItem } from '../context-package.js';
import type { StoredDefinition } from '../index/index-queries.js';
import type { RankedFile } from '../rank/rank-files.js';
import { pickLineRanges } from './line-ranges.js';
import { repoMapEntry } from './repo-map.js';
import type { TokenCounter } from './tokenizer.js';

/** A piece of context other than a ranked file (instructions, memory, session, diff, tests). */
export interface Candidate {
  kind: ContextItemKind;
  ref: string;
  content: string;
  score: number;
  reasons: string[];
  /** Largest share of the budget it may take; longer content is cut (its head kept). */
  maxShare: number;
}

/** What packing needs: the budget, the candidates, and how to read files and count tokens. */
export interface PackInput {
  budget: number;
  candidates: Candidate[];
  files: RankedFile[];
  /** The file's text, or null when it may not be read (policy) or cannot be. */
  readFile(path: string): Promise<string | null>;
  definitionsIn(fileId: number): StoredDefinition[];
  count: TokenCounter;
  /**
   * Files for the repo map, best first, with why (e.g. linked by symbols to a packed file); the
   * next-best ranked files follow them. Called with the files packed so far.
   */
  mapFiles?(packed: readonly RankedFile[]): { file: RankedFile['file']; score: number; reason: string }[];
  /** Remember a file's token count (the index caches it until the file changes). */
  rememberTokens?(fileId: number, tokens: number): void;
}

/** What packing chose and left out. */
export interface Packed {
  items: ContextItem[];
  omitted: OmittedItem[];
  tokens: number;
}

/** Files considered for full or partial inclusion; the next ones go to the repo map. */
const MAX_FILES = 12;
/** A file scoring below this share of the best file's score goes to the map instead. */
const MIN_SHARE_OF_BEST = 0.15;
/** Largest share of the budget one file may take; a larger file is shown in parts. */
const FILE_SHARE = 0.35;
/** The map gets what is left, at most this share (and is held back while files are packed). */
const MAP_SHARE = 0.12;
const MAP_FILES = 30;
const MIN_USEFUL = 60;
const MAX_OMITTED = 40;

/**
 * Packs the best context within the budget: candidates and files in score order, each whole
 * when it fits, a large file as its most relevant line ranges, and then a compact map of the
 * next-best files' signatures. Everything is counted with the real tokenizer.
 */
export async function packContext(input: PackInput): Promise<Packed> {
  const { budget, count } = input;
  const items: ContextItem[] = [];
  const omitted: OmittedItem[] = [];
  const mapReserve = Math.min(Math.floor(budget * MAP_SHARE), 1500);
  let used = 0;
  const roomFor = (reserve: number) => budget - used - reserve;

  type Entry = { score: number; candidate?: Candidate; file?: RankedFile };
  const best = input.files[0]?.score ?? 0;
  const fileEntries = input.files
    .filter((f) => f.file.content === 'indexed')
    .slice(0, MAX_FILES)
    .filter((f) => f.score >= best * MIN_SHARE_OF_BEST);
  const queue: Entry[] = [
    ...input.candidates.map((c) => ({ score: c.score, candidate: c })),
    ...fileEntries.map((f) => ({ score: f.score, file: f })),
  ].sort((a, b) => b.score - a.score);
  const included = new Set<number>();

  for (const entry of queue) {
    const room = roomFor(input.files.length > fileEntries.length ? mapReserve : 0);
    if (entry.candidate) {
      const c = entry.candidate;
      const item = fitCandidate(c, Math.min(room, Math.floor(budget * c.maxShare)), count);
      if (item) {
        items.push(item);
        used += item.tokens;
      } else
        omitted.push({
          kind: c.kind,
          ref: c.ref,
          tokens: count(c.content),
          score: c.score,
          reason: 'over the budget',
        });
      continue;
    }
    const f = entry.file!;
    const text = await input.readFile(f.file.path);
    if (text === null) {
      omitted.push({
        kind: 'file',
        ref: f.file.path,
        tokens: 0,
        score: f.score,
        reason: 'not readable under the policy',
      });
      continue;
    }
    const tokens = f.file.tokens ?? count(text);
    if (f.file.tokens === null) input.rememberTokens?.(f.file.id, tokens);
    const cap = Math.min(room, Math.floor(budget * FILE_SHARE));
    if (tokens <= cap) {
      items.push({
        kind: 'file',
        ref: f.file.path,
        path: f.file.path,
        content: text,
        tokens,
        score: f.score,
        reasons: f.reasons,
      });
      used += tokens;
      included.add(f.file.id);
      continue;
    }
    const ranges = cap >= MIN_USEFUL ? pickLineRanges(text.split('\n'), f.focus, cap - 20, count) : [];
    if (ranges.length === 0) {
      omitted.push({
        kind: 'file',
        ref: f.file.path,
        tokens,
        score: f.score,
        reason: `over the budget (${tokens} tokens, ${Math.max(0, room)} left)`,
      });
      continue;
    }
    const content = ranges.map((r) => `⋮ lines ${r.start}-${r.end}\n${r.text}`).join('\n');
    const snippetTokens = count(content);
    items.push({
      kind: 'snippet',
      ref: `${f.file.path}:${ranges.map((r) => `${r.start}-${r.end}`).join(',')}`,
      path: f.file.path,
      lines: [ranges[0]!.start, ranges.at(-1)!.end],
      content,
      tokens: snippetTokens,
      score: f.score,
      reasons: [...f.reasons, `the most relevant parts of ${tokens} tokens`],
    });
    used += snippetTokens;
    included.add(f.file.id);
  }

  const packedFiles = input.files.filter((f) => included.has(f.file.id));
  const linked = (input.mapFiles?.(packedFiles) ?? []).filter((m) => !included.has(m.file.id));
  const linkedIds = new Set(linked.map((m) => m.file.id));
  const rest: RankedFile[] = [
    ...linked.map((m) => ({ file: m.file, score: m.score, reasons: [m.reason], focus: [] })),
    ...input.files.filter((f) => !included.has(f.file.id) && !linkedIds.has(f.file.id)),
  ];
  const mapped: string[] = [];
  let mapText = '';
  let mapTokens = 0;
  for (const f of rest.slice(0, MAP_FILES)) {
    const defs = input.definitionsIn(f.file.id);
    const entry = defs.length ? repoMapEntry(f.file.path, defs) : f.file.path;
    // Counted entry by entry (+1 for the line break), so each entry's count can be remembered.
    const tokens = mapTokens + count(entry) + (mapText ? 1 : 0);
    if (tokens > roomFor(0)) break;
    mapText = mapText ? `${mapText}\n${entry}` : entry;
    mapTokens = tokens;
    mapped.push(f.file.path);
  }
  if (mapped.length) {
    items.push({
      kind: 'map',
      ref: 'repository map',
      content: mapText,
      tokens: mapTokens,
      score: rest[0]!.score,
      reasons: [
        `signatures of ${mapped.length} more files${linked.length ? `, first those linked by symbols to the files above (${rest[0]!.reasons[0]})` : ' by rank'}: ${mapped.slice(0, 3).join(', ')}${mapped.length > 3 ? ', …' : ''}`,
      ],
    });
    used += mapTokens;
  }
  for (const f of rest.slice(mapped.length, mapped.length + MAX_OMITTED)) {
    if (omitted.some((o) => o.ref === f.file.path)) continue;
    omitted.push({
      kind: 'file',
      ref: f.file.path,
      tokens: f.file.tokens ?? 0,
      score: f.score,
      reason: 'below the cut',
    });
  }
  items.sort((a, b) => b.score - a.score);
  return { items, omitted: omitted.slice(0, MAX_OMITTED), tokens: used };
}

/** A candidate whole, or cut to its head when it is longer than `room`; null when too little room. */
function fitCandidate(c: Candidate, room: number, count: TokenCounter): ContextItem | null {
  const tokens = count(c.content);
  const base = { kind: c.kind, ref: c.ref, score: c.score, reasons: c.reasons };
  if (tokens <= room) return { ...base, content: c.content, tokens };
  if (room < MIN_USEFUL) return null;
  // Cut by characters in proportion, then check with the tokenizer (a second cut is rarely needed).
  let chars = Math.floor((c.content.length * (room - 20)) / tokens);
  let content = `${c.content.slice(0, chars)}\n… (cut to fit the context budget)`;
  let n = count(content);
  while (n > room && chars > 200) {
    chars = Math.floor(chars * 0.8);
    content = `${c.content.slice(0, chars)}\n… (cut to fit the context budget)`;
    n = count(content);
  }
  if (n > room) return null;
  return { ...base, content, tokens: n, reasons: [...c.reasons, `cut from ${tokens} tokens`] };
}
