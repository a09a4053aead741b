import type { IndexQueries } from '../index/index-queries.js';

/** Neighbours taken per node when the graph around the seeds is grown. */
const FAN_OUT = 25;
/** Seeds the walk starts from (the strongest), and nodes of the first step grown further. */
const MAX_SEEDS = 8;
const MAX_SECOND_STEP = 24;
const DAMPING = 0.85;
const ITERATIONS = 20;
/** A use of a file's symbols counts less than a use by it (callers matter less than callees). */
const REVERSE_WEIGHT = 0.5;

/**
 * Personalised PageRank over the symbol graph (a file links to the files defining the names it
 * uses, and less strongly back), started from the `seeds` and run on the graph within two
 * steps of them. Returns the rank of every other file reached, with the seed it came from.
 */
export function symbolRank(
  q: IndexQueries,
  seeds: ReadonlyMap<number, number>,
): Map<number, { rank: number; via: number }> {
  const edges = new Map<number, Map<number, number>>();
  const via = new Map<number, number>();
  const neighbours = (id: number): Map<number, number> => {
    let out = edges.get(id);
    if (out) return out;
    out = new Map();
    for (const [t, w] of q.referencedFiles(id)) out.set(t, w);
    for (const [s, w] of q.referencingFiles(id)) out.set(s, (out.get(s) ?? 0) + REVERSE_WEIGHT * w);
    out = new Map([...out].sort((a, b) => b[1] - a[1]).slice(0, FAN_OUT));
    edges.set(id, out);
    return out;
  };
  const starts = [...seeds].sort((a, b) => b[1] - a[1]).slice(0, MAX_SEEDS);
  for (const [s] of starts) via.set(s, s);
  // First step from every start; the second only from the nodes the first reached most strongly.
  const reach = new Map<number, number>();
  for (const [id, w] of starts) {
    for (const [n, ew] of neighbours(id)) {
      if (!via.has(n)) via.set(n, id);
      if (!seeds.has(n)) reach.set(n, (reach.get(n) ?? 0) + w * ew);
    }
  }
  for (const [id] of [...reach].sort((a, b) => b[1] - a[1]).slice(0, MAX_SECOND_STEP)) {
    for (const n of neighbours(id).keys()) if (!via.has(n)) via.set(n, via.get(id)!);
  }
  const total = starts.reduce((a, [, v]) => a + v, 0) || 1;
  const restart = new Map(starts.map(([k, v]) => [k, v / total]));
  let rank = new Map(restart);
  for (let i = 0; i < ITERATIONS; i++) {
    const next = new Map<number, number>();
    for (const [k, v] of restart) next.set(k, (1 - DAMPING) * v);
    for (const [node, r] of rank) {
      const out = edges.get(node);
      if (!out || out.size === 0) {
        // A dead end returns its rank to the seeds, as a random surfer restarting would.
        for (const [k, v] of restart) next.set(k, (next.get(k) ?? 0) + DAMPING * r * v);
        continue;
      }
      let sum = 0;
      for (const w of out.values()) sum += w;
      for (const [t, w] of out) next.set(t, (next.get(t) ?? 0) + (DAMPING * r * w) / sum);
    }
    rank = next;
  }
  const result = new Map<number, { rank: number; via: number }>();
  for (const [k, r] of rank) if (!seeds.has(k) && r > 0) result.set(k, { rank: r, via: via.get(k) ?? k });
  return result;
}
