import { z } from 'zod';

/** The three outcomes of a policy check, from most to least permissive. */
export const DecisionKindSchema = z.enum(['allow', 'ask', 'deny']);
/** `allow`, `ask` or `deny`. */
export type DecisionKind = z.infer<typeof DecisionKindSchema>;

/** A policy decision as data: what was decided, by which rule, why, and about what. */
export const PolicyDecisionSchema = z.object({
  decision: DecisionKindSchema,
  /** Id of the rule that decided, e.g. `default:git-push`, `user:3`, `hard:outside-project`. */
  rule: z.string(),
  /** One sentence a person understands. */
  reason: z.string(),
  /** What the decision is about: a command, a path, a tool call. */
  subject: z.string().optional(),
  /**
   * Set when the project's rules file would decide this less strictly but is not trusted yet:
   * the rule of that file that would have decided, and its decision (see `ralex trust`).
   */
  untrusted: z.object({ rule: z.string(), decision: DecisionKindSchema }).optional(),
});
/** A policy decision as data. */
export type PolicyDecision = z.infer<typeof PolicyDecisionSchema>;

const RANK: Record<DecisionKind, number> = { allow: 0, ask: 1, deny: 2 };

/** Orders decision kinds by strictness: deny > ask > allow. */
export function decisionRank(kind: DecisionKind): number {
  return RANK[kind];
}

/** Builds a decision value. */
export function decide(
  decision: DecisionKind,
  rule: string,
  reason: string,
  subject?: string,
): PolicyDecision {
  return subject === undefined ? { decision, rule, reason } : { decision, rule, reason, subject };
}

/**
 * The strictest of several decisions (deny > ask > allow); on a tie the first one wins,
 * so callers list the most specific decision first. With none given, `fallback` is returned.
 */
export function strictest(decisions: readonly PolicyDecision[], fallback?: PolicyDecision): PolicyDecision {
  let best: PolicyDecision | undefined;
  for (const d of decisions) {
    if (best === undefined || RANK[d.decision] > RANK[best.decision]) best = d;
  }
  if (best) return best;
  if (fallback) return fallback;
  return decide('ask', 'hard:no-decision', 'Nothing decided this action, so it needs approval.');
}
