import type { LanguageModel } from 'ai';
import { RalexError } from '../errors.js';
import { noModelError } from '../models/model-registry.js';
import type { Runtime } from '../runtime.js';

/** The route stage's output: which model runs the command, why, and what to try if it fails. */
export interface ModelSelection {
  /** `provider:model`. */
  model: string;
  languageModel: LanguageModel;
  reasoning: string;
  /** Estimated cost in USD; null while prices are unknown. */
  estimatedCost: number | null;
  fallbacks: string[];
}

/**
 * The route stage: the configured default model, or — when none is configured — the first
 * model a configured provider lists, saying so. No provider at all is a clear error naming
 * every way to configure one.
 */
export async function selectModel(rt: Pick<Runtime, 'config' | 'registry'>): Promise<ModelSelection> {
  const { models } = rt.config.preferences;
  await rt.registry.ready();
  if (!rt.registry.providers.length) throw noModelError();
  const fallbacks = models.fallbacks.filter((f) => rt.registry.resolve(f));
  if (models.default) {
    const resolved = rt.registry.resolve(models.default);
    if (!resolved) {
      throw new RalexError(
        'invalid_config',
        `models.default is "${models.default}", but no configured provider is called "${models.default.split(':')[0]}".`,
        {
          hint: `Use "provider:model" with one of: ${rt.registry.providers.map((p) => p.id).join(', ')} — or configure that provider.`,
        },
      );
    }
    return {
      model: models.default,
      languageModel: await resolved.provider.languageModel(resolved.model),
      reasoning: 'The default model from preferences.yaml.',
      estimatedCost: null,
      fallbacks,
    };
  }
  const first = (await rt.registry.list())[0];
  if (!first) {
    const errors = rt.registry
      .status()
      .map((s) => `${s.id}: ${s.error ?? `${s.models} models`}`)
      .join('; ');
    throw new RalexError('no_model_configured', `No configured provider lists any model (${errors}).`, {
      hint: 'Check the provider is reachable and its key is valid, or set models.default in .ralex/config/preferences.yaml.',
    });
  }
  const resolved = rt.registry.resolve(first.id)!;
  return {
    model: first.id,
    languageModel: await resolved.provider.languageModel(resolved.model),
    reasoning: `No default model is configured, so Ralex used the first model ${first.provider} lists (${first.model}). Set models.default in .ralex/config/preferences.yaml to choose.`,
    estimatedCost: null,
    fallbacks,
  };
}
