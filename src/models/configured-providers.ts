import type { RalexConfig } from '../config/load-config.js';
import { defineProvider, type ModelProvider } from './model-provider.js';

const OLLAMA_DEFAULT = 'http://127.0.0.1:11434';

/**
 * The providers this configuration enables, in preference order: the OpenAI-compatible upstream
 * (OPENAI_BASE_URL / OPENAI_API_KEY), OpenRouter, Anthropic, Ollama, then preferences.yaml's own.
 * Ollama is included when OLLAMA_HOST is set or when something answers on localhost:11434.
 */
export async function configuredProviders(config: RalexConfig, probeOllama = true): Promise<ModelProvider[]> {
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
  const ollamaHost =
    env.ollamaHost ?? (probeOllama && (await answers(OLLAMA_DEFAULT)) ? OLLAMA_DEFAULT : undefined);
  if (ollamaHost) {
    providers.push(
      defineProvider({
        id: 'ollama',
        kind: 'openai-compatible',
        baseURL: `${ollamaHost.replace(/\/+$/, '')}/v1`,
        origin: env.ollamaHost ? 'OLLAMA_HOST' : 'localhost:11434',
      }),
    );
  }
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

/** True when an HTTP server answers at `url` within 300 ms. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(300) });
    return true;
  } catch {
    return false;
  }
}
