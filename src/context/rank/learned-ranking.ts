/**
 * The learned ranking of the context: a weight per feature (rank-features.ts says what each
 * feature is) and a bias; a file's score is 10 × sigmoid(bias + Σ weight × feature).
 *
 * Written by bench/train-ranking.ts — do not edit by hand. Data: 500 commits of the
 * tuning repositories (colinhacks/zod 100, google/gson 100, psf/requests 100, sinatra/sinatra 100, spf13/cobra 100), none of them in the recall bench's measured sample
 * (commit subject as the request, the source files it modified as the answer, every candidate
 * file's features at the parent commit). Fitted from the hand-set weights (rank-files.ts), loss
 * and L2 penalty towards those chosen by leaving each repository out in turn: top pairs, L2 penalty 0.01. traceback, diff and
 * session never occur in that history: their weights are named's times the hand-set ratios.
 * Measured beside the hand-set ranking by the recall bench; Ralex ranks with that one (bench/README.md).
 *
 *   node --import tsx bench/context-recall-bench.ts --train cases-<repo>.json --train-commits 100 <mirror>   (each tuning repository)
 *   node --import tsx bench/train-ranking.ts cases-*.json
 */
import type { LearnedRanking } from './rank-files.js';

export const LEARNED_RANKING: LearnedRanking = {
  bias: -4.9396,
  weights: {
    named: 10,
    candidate: 2.8239,
    symbol: 5.7935,
    symbolSpoken: 2.9552,
    lexical: 3.2576,
    lexicalPlace: 0.035,
    lexicalWords: -0.5625,
    lexicalInTest: -0.1068,
    pathWords: 0.0487,
    coChange: 2.49,
    coChangePlace: 0.0321,
    similar: 1.9172,
    similarPlace: 0.0111,
    prior: 0.357,
    recent: 1.1729,
    test: 0.0989,
    depth: -0.1917,
    lines: -0.3062,
    traceback: 6,
    diff: 5,
    session: 2,
  },
};
