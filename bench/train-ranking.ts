/**
 * Trains the learned ranking of the context (src/context/rank/learned-ranking.ts) from the
 * training cases `context-recall-bench.ts --train` writes: tuning repositories only, commits
 * outside the bench's measured sample. A linear model over the features of rank-features.ts,
 * started from the hand-set weights and fitted with a listwise (softmax) or top-of-list pairwise
 * loss and an L2 penalty towards them, the pair chosen by leave-one-repository-out validation;
 * then a bias fitted so that 10 × sigmoid(bias + Σ weight × feature) is the chance a file is one
 * the commit changed.
 *
 *   node --import tsx bench/train-ranking.ts cases.json [more.json …] [--out src/context/rank/learned-ranking.ts]
 *
 * No library: plain gradient descent (Adam), deterministic (no random numbers), seconds of CPU.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { FEATURES, type Feature } from '../src/context/rank/rank-features.js';
import { SIGNAL_WEIGHTS } from '../src/context/rank/rank-files.js';
import { printTable } from './bench-stats.js';

interface TrainingCase {
  repo: string;
  sha: string;
  subject: string;
  answer: string[];
  files: Record<string, Partial<Record<Feature, number>>>;
}

/** Features no history case has (no failing output, no diff, no session): set from `named`'s weight by the hand ratios. */
const SET_NOT_LEARNED: Partial<Record<Feature, number>> = {
  traceback: SIGNAL_WEIGHTS.traceback / SIGNAL_WEIGHTS.named,
  diff: SIGNAL_WEIGHTS.diff / SIGNAL_WEIGHTS.named,
  session: SIGNAL_WEIGHTS.session / SIGNAL_WEIGHTS.named,
};
const NAMES = Object.keys(FEATURES) as Feature[];
const LEARNED = NAMES.filter((f) => !(f in SET_NOT_LEARNED));
const PENALTIES = [0.001, 0.01, 0.1];
/** How each case's ranking is judged while fitting (see `gradient`). */
const LOSSES = ['softmax', 'top pairs'] as const;
type Loss = (typeof LOSSES)[number];
/** `top pairs`: each answer against the non-answers ranked in the top this many. */
const TOP = 15;
const EPOCHS = 300;
const K = 5;

/** A case as numbers: each candidate's feature row and which candidates are answers. */
interface Prepared {
  repo: string;
  rows: Float64Array[];
  isAnswer: boolean[];
  /** Answer files, candidates or not (recall counts the ones no signal found as missed). */
  answers: number;
  hand: number[];
}

function prepare(c: TrainingCase): Prepared {
  const rows: Float64Array[] = [];
  const isAnswer: boolean[] = [];
  const hand: number[] = [];
  for (const [path, f] of Object.entries(c.files)) {
    rows.push(Float64Array.from(LEARNED, (n) => f[n] ?? 0));
    isAnswer.push(c.answer.includes(path));
    // The hand-set ranking's sum over the same signals (its baseline here).
    let h = 0;
    for (const [n, s] of Object.entries(FEATURES))
      if (s in SIGNAL_WEIGHTS && n === s)
        h += (f[n as Feature] ?? 0) * SIGNAL_WEIGHTS[s as keyof typeof SIGNAL_WEIGHTS];
    hand.push(h);
  }
  return { repo: c.repo, rows, isAnswer, answers: c.answer.length, hand };
}

const dot = (w: Float64Array, x: Float64Array) => {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! * x[i]!;
  return s;
};

/** The hand-set weights as a start and a centre: the fit moves from them only as far as the data says. */
const HAND = Float64Array.from(LEARNED, (n) =>
  n in SIGNAL_WEIGHTS ? SIGNAL_WEIGHTS[n as keyof typeof SIGNAL_WEIGHTS] : 0,
);

/**
 * The gradient of the loss over the cases, plus an L2 penalty on the distance from the hand
 * weights. `softmax`: each case's answers should take the softmax over its candidates (listwise).
 * `top pairs`: each answer should score above every non-answer now in the case's top `TOP`
 * (logistic loss per pair), which is what recall@5 counts.
 */
function gradient(w: Float64Array, cases: readonly Prepared[], penalty: number, loss: Loss): Float64Array {
  const grad = new Float64Array(w.length);
  let used = 0;
  const addRow = (x: Float64Array, g: number) => {
    for (let i = 0; i < w.length; i++) grad[i]! += g * x[i]!;
  };
  for (const c of cases) {
    const hits = c.isAnswer.filter(Boolean).length;
    if (hits === 0) continue;
    used++;
    const z = c.rows.map((x) => dot(w, x));
    if (loss === 'softmax') {
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const total = e.reduce((a, b) => a + b, 0);
      c.rows.forEach((x, j) => {
        addRow(x, e[j]! / total - (c.isAnswer[j] ? 1 / hits : 0));
      });
      continue;
    }
    const top = z
      .map((v, j) => [v, j] as const)
      .filter(([, j]) => !c.isAnswer[j])
      .sort((a, b) => b[0] - a[0])
      .slice(0, TOP);
    const pairs = hits * top.length || 1;
    c.isAnswer.forEach((isAnswer, a) => {
      if (!isAnswer) return;
      for (const [zn, n] of top) {
        const g = 1 / (1 + Math.exp(z[a]! - zn)) / pairs;
        addRow(c.rows[n]!, g);
        addRow(c.rows[a]!, -g);
      }
    });
  }
  for (let i = 0; i < w.length; i++) grad[i] = grad[i]! / (used || 1) + 2 * penalty * (w[i]! - HAND[i]!);
  return grad;
}

function fitWeights(cases: readonly Prepared[], penalty: number, loss: Loss): Float64Array {
  const w = Float64Array.from(HAND);
  const m = new Float64Array(w.length);
  const v = new Float64Array(w.length);
  const rate = 0.05;
  for (let t = 1; t <= EPOCHS; t++) {
    const grad = gradient(w, cases, penalty, loss);
    for (let i = 0; i < w.length; i++) {
      m[i] = 0.9 * m[i]! + 0.1 * grad[i]!;
      v[i] = 0.999 * v[i]! + 0.001 * grad[i]! ** 2;
      w[i]! -= (rate * (m[i]! / (1 - 0.9 ** t))) / (Math.sqrt(v[i]! / (1 - 0.999 ** t)) + 1e-8);
    }
  }
  return w;
}

/** recall@5 of ranking each case's candidates by `score` (answers no signal found count as missed). */
function recallAt5(cases: readonly Prepared[], score: (c: Prepared, j: number) => number): number {
  let sum = 0;
  for (const c of cases) {
    const order = c.rows.map((_, j) => j).sort((a, b) => score(c, b) - score(c, a));
    sum += order.slice(0, K).filter((j) => c.isAnswer[j]).length / c.answers;
  }
  return sum / (cases.length || 1);
}

/** The bias making sigmoid(bias + w·x) a calibrated chance, by Newton's method on the log loss. */
function fitBias(w: Float64Array, cases: readonly Prepared[]): number {
  const pairs = cases.flatMap((c) => c.rows.map((x, j) => [dot(w, x), c.isAnswer[j] ? 1 : 0] as const));
  let b = 0;
  for (let it = 0; it < 50; it++) {
    let g = 0;
    let h = 0;
    for (const [z, y] of pairs) {
      const p = 1 / (1 + Math.exp(-(z + b)));
      g += p - y;
      h += p * (1 - p);
    }
    b -= g / (h || 1);
  }
  return b;
}

async function main() {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args.splice(outAt, 2)[1]! : 'src/context/rank/learned-ranking.ts';
  if (args.length === 0) throw new Error('usage: train-ranking.ts cases.json [more.json …] [--out file.ts]');
  const raw: TrainingCase[] = [];
  for (const file of args) raw.push(...(JSON.parse(await readFile(file, 'utf8')) as TrainingCase[]));
  const cases = raw.map(prepare);
  const repos = [...new Set(cases.map((c) => c.repo))];

  // Leave one repository out: train on the others, measure on it, for each penalty.
  const rows: string[][] = [];
  let best = { penalty: PENALTIES[0]!, loss: LOSSES[0] as Loss, mean: -1 };
  for (const loss of LOSSES)
    for (const penalty of PENALTIES) {
      const per = repos.map((r) => {
        const w = fitWeights(
          cases.filter((c) => c.repo !== r),
          penalty,
          loss,
        );
        const held = cases.filter((c) => c.repo === r);
        return recallAt5(held, (c, j) => dot(w, c.rows[j]!));
      });
      const mean = per.reduce((a, b) => a + b, 0) / per.length;
      rows.push([`${loss}, L2 ${penalty}`, ...per.map((x) => x.toFixed(3)), mean.toFixed(3)]);
      if (mean > best.mean) best = { penalty, loss, mean };
    }
  const handPer = repos.map((r) =>
    recallAt5(
      cases.filter((c) => c.repo === r),
      (c, j) => c.hand[j]!,
    ),
  );
  rows.push([
    'hand weights',
    ...handPer.map((x) => x.toFixed(3)),
    (handPer.reduce((a, b) => a + b, 0) / repos.length).toFixed(3),
  ]);
  printTable(
    `recall@5 among the candidates, each repository left out of training (${cases.length} cases)`,
    ['fit', ...repos, 'mean'],
    rows,
  );

  const w = fitWeights(cases, best.penalty, best.loss);
  const bias = fitBias(w, cases);
  const weights = Object.fromEntries(NAMES.map((n) => [n, 0])) as Record<Feature, number>;
  LEARNED.forEach((n, i) => {
    weights[n] = Math.round(w[i]! * 1e4) / 1e4;
  });
  for (const [n, ratio] of Object.entries(SET_NOT_LEARNED))
    weights[n as Feature] = Math.round(weights.named * ratio! * 1e4) / 1e4;
  const all = recallAt5(cases, (c, j) => dot(w, c.rows[j]!));
  process.stdout.write(
    `${best.loss}, L2 ${best.penalty}; recall@5 among the candidates on all training cases ${all.toFixed(3)}; bias ${bias.toFixed(4)}\n`,
  );
  await writeFile(out, moduleText(weights, bias, raw, `${best.loss}, L2 penalty ${best.penalty}`));
  process.stdout.write(`wrote ${out}\n`);
}

function moduleText(
  weights: Record<Feature, number>,
  bias: number,
  raw: readonly TrainingCase[],
  fit: string,
): string {
  const perRepo = [...new Set(raw.map((c) => c.repo))]
    .map((r) => `${r.replace('+', '/')} ${raw.filter((c) => c.repo === r).length}`)
    .join(', ');
  const lines = NAMES.map((n) => `    ${n}: ${weights[n]},`).join('\n');
  return `/**
 * The learned ranking of the context: a weight per feature (rank-features.ts says what each
 * feature is) and a bias; a file's score is 10 × sigmoid(bias + Σ weight × feature).
 *
 * Written by bench/train-ranking.ts — do not edit by hand. Data: ${raw.length} commits of the
 * tuning repositories (${perRepo}), none of them in the recall bench's measured sample
 * (commit subject as the request, the source files it modified as the answer, every candidate
 * file's features at the parent commit). Fitted from the hand-set weights (rank-files.ts), loss
 * and L2 penalty towards those chosen by leaving each repository out in turn: ${fit}. traceback, diff and
 * session never occur in that history: their weights are named's times the hand-set ratios.
 * Measured beside the hand-set ranking by the recall bench; Ralex ranks with that one (bench/README.md).
 *
 *   node --import tsx bench/context-recall-bench.ts --train cases-<repo>.json --train-commits 100 <mirror>   (each tuning repository)
 *   node --import tsx bench/train-ranking.ts cases-*.json
 */
import type { LearnedRanking } from './rank-files.js';

export const LEARNED_RANKING: LearnedRanking = {
  bias: ${Math.round(bias * 1e4) / 1e4},
  weights: {
${lines}
  },
};
`;
}

await main();
