import { z } from 'zod';

/**
 * The `models`, `routing` and `budgets` sections of preferences.yaml: which models, how Ralex
 * picks among them, and what they may cost. Prices are US dollars per million tokens; budgets are
 * US dollars. A wrong value stops start-up with the file, the key and the fix.
 */

const MODEL_ID = /^[^:\s]+:\S+$/;
const modelId = () => z.string().regex(MODEL_ID, 'use "provider:model", e.g. "openai:gpt-4o-mini"');

const dollars = (what: string) =>
  z
    .number({ error: `${what}: a number of US dollars, e.g. 5 or 0.25 (no "$" sign, no quotes)` })
    .finite()
    .positive(`${what} must be more than 0 (remove the key for no limit)`);

const perMillion = (what: string) =>
  z
    .number({ error: `${what}: US dollars per million tokens, e.g. 0.15 (no "$" sign, no quotes)` })
    .finite()
    .min(0, `${what} cannot be negative (0 means free)`);

const rating = z
  .number({ error: 'a rating from 0 (cannot do it) to 1 (does it best)' })
  .min(0, 'a rating from 0 to 1')
  .max(1, 'a rating from 0 to 1');

/** Task types a capability rating can name: an intent, or `chat` for plain chats. */
export const TASK_KINDS = [
  'fix_bug',
  'implement',
  'refactor',
  'test',
  'explain',
  'review',
  'question',
  'chat',
] as const;

/** What preferences say of one model, over the catalog: prices, window, capabilities. */
export const ModelOverrideSchema = z
  .object({
    input: perMillion('input').optional(),
    output: perMillion('output').optional(),
    cached_input: perMillion('cached_input').optional(),
    context_window: z.number().int().min(256, 'a context window in tokens, e.g. 128000').optional(),
    max_output: z.number().int().min(16, 'the most output tokens, e.g. 16384').optional(),
    tools: z.boolean().optional(),
    vision: z.boolean().optional(),
    reasoning: z.boolean().optional(),
    /** How able the model is per task type (0–1); the router starts from these, learning corrects them. */
    capability: z.partialRecord(z.enum(TASK_KINDS), rating).optional(),
    /** Typical time to the first token, in milliseconds (for the latency weight). */
    latency_ms: z.number().int().min(0).optional(),
  })
  .strict();

const modelTable = z.record(modelId(), ModelOverrideSchema);

/** The `models` section. */
export const ModelsSchema = z
  .object({
    /** `provider:model`. With routing off it is the model; with routing on it is one of the candidates. */
    default: modelId().optional(),
    /** Models tried in order when the chosen one fails (429, 5xx, timeouts). */
    fallbacks: z.array(modelId()).default([]),
    /** Per-model prices, windows and capabilities over the catalog's (or for models it does not know). */
    overrides: modelTable.default({}),
    /** Price of models the catalog does not know; unset, their cost is unknown and said so. */
    unknown_price: z
      .object({ input: perMillion('input'), output: perMillion('output') })
      .strict()
      .optional(),
  })
  .strict();

const weight = (name: string) =>
  z
    .number({ error: `${name}: a weight from 0 to 1, e.g. 0.3` })
    .min(0, `${name}: a weight from 0 to 1`)
    .max(1, `${name}: a weight from 0 to 1`);

/** The `routing` section: how the route stage picks a model. */
export const RoutingSchema = z
  .object({
    /** auto: score the candidates; off: always models.default (or the first listed model). */
    mode: z.enum(['auto', 'off']).default('auto'),
    /** The models to choose among; empty: models.default and fallbacks, or else every listed chat model. */
    candidates: z.array(modelId()).default([]),
    /** How the factors weigh (normalised to sum 1). */
    weights: z
      .object({
        capability: weight('capability').default(0.4),
        cost: weight('cost').default(0.2),
        performance: weight('performance').default(0.3),
        context: weight('context').default(0.1),
        latency: weight('latency').default(0),
      })
      .strict()
      .refine((w) => Object.values(w).some((v) => v > 0), {
        error:
          'at least one weight must be more than 0 (the defaults: capability 0.4, cost 0.2, performance 0.3, context 0.1)',
      })
      .default({ capability: 0.4, cost: 0.2, performance: 0.3, context: 0.1, latency: 0 }),
    /** How much the router favours models it knows little about (0: never explores). */
    exploration: z.number().min(0).max(2).default(0.5),
    /** Output tokens expected of a request that does not say (for estimates and budget reservations). */
    expected_output_tokens: z.number().int().min(1).default(1024),
    /** Tries per model on 429/5xx/timeouts before the next candidate (waiting as `retry-after` says). */
    retries: z.number().int().min(0).max(5).default(1),
    /** Longest wait for a retry; a longer `retry-after` moves on to the next candidate. */
    max_retry_wait_ms: z.number().int().min(0).max(120_000).default(10_000),
    /** A model failing this many times in a row rests for `cooldown_ms`. */
    cooldown_after: z.number().int().min(1).default(3),
    cooldown_ms: z.number().int().min(1000).default(60_000),
  })
  .strict();

/** The `budgets` section (US dollars); a limit left out is no limit. */
export const BudgetsSchema = z
  .object({
    per_query: dollars('per_query').optional(),
    per_session: dollars('per_session').optional(),
    daily: dollars('daily').optional(),
    weekly: dollars('weekly').optional(),
    monthly: dollars('monthly').optional(),
    /** When days, weeks (from Monday) and months start: local time or UTC. */
    timezone: z.enum(['local', 'utc']).default('local'),
  })
  .strict();

/** The `models` section, validated. */
export type ModelsPreferences = z.infer<typeof ModelsSchema>;
/** One model's overrides. */
export type ModelOverride = z.infer<typeof ModelOverrideSchema>;
/** The `routing` section, validated. */
export type RoutingPreferences = z.infer<typeof RoutingSchema>;
/** The `budgets` section, validated. */
export type BudgetPreferences = z.infer<typeof BudgetsSchema>;
/** A task kind a capability rating names. */
export type TaskKind = (typeof TASK_KINDS)[number];
