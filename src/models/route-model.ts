import { z } from 'zod';
import type { RoutingPreferences } from '../config/models-schema.js';
import { capabilityFor } from './capability.js';
import { costOf, type ModelInfo } from './model-info.js';
import { posterior, type TaskStats } from './performance-stats.js';
import type { TaskType } from './task-type.js';

/** One candidate as the router scored it: each factor (0–1), the total, the estimate, or why it was left out. */
export const CandidateScoreSchema = z.object({
  model: z.string(),
  score: z.number(),
  capability: z.number(),
  cost: z.number(),
  performance: z.number(),
  context: z.number(),
  latency: z.number(),
  /** USD for this request (prompt + expected output); null when the price is unknown. */
  estimatedCost: z.number().nullable(),
  /** Learned success rate for this task type and the outcomes behind it. */
  learned: z.object({ rate: z.number(), outcomes: z.number() }),
  /** Why the model was not eligible (too small a window, no tools, cooling down). */
  excluded: z.string().optional(),
});
/** One scored candidate. */
export type CandidateScore = z.infer<typeof CandidateScoreSchema>;

/** What the router needs: the task, the candidates, the request's size, what was learned. */
export interface RouteInput {
  task: TaskType;
  candidates: readonly ModelInfo[];
  promptTokens: number;
  expectedOutputTokens: number;
  stats: ReadonlyMap<string, TaskStats>;
  /** The same models' statistics over every task kind of this difficulty: the prior each task type starts from. */
  pooled?: ReadonlyMap<string, TaskStats>;
  latencies: ReadonlyMap<string, number>;
  routing: Pick<RoutingPreferences, 'weights' | 'exploration'>;
  /** Milliseconds a model still rests after repeated failures (0 when it does not). */
  coolingMs: (model: string) => number;
  /** models.default: wins ties. */
  preferred?: string;
}

/** The router's choice: the model, every candidate's score, a one-line reason, the estimate, the fallbacks. */
export interface RouteDecision {
  model: string;
  candidates: CandidateScore[];
  reason: string;
  estimatedCost: number | null;
  fallbacks: string[];
}

/** A model this many times dearer than the cheapest candidate scores 0 on cost (at least: the span widens to the candidates' range). */
const COST_SPAN_DECADES = 2;
const LATENCY_SPAN_DECADES = 1.5;

/**
 * Scores every candidate for this request — capability for the task type, the request's estimated
 * cost, the learned success rate (with an exploration bonus for what is little known), latency, and
 * how well the prompt fits the window — weighs them per preferences, and picks the best. A model
 * whose window cannot hold the prompt, that cannot call the tools the task needs, or that is
 * cooling down is not eligible (unless nothing else is).
 */
export function routeModel(input: RouteInput): RouteDecision {
  const { task, routing } = input;
  const w = routing.weights;
  const sum = w.capability + w.cost + w.performance + w.context + w.latency;
  const scored = input.candidates.map((info) => factorsOf(info, input));
  const costs = scored.flatMap((s) =>
    s.estimatedCost !== null && s.estimatedCost > 0 ? [s.estimatedCost] : [],
  );
  const cheapest = costs.length ? Math.min(...costs) : null;
  const span = costs.length
    ? Math.max(COST_SPAN_DECADES, Math.log10(Math.max(...costs) / (cheapest as number)))
    : COST_SPAN_DECADES;
  const lats = scored.flatMap((s) => (s.latencyMs !== null ? [s.latencyMs] : []));
  const fastest = lats.length ? Math.max(1, Math.min(...lats)) : null;
  const out: CandidateScore[] = scored.map((s) => {
    const cost =
      s.estimatedCost === null
        ? 0.5
        : s.estimatedCost === 0 || cheapest === null
          ? 1
          : clamp01(1 - Math.log10(s.estimatedCost / cheapest) / span);
    const latency =
      s.latencyMs === null || fastest === null
        ? 0.5
        : clamp01(1 - Math.log10(Math.max(1, s.latencyMs) / fastest) / LATENCY_SPAN_DECADES);
    // Capability is the prior: as outcomes accumulate its weight moves to the learned performance.
    const ww = weightsFor(w, s.learned.outcomes);
    const score =
      (ww.capability * s.capability +
        ww.cost * cost +
        ww.performance * s.performance +
        ww.context * s.context +
        ww.latency * latency) /
      sum;
    return {
      model: s.model,
      score: round(score),
      capability: round(s.capability),
      cost: round(cost),
      performance: round(s.performance),
      context: round(s.context),
      latency: round(latency),
      estimatedCost: s.estimatedCost,
      learned: s.learned,
      ...(s.excluded ? { excluded: s.excluded } : {}),
    };
  });
  out.sort(
    (a, b) =>
      Number(Boolean(a.excluded)) - Number(Boolean(b.excluded)) ||
      b.score - a.score ||
      Number(b.model === input.preferred) - Number(a.model === input.preferred) ||
      (a.estimatedCost ?? Number.POSITIVE_INFINITY) - (b.estimatedCost ?? Number.POSITIVE_INFINITY),
  );
  const best = out[0];
  if (!best)
    return { model: '', candidates: [], reason: 'No candidate models.', estimatedCost: null, fallbacks: [] };
  const eligible = out.filter((c) => !c.excluded);
  return {
    model: best.model,
    candidates: out,
    reason: reasonLine(task, best, eligible[1] ?? null, w, sum),
    estimatedCost: best.estimatedCost,
    fallbacks: eligible.slice(1, 4).map((c) => c.model),
  };
}

function factorsOf(info: ModelInfo, input: RouteInput) {
  const expected = Math.min(input.expectedOutputTokens, info.maxOutput ?? input.expectedOutputTokens);
  const needed = input.promptTokens + expected;
  const capability = capabilityFor(info, input.task);
  const learned = input.stats.get(info.id);
  // Hierarchical: what the model did on other kinds of tasks this hard moves its prior first.
  const prior = posterior(capability, input.pooled?.get(info.id)).mean;
  const post = posterior(prior, learned);
  const performance = clamp01(post.mean + input.routing.exploration * post.sd);
  const window = info.contextWindow;
  const context = window === null ? 0.7 : needed > window ? 0 : clamp01(1 - (needed / window) ** 2);
  const cooling = input.coolingMs(info.id);
  const excluded =
    window !== null && needed > window
      ? `the prompt (${input.promptTokens} tokens) and answer do not fit its ${window}-token window`
      : capability === 0
        ? 'it cannot call tools, which this task needs'
        : cooling > 0
          ? `it is cooling down for ${Math.ceil(cooling / 1000)} s after repeated failures`
          : undefined;
  const rate =
    learned && learned.successes + learned.failures > 0
      ? learned.successes / (learned.successes + learned.failures)
      : 0;
  return {
    model: info.id,
    capability,
    performance,
    context,
    estimatedCost: costOf(info, { inputTokens: input.promptTokens, outputTokens: expected }),
    latencyMs: input.latencies.get(info.id) ?? info.latencyMs,
    learned: { rate: round(rate), outcomes: learned ? round(learned.successes + learned.failures) : 0 },
    excluded,
  };
}

/** "fix_bug, complexity 7 (hard): a over b (+0.21 capability, −0.05 cost), est. $0.0150". */
function reasonLine(
  task: TaskType,
  best: CandidateScore,
  next: CandidateScore | null,
  w: RoutingPreferences['weights'],
  sum: number,
): string {
  const what = `${task.kind === 'chat' ? 'chat' : task.kind}, complexity ${task.complexity} (${task.difficulty})`;
  const est = best.estimatedCost === null ? 'price unknown' : `est. $${best.estimatedCost.toFixed(4)}`;
  if (best.excluded) return `${what}: ${best.model}, though ${best.excluded} (no other candidate), ${est}`;
  if (!next) return `${what}: ${best.model}, the only eligible candidate, ${est}`;
  const factors = (['capability', 'cost', 'performance', 'context', 'latency'] as const)
    .map((f) => {
      const wb = weightsFor(w, best.learned.outcomes)[f];
      const wn = weightsFor(w, next.learned.outcomes)[f];
      return { f, d: (wb * best[f] - wn * next[f]) / sum };
    })
    .filter((x) => Math.abs(x.d) >= 0.005)
    .sort((a, b) => Math.abs(b.d) - Math.abs(a.d))
    .slice(0, 2)
    .map(({ f, d }) => `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(2)} ${f}`);
  return `${what}: ${best.model} over ${next.model}${factors.length ? ` (${factors.join(', ')})` : ''}, ${est}`;
}

/** Prior pseudo-outcomes: after this many outcomes, capability and learned performance weigh alike. */
const PRIOR_OUTCOMES = 8;

/** The weights for a candidate with `outcomes` learned: capability's weight shifts to performance. */
export function weightsFor(
  w: RoutingPreferences['weights'],
  outcomes: number,
): RoutingPreferences['weights'] {
  const moved = w.capability * (outcomes / (outcomes + PRIOR_OUTCOMES));
  return { ...w, capability: w.capability - moved, performance: w.performance + moved };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round = (x: number) => Math.round(x * 1000) / 1000;
