import { z } from 'zod';
import { DecisionKindSchema, type PolicyDecision } from './decision.js';

/**
 * The shape of `.ralex/config/security_rules.yaml`.
 *
 * Precedence (the same text is in docs/policy.md):
 * 1. Hard limits always apply and no rule relaxes them: a path outside the project is never
 *    written (unless listed in `writable_outside`), `.git` internals and `.ralex/` (state, config,
 *    these rules, memory) are never written, secrets are never written, and a command the parser
 *    cannot fully understand is at least `ask`.
 * 2. For each simple command found in a shell line, the LAST matching entry of `commands` decides;
 *    if none matches, the strictest matching default rule decides; if none matches either, a
 *    known developer program is allowed and anything else gets `unknown_commands` (default `ask`).
 * 3. For a path, the LAST matching entry of `paths` (for that access) decides; otherwise the
 *    defaults (secrets are read only after approval) and the tool's baseline in `tools` apply.
 * 4. Detectors (download-and-execute, secrets piped to the network, destructive targets, ...)
 *    add their own decisions; `defaults` can change the decision of any default rule or detector
 *    by its id (e.g. `default:network: allow`), never of a hard limit.
 * 5. The final decision is the strictest of everything that applied: deny > ask > allow.
 */

/** Tools the agent can call; the contract in docs/architecture. */
export const AGENT_TOOLS = [
  'read_file',
  'list_directory',
  'search_files',
  'write_file',
  'edit_file',
  'delete_file',
  'run_command',
] as const;

/** A user rule for shell commands: a token pattern (`git push`, `npm {install,i}`) or a regex. */
export const CommandRuleSchema = z
  .object({
    /** Token pattern: program glob, then positional words as a prefix, flags anywhere. */
    match: z.string().min(1).optional(),
    /** A JavaScript regular expression tested against the simple command's words joined by spaces. */
    regex: z.string().min(1).optional(),
    decision: DecisionKindSchema,
    reason: z.string().optional(),
  })
  .strict()
  .refine((r) => (r.match === undefined) !== (r.regex === undefined), {
    message: 'give exactly one of "match" or "regex"',
  })
  .refine(
    (r) => {
      if (r.regex === undefined) return true;
      try {
        new RegExp(r.regex);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'is not a valid regular expression', path: ['regex'] },
  );
/** A user rule for shell commands. */
export type CommandRule = z.infer<typeof CommandRuleSchema>;

/** A user rule for paths: a picomatch glob relative to the project root. */
export const PathRuleSchema = z
  .object({
    glob: z.string().min(1),
    /** Which access the rule is about; `any` covers both. */
    access: z.enum(['read', 'write', 'any']).default('any'),
    decision: DecisionKindSchema,
    reason: z.string().optional(),
  })
  .strict();
/** A user rule for paths. */
export type PathRule = z.infer<typeof PathRuleSchema>;

/** The whole file. Every key is optional; an empty file means "defaults only". */
export const SecurityRulesSchema = z
  .object({
    version: z.literal(1).default(1),
    /** Baseline decision per tool, applied on top of path and command checks. */
    tools: z.record(z.string(), DecisionKindSchema).default({}),
    commands: z.array(CommandRuleSchema).default([]),
    paths: z.array(PathRuleSchema).default([]),
    /** Change the decision of a default rule or detector by id, e.g. `default:git-push: allow`. */
    defaults: z
      .record(
        z.string().regex(/^default:[a-z0-9-]+$/, 'must be a default rule id like "default:git-push"'),
        DecisionKindSchema,
      )
      .default({}),
    /** Decision for programs Ralex does not know. */
    unknown_commands: z.enum(['ask', 'deny']).default('ask'),
    /** Absolute globs outside the project that commands may write (e.g. `/tmp/**`). */
    writable_outside: z.array(z.string().startsWith('/', 'must be an absolute glob')).default([]),
  })
  .strict();
/** Validated security rules, with defaults filled in. */
export type SecurityRules = z.infer<typeof SecurityRulesSchema>;

/** Rules with nothing configured: defaults only. */
export function emptySecurityRules(): SecurityRules {
  return SecurityRulesSchema.parse({});
}

/** Applies the user's `defaults` override to a decision made by a default rule (ids `default:*`). */
export function withOverride(d: PolicyDecision, rules: SecurityRules): PolicyDecision {
  const kind = d.rule.startsWith('default:') ? rules.defaults[d.rule] : undefined;
  if (kind === undefined || kind === d.decision) return d;
  return { ...d, decision: kind, reason: `${d.reason} (set to ${kind} by the project's security rules)` };
}
