import { z } from 'zod';
import type { ModelOverride, ModelsPreferences } from '../config/models-schema.js';
import type { CatalogEntry, ModelCatalog } from './model-catalog.js';

/** Where a model's prices came from. */
export const PriceSourceSchema = z.enum(['catalog', 'preferences', 'local', 'default', 'unknown']);

/** What Ralex knows of one model: window, output limit, prices, capabilities, and where from. */
export const ModelInfoSchema = z.object({
  /** `provider:model`. */
  id: z.string(),
  provider: z.string(),
  model: z.string(),
  contextWindow: z.number().nullable(),
  maxOutput: z.number().nullable(),
  /** USD per million tokens; null while unknown. */
  prices: z.object({
    input: z.number().nullable(),
    output: z.number().nullable(),
    cachedInput: z.number().nullable(),
  }),
  priceSource: PriceSourceSchema,
  /** Tools: null when nobody says (then the model is tried for agent work, rated lower). */
  tools: z.boolean().nullable(),
  vision: z.boolean().nullable(),
  reasoning: z.boolean().nullable(),
  /** The catalog entry matched, `provider/model`, or null. */
  catalog: z.string().nullable(),
  capability: z.record(z.string(), z.number()),
  latencyMs: z.number().nullable(),
});
/** What Ralex knows of one model. */
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

/** Providers that run on the user's own machine: their tokens cost nothing. */
const LOCAL_PROVIDERS = new Set(['ollama', 'lmstudio']);

/** Combines the catalog's entry and the preferences' overrides for one `provider:model`. */
export function describeModel(
  id: string,
  catalog: ModelCatalog | null,
  prefs: Pick<ModelsPreferences, 'overrides' | 'unknown_price'>,
): ModelInfo {
  const at = id.indexOf(':');
  const provider = id.slice(0, at);
  const model = id.slice(at + 1);
  const entry: CatalogEntry | null = catalog?.lookup(provider, model) ?? null;
  const o: ModelOverride = prefs.overrides[id] ?? {};
  const priced = o.input !== undefined || o.output !== undefined;
  const local = LOCAL_PROVIDERS.has(provider);
  let prices = {
    input: entry?.input ?? null,
    output: entry?.output ?? null,
    cachedInput: entry?.cachedInput ?? null,
  };
  let priceSource: ModelInfo['priceSource'] =
    prices.input !== null && prices.output !== null ? 'catalog' : 'unknown';
  if (priced) {
    prices = {
      input: o.input ?? prices.input ?? 0,
      output: o.output ?? prices.output ?? 0,
      cachedInput: o.cached_input ?? prices.cachedInput,
    };
    priceSource = 'preferences';
  } else if (local) {
    prices = { input: 0, output: 0, cachedInput: 0 };
    priceSource = 'local';
  } else if (priceSource === 'unknown' && prefs.unknown_price) {
    prices = { input: prefs.unknown_price.input, output: prefs.unknown_price.output, cachedInput: null };
    priceSource = 'default';
  }
  if (o.cached_input !== undefined) prices.cachedInput = o.cached_input;
  return {
    id,
    provider,
    model,
    contextWindow: o.context_window ?? entry?.contextWindow ?? null,
    maxOutput: o.max_output ?? entry?.maxOutput ?? null,
    prices,
    priceSource,
    tools: o.tools ?? (entry ? entry.tools : null),
    vision: o.vision ?? (entry ? entry.vision : null),
    reasoning: o.reasoning ?? (entry ? entry.reasoning : null),
    catalog: entry ? `${entry.provider}/${entry.model}` : null,
    capability: { ...(o.capability ?? {}) },
    latencyMs: o.latency_ms ?? null,
  };
}

/** Tokens of one model call, as a provider reports them. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the provider's prompt cache (part of inputTokens). */
  cachedInputTokens?: number;
}

/** The cost in USD of `usage` at the model's prices; null when a price is unknown. */
export function costOf(info: Pick<ModelInfo, 'prices'>, usage: TokenUsage): number | null {
  const { input, output, cachedInput } = info.prices;
  if (input === null || output === null) return null;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const cachedPrice = cachedInput ?? input;
  return ((usage.inputTokens - cached) * input + cached * cachedPrice + usage.outputTokens * output) / 1e6;
}

/** True for ids that name no chat model (embeddings, speech, images, moderation). */
export function isChatModelId(model: string): boolean {
  return !/(embed|whisper|tts|dall-e|moderation|transcribe|image|audio|realtime|search-preview|rerank)/i.test(
    model,
  );
}
