import { z } from 'zod';

/** One entry of a project's security rules that loosens the built-in rules, said in words. */
export const LooseningRuleSchema = z.object({
  /** Where it is in the file: `commands[0]`, `paths[2]`, `tools.delete_file`, `defaults.default:git-push`, `writable_outside[0]`. */
  entry: z.string(),
  /** The rule id decisions carry when it decides (`user:commands[0]`, ...). */
  rule: z.string(),
  /** One sentence: what it lets through that the built-in rules ask about or deny. */
  words: z.string(),
});
/** One loosening entry. */
export type LooseningRule = z.infer<typeof LooseningRuleSchema>;

/**
 * Whether a project's own security rules apply in full:
 * - `absent`: there is no rules file, the built-in rules apply;
 * - `trusted`: the user trusted this exact file (by its SHA-256), every entry applies;
 * - `untrusted`: not trusted (never, or edited since). Entries that tighten apply; entries that
 *   loosen are ignored, and every decision is at least as strict as the built-in rules alone.
 */
export const RulesTrustStateSchema = z.enum(['absent', 'trusted', 'untrusted']);
/** How far a project's rules apply. */
export type RulesTrustState = z.infer<typeof RulesTrustStateSchema>;

/** The trust status of a project's rules file, as `ralex trust`, doctor and `GET /api/trust` report it. */
export const RulesTrustSchema = z.object({
  /** The rules file, relative to the project root. */
  file: z.string(),
  state: RulesTrustStateSchema,
  /** SHA-256 of the file's bytes; null when there is no file. */
  sha256: z.string().nullable(),
  /** Entries that loosen the built-in rules (ignored while untrusted). */
  loosening: z.array(LooseningRuleSchema),
  /** One or two sentences for people. */
  message: z.string(),
});
/** The trust status of a project's rules file. */
export type RulesTrust = z.infer<typeof RulesTrustSchema>;
