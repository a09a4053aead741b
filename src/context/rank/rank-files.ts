import type { IndexQueries, StoredDefinition, StoredFile } from '../index/index-queries.js';
import { coChanged, type HistoryCommit, recentlyChanged } from './git-history.js';
import { queryTerms, symbolMentions } from './query-terms.js';
import { symbolRank } from './symbol-graph.js';
import { tracebackFiles } from './traceback-files.js';

/** What the ranking knows about a command. */
export interface RankInput {
  /** The request as parsed (fillers and trigger removed, spoken file names replaced by paths). */
  request: string;
  intent: string;
  /** Files the command names, resolved. */
  files: readonly string[];
  /** Of those, the ones named only by a bare word ("connection" → Connection.java): weaker evidence. */
  looselyNamed?: readonly string[];
  /** Files an unclear mention could mean. */
  candidates: readonly string[];
  /** Files earlier commands of this session touched, with how many commands ago (0 = the last). */
  session: readonly { path: string; age: number }[];
  /** Files changed in the working tree (what a review looks at). */
  diffFiles: readonly string[];
  /** Output of failing tests, when known (a fix gets the files its tracebacks name). */
  failingOutput?: string;
}

/** A part of a file worth showing when the whole does not fit (1-based, inclusive). */
export interface FocusRange {
  start: number;
  end: number;
  weight: number;
}

/** One ranked file: its score, the reasons, and the parts of it that matched. */
export interface RankedFile {
  file: StoredFile;
  score: number;
  reasons: string[];
  focus: FocusRange[];
}

/** How much each signal can add to a file's score. */
export type SignalWeights = Record<keyof typeof SIGNAL_WEIGHTS, number>;

/** The weights Ralex ranks with (a bench may pass others to measure one signal's worth). */
export const SIGNAL_WEIGHTS = {
  named: 10,
  traceback: 6,
  symbol: 6,
  symbolSpoken: 3,
  diff: 5,
  lexical: 4,
  candidate: 3,
  // Off for ranking: on the history bench, symbol-graph neighbours crowded out the files a change
  // is about (mean recall@5 0.625 with, 0.685 without). The graph picks the repo map instead.
  graph: 0,
  coChange: 2.5,
  session: 2,
  recent: 1,
} as const;

const CHUNK_HITS = 400;
/** Share of the graph's weight a file gets when no other signal found it. */
const GRAPH_ONLY = 0.25;
const FOCUS_MARGIN = 12;

/** Ranks the project's files for a command from every signal, each file with its reasons. */
export function rankFiles(
  q: IndexQueries,
  history: readonly HistoryCommit[],
  input: RankInput,
  root: string,
  weights: SignalWeights = SIGNAL_WEIGHTS,
): RankedFile[] {
  const W = weights;
  const ranked = new Map<number, RankedFile>();
  const add = (file: StoredFile | undefined, points: number, reason: string, focus?: FocusRange) => {
    if (!file || points <= 0) return;
    let r = ranked.get(file.id);
    if (!r) {
      r = { file, score: 0, reasons: [], focus: [] };
      ranked.set(file.id, r);
    }
    r.score += points;
    if (!r.reasons.includes(reason)) r.reasons.push(reason);
    if (focus) r.focus.push(focus);
  };
  const seeds = new Map<number, number>();
  const seed = (file: StoredFile | undefined, w: number) => {
    if (file) seeds.set(file.id, Math.max(seeds.get(file.id) ?? 0, w));
  };

  const loose = new Set(input.looselyNamed ?? []);
  for (const path of input.files) {
    const f = q.file(path);
    if (loose.has(path)) add(f, W.candidate, 'its name is a word of the command');
    else add(f, W.named, 'named in the command');
    seed(f, loose.has(path) ? 0.5 : 1);
  }
  // The parse stage wrote resolved paths into the request: the folders are not the request's
  // words, the file's own name is ("the checkpoint" → src/engine/checkpoint/checkpoint.ts → checkpoint).
  let request = input.request;
  for (const path of input.files) request = request.split(path).join(` ${stem(path)} `);
  for (const path of input.candidates) add(q.file(path), W.candidate, 'may be the file the command means');

  const mentions = symbolMentions(request);
  const symbolFiles = new Map<number, { points: number; reason: string; focus: FocusRange[] }>();
  const symbolHit = (defs: StoredDefinition[], points: number, spoken: boolean) => {
    // A name defined in many files says little about each; a file counts only its best name.
    const spread = new Map<string, number>();
    for (const d of defs) spread.set(d.name, (spread.get(d.name) ?? 0) + 1);
    for (const d of defs) {
      const p = points / Math.sqrt(spread.get(d.name)!);
      const entry = symbolFiles.get(d.fileId) ?? { points: 0, reason: '', focus: [] };
      if (p > entry.points) {
        entry.points = p;
        entry.reason = `defines \`${d.name}\`${spoken ? ' (as said)' : ''}`;
      }
      entry.focus.push({ start: d.line, end: d.endLine, weight: 3 });
      symbolFiles.set(d.fileId, entry);
    }
  };
  symbolHit(q.definitionsNamed(mentions.exact), W.symbol, false);
  symbolHit(
    q.definitionsNamedLoosely(mentions.loose).filter((d) => !mentions.exact.includes(d.name)),
    W.symbolSpoken,
    true,
  );
  for (const [id, s] of symbolFiles) {
    const f = q.fileById(id);
    add(f, s.points, s.reason);
    ranked.get(id)?.focus.push(...s.focus);
    seed(f, 0.8 * (s.points / W.symbol));
  }

  if (input.failingOutput) {
    const places = tracebackFiles(input.failingOutput, root, q.allPaths());
    places.slice(0, 12).forEach((p, i) => {
      const f = q.file(p.path);
      const focus = p.line
        ? { start: p.line - FOCUS_MARGIN, end: p.line + FOCUS_MARGIN, weight: 3 }
        : undefined;
      add(f, W.traceback * 0.93 ** i, 'named in the failing test output', focus);
      seed(f, 0.8);
    });
  }
  if (input.intent === 'review') {
    for (const path of input.diffFiles) {
      const f = q.file(path);
      add(f, W.diff, 'changed in the working tree');
      seed(f, 0.6);
    }
  }

  const terms = queryTerms(request);
  const lexical = lexicalScores(q, terms);
  const topLexical = Math.max(0, ...[...lexical.values()].map((l) => l.score));
  for (const [id, l] of lexical) {
    const norm = l.score / topLexical;
    add(l.file, W.lexical * norm, `matches ${l.words.slice(0, 4).join(', ')}`);
    const r = ranked.get(id);
    r?.focus.push(...l.ranges);
  }
  const bestLexical = [...lexical.values()].sort((a, b) => b.score - a.score).slice(0, 5);
  for (const l of bestLexical) seed(l.file, 0.5 * (l.score / topLexical));

  for (const s of input.session) {
    const f = q.file(s.path);
    add(f, W.session * 0.7 ** s.age, 'touched earlier in this session');
    seed(f, 0.3 * 0.7 ** s.age);
  }

  if (seeds.size > 0 && (W.graph > 0 || W.coChange > 0)) {
    const graph = W.graph > 0 ? symbolRank(q, seeds) : new Map<number, { rank: number; via: number }>();
    const top = Math.max(0, ...[...graph.values()].map((g) => g.rank));
    for (const [id, g] of graph) {
      const from = q.fileById(g.via)?.path ?? '';
      // The graph orders what other signals found; a file it alone reaches ranks low (the
      // history bench showed neighbours crowding out the files a change is about).
      const alone = ranked.has(id) ? 1 : GRAPH_ONLY;
      add(q.fileById(id), W.graph * alone * (g.rank / top), `linked by symbols to ${from}`);
    }
    const seedPaths = new Map<string, number>();
    for (const [id, w] of seeds) {
      const f = q.fileById(id);
      if (f) seedPaths.set(f.path, w);
    }
    const together = coChanged(history, seedPaths);
    for (const [path, t] of together) {
      add(
        q.file(path),
        W.coChange * Math.min(1, t.weight),
        `changed together with ${t.with} (${t.commits} commit${t.commits === 1 ? '' : 's'})`,
      );
    }
  }
  const recent = recentlyChanged(history);
  const topRecent = Math.max(0, ...recent.values());
  for (const [path, w] of recent) {
    // Recency alone never brings a file in; it orders files other signals found.
    const f = q.file(path);
    if (f && ranked.has(f.id)) add(f, W.recent * (w / topRecent), 'changed in recent commits');
  }

  for (const r of ranked.values()) {
    // A file kept by name only cannot be shown; it still ranks, lower.
    if (r.file.content !== 'indexed') r.score *= 0.3;
    r.score = Math.round(r.score * 1000) / 1000;
  }
  return [...ranked.values()].sort((a, b) => b.score - a.score || (a.file.path < b.file.path ? -1 : 1));
}

interface LexicalScore {
  file: StoredFile;
  score: number;
  words: string[];
  ranges: FocusRange[];
}

/** BM25 per file: its best chunks' scores (decaying), the words that matched and where. */
function lexicalScores(q: IndexQueries, terms: readonly string[]): Map<number, LexicalScore> {
  const out = new Map<number, LexicalScore>();
  if (terms.length === 0) return out;
  const hits = q.searchChunks(terms, CHUNK_HITS);
  const seenChunks = new Map<number, number>();
  for (const h of hits) {
    const n = seenChunks.get(h.fileId) ?? 0;
    seenChunks.set(h.fileId, n + 1);
    if (n >= 3) continue;
    let entry = out.get(h.fileId);
    if (!entry) {
      const file = q.fileById(h.fileId);
      if (!file) continue;
      entry = { file, score: 0, words: matchedWords(h.path, terms), ranges: [] };
      out.set(h.fileId, entry);
    }
    entry.score += h.score * 0.5 ** n;
    if (h.endLine > 0) entry.ranges.push({ start: h.startLine, end: h.endLine, weight: 1 / (n + 1) });
  }
  return out;
}

/** The query words a file's path shows, then the rest (BM25 does not say which words matched). */
function matchedWords(path: string, terms: readonly string[]): string[] {
  const p = path.toLowerCase();
  return [...terms].sort((a, b) => Number(p.includes(b)) - Number(p.includes(a)));
}

/** A path's file name without its extension: `src/auth/user_auth.py` → user_auth. */
function stem(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.indexOf('.', 1);
  return dot > 0 ? name.slice(0, dot) : name;
}
