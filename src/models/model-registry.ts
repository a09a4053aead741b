import { RalexError } from '../errors.js';
import type { ListingCache } from './listing-cache.js';
import type { ModelProvider } from './model-provider.js';

/** A model Ralex can use, named `provider:model` (the first ":" separates; Ollama tags keep theirs). */
export interface ModelEntry {
  id: string;
  provider: string;
  model: string;
}

/** How a provider answered the last listing, for /health and `ralex doctor`. */
export interface ProviderStatus {
  id: string;
  origin: string;
  state: 'ok' | 'error' | 'unknown';
  models: number;
  error?: string;
}

/** The models of all configured providers, listed concurrently and cached. */
export interface ModelRegistry {
  /** Configured providers, plus discovered ones once `ready()` has run. */
  readonly providers: readonly ModelProvider[];
  /** Runs provider discovery (e.g. a local Ollama) once; list() and refresh() do it first. */
  ready(): Promise<void>;
  /** Lists every provider's models again (bounded by the listing timeout). */
  refresh(): Promise<ModelEntry[]>;
  /**
   * The cached list (in memory, else the on-disk `cache` when fresh); past the cache age it is
   * listed again — in the background, answering with the older list, when `background` is set.
   */
  list(): Promise<ModelEntry[]>;
  /** Splits `provider:model` and finds its provider; null when no provider has that id. */
  resolve(id: string): { provider: ModelProvider; model: string } | null;
  status(): ProviderStatus[];
}

/** Creates a registry over the given providers. */
export function createModelRegistry(
  configured: readonly ModelProvider[],
  options: {
    listTimeoutMs?: number;
    cacheMs?: number;
    discover?: () => Promise<ModelProvider[]>;
    /** Listings kept between processes. */
    cache?: ListingCache;
    /** Refresh a stale list in the background (a long-lived server) instead of waiting for it. */
    background?: boolean;
  } = {},
): ModelRegistry {
  const providers: ModelProvider[] = [...configured];
  let discovery: Promise<void> | null = null;
  const ready = () => {
    discovery ??= (options.discover?.() ?? Promise.resolve([]))
      .then((found) => {
        for (const p of found) {
          if (providers.some((q) => q.id === p.id)) continue;
          providers.push(p);
          statuses.set(p.id, { id: p.id, origin: p.origin, state: 'unknown', models: 0 });
        }
      })
      .catch(() => undefined);
    return discovery;
  };
  const listTimeoutMs = options.listTimeoutMs ?? 5_000;
  const cacheMs = options.cacheMs ?? 60_000;
  const statuses = new Map<string, ProviderStatus>(
    providers.map((p) => [p.id, { id: p.id, origin: p.origin, state: 'unknown', models: 0 }]),
  );
  let cached: { at: number; entries: ModelEntry[] } | null = null;
  let inflight: Promise<ModelEntry[]> | null = null;

  const listOne = async (p: ModelProvider): Promise<ModelEntry[]> => {
    let ids: string[];
    try {
      ids = await p.listModels(AbortSignal.timeout(listTimeoutMs));
      statuses.set(p.id, { id: p.id, origin: p.origin, state: 'ok', models: ids.length });
    } catch (error) {
      ids = [];
      statuses.set(p.id, {
        id: p.id,
        origin: p.origin,
        state: 'error',
        models: p.configuredModels.length,
        error: (error as Error).message,
      });
    }
    const all = [...new Set([...p.configuredModels, ...ids])];
    return all.map((model) => ({ id: `${p.id}:${model}`, provider: p.id, model }));
  };

  const registry: ModelRegistry = {
    providers,
    ready,
    refresh() {
      inflight ??= ready()
        .then(() => Promise.all(providers.map(listOne)))
        .then((lists) => {
          cached = { at: Date.now(), entries: lists.flat() };
          options.cache?.saveListing(providers, cached.entries, [...statuses.values()]);
          return cached.entries;
        })
        .finally(() => {
          inflight = null;
        });
      return inflight;
    },
    async list() {
      if (!cached && options.cache) {
        await ready();
        const stored = options.cache.listing(providers);
        if (stored) {
          cached = { at: stored.at, entries: stored.entries };
          for (const st of stored.statuses) if (statuses.has(st.id)) statuses.set(st.id, st);
        }
      }
      if (cached && Date.now() - cached.at < cacheMs) return cached.entries;
      if (cached && options.background) {
        void registry.refresh().catch(() => undefined);
        return cached.entries;
      }
      return registry.refresh();
    },
    resolve(id) {
      const at = id.indexOf(':');
      if (at <= 0) return null;
      const provider = providers.find((p) => p.id === id.slice(0, at));
      return provider ? { provider, model: id.slice(at + 1) } : null;
    },
    status: () => [...statuses.values()],
  };
  return registry;
}

/** The error for a command that needs a model when none is configured: names every way to add one. */
export function noModelError(): RalexError {
  return new RalexError(
    'no_model_configured',
    'This command needs a model, and no model provider is configured.',
    {
      hint:
        'Set one of: OPENAI_API_KEY (and OPENAI_BASE_URL for any OpenAI-compatible server), OPENROUTER_API_KEY, ' +
        'ANTHROPIC_API_KEY, or OLLAMA_HOST (or run Ollama on localhost:11434); or add a provider under "providers" ' +
        'in .ralex/config/preferences.yaml. Direct commands (run the tests, what changed, show a file, list files) work without one.',
    },
  );
}
