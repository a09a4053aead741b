import { type Intent, isDirectIntent } from '../../command/parsed-command.js';

/** Starting complexity of each model intent (direct intents are 1). */
export const INTENT_BASE_COMPLEXITY: Readonly<Record<Intent, number>> = {
  run_tests: 1,
  what_changed: 1,
  show_file: 1,
  list_files: 1,
  commit: 1,
  undo: 1,
  redo: 1,
  push: 1,
  cancel: 1,
  confirm: 1,
  deny: 1,
  repeat: 1,
  status: 1,
  question: 2,
  explain: 2,
  review: 3,
  test: 4,
  fix_bug: 4,
  implement: 5,
  workflow: 5,
  refactor: 6,
};

/** Words that widen the scope of a change: +2 once. */
const SCOPE =
  /\b(?:all|entire|whole|every|everything|everywhere|across|codebase|project-wide|throughout|globally)\b/;
/** Words for risky areas: +1 each, at most +2. */
const RISK =
  /\b(?:database|db|migrations?|auth|authentication|authori[sz]ation|security|secrets?|passwords?|encryption|crypto|payments?|billing|concurrency|threads?|race|schema|deploy(?:ment)?|production|refactor(?:ing)?|permissions?)\b/g;

/**
 * Complexity 1 (trivial) to 10 (large, risky) from the intent, how many files are named,
 * scope words ("all", "entire", "across"), risk words ("database", "auth", "migration") and length.
 * Direct intents are always 1: they run without a model.
 */
export function estimateComplexity(input: { intent: Intent; request: string; fileCount: number }): number {
  if (isDirectIntent(input.intent)) return 1;
  const text = input.request.toLowerCase();
  let score = INTENT_BASE_COMPLEXITY[input.intent];
  if (input.fileCount >= 2) score += 1;
  if (input.fileCount >= 4) score += 1;
  if (SCOPE.test(text)) score += 2;
  score += Math.min(2, new Set(text.match(RISK) ?? []).size);
  const words = text.split(/\s+/).filter(Boolean).length;
  if (words > 25) score += 1;
  if (words > 60) score += 1;
  return Math.max(1, Math.min(10, score));
}
