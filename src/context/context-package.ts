import { z } from 'zod';

/**
 * What the context stage hands to the prompt: items in rank order, each with what it is, where
 * it comes from, its size in tokens, its score and why it was chosen; plus what was left out.
 */

/** The kinds of context item, in roughly the order a prompt carries them. */
export const ContextItemKindSchema = z.enum([
  'standards',
  'instructions',
  'memory',
  'session',
  'diff',
  'tests',
  'file',
  'snippet',
  'map',
  'docs',
]);
/** One kind of context item. */
export type ContextItemKind = z.infer<typeof ContextItemKindSchema>;

/** One piece of context with where it came from, its size, its score and the reasons for it. */
export const ContextItemSchema = z.object({
  kind: ContextItemKindSchema,
  /** Where it came from: a project path, `path:12-40` for a snippet, a session id, `git diff`. */
  ref: z.string(),
  /** The project-relative path, for code (file, snippet). */
  path: z.string().optional(),
  /** Lines of `path` the item carries (1-based, inclusive), when it is a part of a file. */
  lines: z.tuple([z.number().int(), z.number().int()]).optional(),
  content: z.string(),
  /** Size with the tokenizer (o200k_base), or an estimate when marked so in `reasons`. */
  tokens: z.number().int(),
  /** Relevance, higher first; items of one package are comparable, packages are not. */
  score: z.number(),
  /** Why it was chosen, e.g. "named in the command", "defines `LRUCache`", "BM25 match: evict, cache". */
  reasons: z.array(z.string()),
});
/** One piece of context. */
export type ContextItem = z.infer<typeof ContextItemSchema>;

/** A candidate that did not fit, and why. */
export const OmittedItemSchema = z.object({
  kind: ContextItemKindSchema,
  ref: z.string(),
  tokens: z.number().int(),
  score: z.number(),
  reason: z.string(),
});
/** A candidate left out of the package. */
export type OmittedItem = z.infer<typeof OmittedItemSchema>;

/** The context stage's output: what goes with the request, within a token budget. */
export const ContextPackageSchema = z.object({
  items: z.array(ContextItemSchema),
  tokens: z.number().int(),
  budget: z.number().int(),
  /** Candidates left out (budget spent, below the cut), best first, at most a few dozen. */
  omitted: z.array(OmittedItemSchema),
  /** Figures about how it was made: index state and time per step, in ms. */
  stats: z
    .object({
      files: z.number().int(),
      indexed: z.number().int(),
      updatedFiles: z.number().int(),
      rebuilt: z.boolean(),
      timings: z.record(z.string(), z.number()),
      notes: z.array(z.string()),
    })
    .optional(),
});
/** The context package. */
export type ContextPackage = z.infer<typeof ContextPackageSchema>;
