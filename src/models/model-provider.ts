import type { LanguageModel } from 'ai';

/** How Ralex talks to a provider: the OpenAI wire protocol (raw pass-through possible) or Anthropic's. */
export type ProviderKind = 'openai-compatible' | 'anthropic';

/** One configured model provider: a factory for AI SDK models plus a way to list what it serves. */
export interface ModelProvider {
  id: string;
  kind: ProviderKind;
  /** Base URL ending in the API version segment, e.g. `https://api.openai.com/v1`. */
  baseURL: string;
  apiKey?: string;
  /** Models offered even when listing fails (from preferences). */
  configuredModels: string[];
  /** Where the provider came from, for `ralex doctor` ("OPENAI_API_KEY", "preferences.yaml"...). */
  origin: string;
  /** The AI SDK model for an id; the provider's SDK is loaded on first use and each model built once. */
  languageModel(modelId: string): Promise<LanguageModel>;
  /** Asks the provider which models it serves. */
  listModels(signal: AbortSignal): Promise<string[]>;
}

/** What `defineProvider` needs to know. */
export interface ProviderSpec {
  id: string;
  kind: ProviderKind;
  baseURL: string;
  apiKey?: string;
  configuredModels?: string[];
  origin: string;
}

/** Creates a provider from its spec, using the AI SDK's provider factories. */
export function defineProvider(spec: ProviderSpec): ModelProvider {
  const baseURL = spec.baseURL.replace(/\/+$/, '');
  // The SDK modules are only loaded when a model is first needed: direct commands never pay for them.
  let sdk: Promise<(modelId: string) => LanguageModel> | null = null;
  const loadSdk = () => {
    sdk ??=
      spec.kind === 'anthropic'
        ? import('@ai-sdk/anthropic').then((m) => m.createAnthropic({ apiKey: spec.apiKey, baseURL }))
        : import('@ai-sdk/openai-compatible').then((m) =>
            m.createOpenAICompatible({ name: spec.id, baseURL, apiKey: spec.apiKey, includeUsage: true }),
          );
    return sdk;
  };
  const models = new Map<string, Promise<LanguageModel>>();
  return {
    id: spec.id,
    kind: spec.kind,
    baseURL,
    apiKey: spec.apiKey,
    configuredModels: spec.configuredModels ?? [],
    origin: spec.origin,
    languageModel(modelId) {
      let model = models.get(modelId);
      if (!model) {
        model = loadSdk().then((create) => create(modelId));
        models.set(modelId, model);
      }
      return model;
    },
    listModels: (signal) => fetchModelIds(spec.kind, baseURL, spec.apiKey, signal),
  };
}

/** GET {baseURL}/models in the OpenAI (or Anthropic) shape and returns the ids. */
async function fetchModelIds(
  kind: ProviderKind,
  baseURL: string,
  apiKey: string | undefined,
  signal: AbortSignal,
) {
  const headers: Record<string, string> =
    kind === 'anthropic'
      ? { 'x-api-key': apiKey ?? '', 'anthropic-version': '2023-06-01' }
      : apiKey
        ? { authorization: `Bearer ${apiKey}` }
        : {};
  const response = await fetch(`${baseURL}/models`, { headers, signal });
  if (!response.ok) throw new Error(`GET ${baseURL}/models answered ${response.status}`);
  const body = (await response.json()) as { data?: { id?: unknown }[] };
  return (body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string');
}
