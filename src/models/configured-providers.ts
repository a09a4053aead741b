import type { RalexConfig } from '../config/load-config.js';
import type { ListingCache } from './listing-cache.js';
import { defineProvider, type ModelProvider } from './model-provider.js';

const OLLAMA_DEFAULT = 'http://127.0.0.1:11434';

/**
 * The providers this configuration enables, in preference order: the OpenAI-compatible upstream
 * (OPENAI_BASE_URL / OPENAI_API_KEY), OpenRouter, Anthropic, Ollama, then preferences.yaml's own.
 * Ollama is included when OLLAMA_HOST is set; `discoverOllama` finds one running on localhost:11434.
 */
export function configuredProviders(config: RalexConfig): ModelProvider[] {
  const { env, preferences } = config;
  const providers: ModelProvider[] = [];
  if (env.openaiApiKey || env.openaiBaseUrl) {
    providers.push(
      defineProvider({
        id: 'openai',
        kind: 'openai-compatible',
        baseURL: env.openaiBaseUrl ?? 'https://api.openai.com/v1',
        apiKey: env.openaiApiKey,
        origin: env.openaiBaseUrl ? 'OPENAI_BASE_URL' : 'OPENAI_API_KEY',
      }),
    );
  }
  if (env.openrouterApiKey) {
    providers.push(
      defineProvider({
        id: 'openrouter',
        kind: 'openai-compatible',
        baseURL: env.openrouterBaseUrl,
        apiKey: env.openrouterApiKey,
        origin: 'OPENROUTER_API_KEY',
      }),
    );
  }
  if (env.anthropicApiKey) {
    providers.push(
      defineProvider({
        id: 'anthropic',
        kind: 'anthropic',
        baseURL: env.anthropicBaseUrl ?? 'https://api.anthropic.com/v1',
        apiKey: env.anthropicApiKey,
        origin: 'ANTHROPIC_API_KEY',
      }),
    );
  }
  if (env.ollamaHost) providers.push(ollamaProvider(env.ollamaHost, 'OLLAMA_HOST'));
  for (const p of preferences.providers) {
    providers.push(
      defineProvider({
        id: p.id,
        kind: 'openai-compatible',
        baseURL: p.base_url,
        apiKey: p.api_key_env ? process.env[p.api_key_env] : undefined,
        configuredModels: p.models,
        origin: 'preferences.yaml',
      }),
    );
  }
  return providers;
}

/**
 * Ollama running on localhost:11434 when OLLAMA_HOST is unset — asked only when models are first
 * needed, so direct commands never wait for the probe.
 */
export async function discoverOllama(config: RalexConfig, cache?: ListingCache): Promise<ModelProvider[]> {
  if (config.env.ollamaHost) return [];
  // What the last probe found, while fresh: a one-shot command does not probe again.
  const known = cache?.discovery();
  const found = known ? known.ollama : await answers(OLLAMA_DEFAULT);
  if (!known) cache?.saveDiscovery({ ollama: found });
  return found ? [ollamaProvider(OLLAMA_DEFAULT, 'localhost:11434')] : [];
}

function ollamaProvider(host: string, origin: string): ModelProvider {
  return defineProvider({
    id: 'ollama',
    kind: 'openai-compatible',
    baseURL: `${host.replace(/\/+$/, '')}/v1`,
    origin,
  });
}

/** True when an HTTP server answers at `url` within 300 ms. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(300) });
    return true;
  } catch {
    return false;
  }
}
