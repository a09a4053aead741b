import { normalName } from '../index/identifiers.js';
import type { IndexQueries, StoredDefinition, StoredFile } from '../index/index-queries.js';
import { coChanged, type HistoryCommit, recentlyChanged } from './git-history.js';
import { LEXICAL_TUNING, type LexicalTuning, lexicalScores } from './lexical-scores.js';
import { pathMatch } from './path-match.js';
import { queryTerms, stemWord, symbolMentions } from './query-terms.js';
import type { Combine, FocusRange, RankInput, Signal, SignalWeights } from './rank-files.js';
import { similarCommitFiles } from './similar-commits.js';
import { symbolRank } from './symbol-graph.js';
import { testPairs } from './test-pairs.js';
import { tracebackFiles } from './traceback-files.js';

/** What the signals found about one file: each signal's points, its reason, and the parts that matched. */
export interface GatheredFile {
  file: StoredFile;
  points: Partial<Record<Signal, number>>;
  /** One reason per signal, in the order the signals found the file. */
  reasons: { signal: Signal; text: string }[];
  focus: FocusRange[];
  /** Share of the request's words the file has (from the lexical signal; 0 when it found none). */
  wordShare: number;
  /** How well the path's words match the request's (`pathMatch`). */
  pathWords: number;
}

/** Every file any signal found, and the request's search terms. */
export interface Gathered {
  files: Map<number, GatheredFile>;
  terms: string[];
}

/**
 * A project's running log of changes (CHANGES.rst, CHANGELOG.md, HISTORY.md, NEWS): it mentions
 * every feature and changes with every release, so matching words and shared history say little
 * about it. From those signals it keeps `COMBINE.changelog` of its points; a command that names
 * it ("update the changelog") finds it as before. It still seeds co-change like any file the
 * words match best (without, guzzle lost a case on the recall bench).
 */
const CHANGELOG =
  /(^|\/)(change[s_-]?log|changes|history|news|release[s_-]?notes)(\.(md|markdown|rst|txt|adoc))?$/i;
const CHANGELOG_DAMPED = new Set<Signal>([
  'lexical',
  'coChange',
  'similar',
  'prior',
  'recent',
  'recentCo',
  'graph',
  'path',
]);

/** Share of the graph's weight a file gets when no other signal found it. */
const GRAPH_ONLY = 0.25;
const FOCUS_MARGIN = 12;

/**
 * Runs every ranking signal for a command, each scaled by its weight in `W` (a weight of 0 turns
 * a signal off; the learned ranking gathers at unit weights and combines them itself); `combine`
 * says how far a changelog's and the prior's files count (see COMBINE).
 */
export function gatherSignals(
  q: IndexQueries,
  history: readonly HistoryCommit[],
  input: RankInput,
  root: string,
  W: SignalWeights,
  lexicalTuning: LexicalTuning = LEXICAL_TUNING,
  combine: Pick<Combine, 'recentOnPrior' | 'changelog'>,
): Gathered {
  const ranked = new Map<number, GatheredFile>();
  const add = (
    file: StoredFile | undefined,
    points: number,
    reason: string,
    signal: Signal,
    focus?: FocusRange,
  ) => {
    if (!file || points <= 0) return;
    if (CHANGELOG_DAMPED.has(signal) && CHANGELOG.test(file.path)) points *= combine.changelog;
    let r = ranked.get(file.id);
    if (!r) {
      r = { file, points: {}, reasons: [], focus: [], wordShare: 0, pathWords: 0 };
      ranked.set(file.id, r);
    }
    r.points[signal] = (r.points[signal] ?? 0) + points;
    if (!r.reasons.some((x) => x.signal === signal)) r.reasons.push({ signal, text: reason });
    if (focus) r.focus.push(focus);
  };
  const seeds = new Map<number, number>();
  const seed = (file: StoredFile | undefined, w: number) => {
    if (file) seeds.set(file.id, Math.max(seeds.get(file.id) ?? 0, w));
  };

  const loose = new Set(input.looselyNamed ?? []);
  for (const path of input.files) {
    const f = q.file(path);
    if (loose.has(path)) add(f, W.candidate, 'its name is a word of the command', 'candidate');
    else add(f, W.named, 'named in the command', 'named');
    seed(f, loose.has(path) ? 0.5 : 1);
  }
  // The parse stage wrote resolved paths into the request: the folders are not the request's
  // words, the file's own name is ("the checkpoint" → src/engine/checkpoint/checkpoint.ts → checkpoint).
  let request = input.request;
  for (const path of input.files) request = request.split(path).join(` ${stem(path)} `);
  for (const path of input.candidates)
    add(q.file(path), W.candidate, 'may be the file the command means', 'candidate');

  const mentions = symbolMentions(request);
  const symbolFiles = new Map<
    number,
    { points: number; reason: string; signal: Signal; focus: FocusRange[] }
  >();
  const symbolHit = (defs: StoredDefinition[], points: number, spoken: boolean) => {
    // A name defined in many files says little about each; a file counts only its best name.
    const spread = new Map<string, number>();
    for (const d of defs) spread.set(d.name, (spread.get(d.name) ?? 0) + 1);
    for (const d of defs) {
      const p = points / Math.sqrt(spread.get(d.name)!);
      const entry = symbolFiles.get(d.fileId) ?? { points: 0, reason: '', signal: 'symbol', focus: [] };
      if (p > entry.points) {
        entry.points = p;
        entry.signal = spoken ? 'symbolSpoken' : 'symbol';
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
  if (W.symbolWord > 0) {
    // One word alone names too many things to seed like a name (see symbolMentions), but a word
    // that is the whole name of a few definitions ("session", "Cookie") still points at them.
    const words = [...new Set(queryTerms(request).filter((w) => w.length >= 5))];
    const defs = q
      .definitionsNamedLoosely(words)
      .filter((d) => !mentions.exact.includes(d.name) && !symbolFiles.has(d.fileId));
    const spread = new Map<string, Set<number>>();
    for (const d of defs)
      spread.set(normalName(d.name), (spread.get(normalName(d.name)) ?? new Set()).add(d.fileId));
    const best = new Map<number, { p: number; name: string }>();
    for (const d of defs) {
      const n = spread.get(normalName(d.name))!.size;
      if (n > 3) continue;
      const p = W.symbolWord / Math.sqrt(n);
      if (p > (best.get(d.fileId)?.p ?? 0)) best.set(d.fileId, { p, name: d.name });
    }
    for (const [id, b] of best)
      add(q.fileById(id), b.p, `defines \`${b.name}\`, a word of the command`, 'symbolWord');
  }
  for (const [id, s] of symbolFiles) {
    const f = q.fileById(id);
    add(f, s.points, s.reason, s.signal);
    ranked.get(id)?.focus.push(...s.focus);
    // A spoken name seeds half as strongly as an exact one, at any weights.
    const unit = s.signal === 'symbol' ? W.symbol : W.symbolSpoken * 2;
    seed(f, unit > 0 ? 0.8 * (s.points / unit) : 0);
  }

  if (input.failingOutput) {
    const places = tracebackFiles(input.failingOutput, root, q.allPaths());
    places.slice(0, 12).forEach((p, i) => {
      const f = q.file(p.path);
      const focus = p.line
        ? { start: p.line - FOCUS_MARGIN, end: p.line + FOCUS_MARGIN, weight: 3 }
        : undefined;
      add(f, W.traceback * 0.93 ** i, 'named in the failing test output', 'traceback', focus);
      seed(f, 0.8);
    });
  }
  if (input.intent === 'review') {
    for (const path of input.diffFiles) {
      const f = q.file(path);
      add(f, W.diff, 'changed in the working tree', 'diff');
      seed(f, 0.6);
    }
  }

  const terms = queryTerms(request);
  const lexical = lexicalScores(q, terms, lexicalTuning);
  const topLexical = Math.max(0, ...[...lexical.values()].map((l) => l.score));
  for (const [id, l] of lexical) {
    const norm = l.score / topLexical;
    const said = l.words.length
      ? `matches ${l.words.slice(0, 4).join(', ')}`
      : 'matches words of the command';
    add(l.file, W.lexical * norm, said, 'lexical');
    const r = ranked.get(id);
    if (r) {
      r.focus.push(...l.ranges);
      r.wordShare = terms.length ? l.words.length / terms.length : 0;
    }
  }
  const bestLexical = [...lexical.values()].sort((a, b) => b.score - a.score).slice(0, 5);
  for (const l of bestLexical) seed(l.file, 0.5 * (l.score / topLexical));

  for (const s of input.session) {
    const f = q.file(s.path);
    add(f, W.session * 0.7 ** s.age, 'touched earlier in this session', 'session');
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
      add(q.fileById(id), W.graph * alone * (g.rank / top), `linked by symbols to ${from}`, 'graph');
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
        'coChange',
      );
    }
  }
  if (W.recentCo > 0) {
    // What the last few commits changed, as seeds: the files that usually change with them are
    // likely next (the rest of a piece of work in progress).
    const last = recentlyChanged(history, 5, 0.7);
    const topLast = Math.max(0, ...last.values());
    const lastSeeds = new Map<string, number>();
    for (const [path, w] of last) lastSeeds.set(path, w / topLast);
    for (const [path, t] of coChanged(history, lastSeeds))
      add(
        q.file(path),
        W.recentCo * Math.min(1, t.weight),
        `usually changes with ${t.with}, changed in the last commits`,
        'recentCo',
      );
  }
  if (W.similar > 0) {
    const similar = similarCommitFiles(history, input.request);
    const top = Math.max(0, ...[...similar.values()].map((s) => s.weight));
    for (const [path, s] of similar)
      add(
        q.file(path),
        W.similar * (s.weight / top),
        `changed by past commits like "${s.subject}"`,
        'similar',
      );
  }
  if (W.prior > 0) {
    // What changes often lately is likelier to change next: a small prior, which alone fills the
    // list when no word of the request points anywhere.
    const often = recentlyChanged(history, 100, 0.97);
    const top = Math.max(0, ...often.values());
    for (const [path, w] of often) add(q.file(path), W.prior * (w / top), 'changed often lately', 'prior');
  }
  if (W.pair > 0) {
    const pairs = testPairs(q.allPaths());
    const total = (r: GatheredFile) => Object.values(r.points).reduce((s, p) => s + (p ?? 0), 0);
    const best = [...ranked.values()].sort((a, b) => total(b) - total(a)).slice(0, 10);
    const top = best[0] ? total(best[0]) : 0;
    for (const r of best) {
      const test = r.file.path;
      for (const p of pairs.partners(test))
        add(
          q.file(p),
          W.pair * (total(r) / top),
          `pairs with ${test} (its test or the file it tests)`,
          'pair',
        );
    }
  }
  const stems = new Set(terms.map(stemWord));
  for (const r of ranked.values()) r.pathWords = pathMatch(r.file.path, stems);
  if (W.path > 0) {
    for (const r of [...ranked.values()])
      if (r.pathWords > 0) add(r.file, W.path * r.pathWords, 'its path has words of the command', 'path');
  }
  const recent = recentlyChanged(history);
  const topRecent = Math.max(0, ...recent.values());
  for (const [path, w] of recent) {
    // Recency alone never brings a file in; it orders files other signals found (with
    // `recentOnPrior` 0, not the files only the prior found: that is recency too).
    const f = q.file(path);
    const r = f && ranked.get(f.id);
    if (!r || (!combine.recentOnPrior && Object.keys(r.points).every((s) => s === 'prior'))) continue;
    add(f, W.recent * (w / topRecent), 'changed in recent commits', 'recent');
  }
  return { files: ranked, terms };
}

/** A path's file name without its extension: `src/auth/user_auth.py` → user_auth. */
function stem(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.indexOf('.', 1);
  return dot > 0 ? name.slice(0, dot) : name;
}
