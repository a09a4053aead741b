import type { Intent } from '../../command/parsed-command.js';
import { INTENT_RULES, type IntentRule } from './intent-rules.js';

/** The intent of a request, its arguments, and the rule that decided (for logs and tests). */
export interface IntentDecision {
  intent: Intent;
  args: Record<string, string>;
  /** Index of the deciding rule in `INTENT_RULES`, or -1 for the default. */
  rule: number;
}

/** The text rules are matched against: lowercase, , ; : ! and trailing full stops dropped, "?" kept as a word. */
export function intentText(request: string): string {
  return request
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[,;:!"“”`]+/g, ' ')
    .replace(/\?/g, ' ? ')
    .replace(/\.+(\s|$)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Classifies a cleaned request (fillers, trigger and false starts already removed) by the first
 * matching rule of `rules` (default `INTENT_RULES`); with no match, a `question`.
 */
export function classifyIntent(
  request: string,
  context: { hasFile: boolean },
  rules: readonly IntentRule[] = INTENT_RULES,
): IntentDecision {
  const text = intentText(request);
  const plain = request.trim().replace(/[.!]+$/, '');
  for (const [index, rule] of rules.entries()) {
    if (rule.needsFile && !context.hasFile) continue;
    const match = rule.pattern.exec(text);
    if (match) return { intent: rule.intent, args: rule.args ? rule.args(match, plain) : {}, rule: index };
  }
  return { intent: 'question', args: {}, rule: -1 };
}
