import type { ModelInfo } from './model-info.js';
import type { TaskType } from './task-type.js';

/**
 * The router's prior of how able a model is for a task, before anything is learned. The catalog
 * has no quality ratings, so the prior reads what it has: price tier (across today's market a
 * steady proxy for model size), reasoning support and tool support — and how hard the task is: a
 * small model is rated nearly as able as a large one on an easy task, far less on a hard one.
 * Preferences (`models.overrides.<id>.capability`) replace it per task kind; learning corrects it.
 */

const LOW = Math.log10(0.1); // $0.10 per million output tokens: the cheapest tier
const HIGH = Math.log10(75); // $75: the most expensive tier
const STEEPNESS = 4.6;
const OFFSET = 0.29;

/** A model's general strength in [0, 1] from its price tier and reasoning support. */
export function strengthOf(info: Pick<ModelInfo, 'prices' | 'priceSource' | 'reasoning'>): number {
  const out = info.prices.output;
  let s: number;
  if (out === null || info.priceSource === 'default') s = 0.5;
  else if (info.priceSource === 'local') s = 0.3;
  else s = Math.min(1, Math.max(0, (Math.log10(Math.max(out, 0.1)) - LOW) / (HIGH - LOW)));
  if (info.reasoning) s = Math.min(1, s + 0.08);
  return s;
}

/** How hard a task is on the same scale as strength: complexity 1 → 0.05, 10 → 0.95. */
export function hardnessOf(task: Pick<TaskType, 'complexity'>): number {
  return 0.05 + ((task.complexity - 1) / 9) * 0.9;
}

/** The prior capability (0–1) of a model for a task; 0 when the task needs tools the model lacks. */
export function capabilityFor(info: ModelInfo, task: TaskType): number {
  if (task.needsTools && info.tools === false) return 0;
  const rated = info.capability[task.kind];
  let c: number;
  if (rated !== undefined) {
    // A rating is for the kind as a whole: harder tasks still pull it down a little.
    c = rated * (1 - 0.2 * Math.max(0, hardnessOf(task) - 0.5));
  } else {
    c = 1 / (1 + Math.exp(-STEEPNESS * (strengthOf(info) - hardnessOf(task) + OFFSET)));
  }
  if (task.needsTools && info.tools === null) c *= 0.85; // nobody says it can call tools
  return Math.round(c * 1000) / 1000;
}
