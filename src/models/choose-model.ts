import type { Preferences } from '../config/preferences-schema.js';
import { RalexError } from '../errors.js';
import { isChatModelId, type ModelInfo } from './model-info.js';
import { type ModelRegistry, noModelError } from './model-registry.js';
import type { ModelServices } from './model-services.js';
import { type CandidateScore, type RouteDecision, routeModel } from './route-model.js';
import type { TaskType } from './task-type.js';

/** What the router is asked: the task, the prompt's size, and a model the request names, if any. */
export interface ChooseRequest {
  task: TaskType;
  promptTokens: number;
  /** Output expected; default `routing.expected_output_tokens`. */
  expectedOutputTokens?: number;
  /** A `provider:model` the request names: it wins over everything. */
  explicit?: string;
}

/** The choice: the model and the order to fall back in, how it was chosen, and why. */
export interface ModelChoice {
  model: ModelInfo;
  /** Models to try, in order, when the chosen one keeps failing (none for a model the request named). */
  fallbacks: ModelInfo[];
  mode: 'routed' | 'explicit';
  reason: string;
  estimatedCost: number | null;
  candidates: CandidateScore[];
  task: TaskType;
  promptTokens: number;
  expectedOutputTokens: number;
}

/**
 * Picks the model for a request. Explicit choices win, in this order: a `provider:model` the
 * request names; with `routing.mode: off`, `models.default` (or the first model a provider
 * lists). Otherwise the router scores the candidates — `routing.candidates`, else
 * `models.default` and `models.fallbacks`, else every chat model the providers list — and the
 * configured fallbacks follow its own.
 */
export async function chooseModel(
  request: ChooseRequest,
  deps: {
    registry: ModelRegistry;
    models: ModelServices;
    preferences: Pick<Preferences, 'models' | 'routing'>;
  },
): Promise<ModelChoice> {
  const { registry, models, preferences } = deps;
  const { routing } = preferences;
  await Promise.all([registry.ready(), models.ready()]);
  if (!registry.providers.length) throw noModelError();
  const expectedOutputTokens = request.expectedOutputTokens ?? routing.expected_output_tokens;
  const base = {
    task: request.task,
    promptTokens: request.promptTokens,
    expectedOutputTokens,
    candidates: [],
  };
  const usable = (id: string) => (registry.resolve(id) ? [models.describe(id)] : []);
  const configuredFallbacks = preferences.models.fallbacks.flatMap(usable);
  const estimate = (info: ModelInfo) =>
    routeModel({ ...scoringInput(request, [info], deps), expectedOutputTokens }).estimatedCost;

  if (request.explicit) {
    requireResolvable(registry, request.explicit, 'the request');
    const info = models.describe(request.explicit);
    return {
      ...base,
      model: info,
      fallbacks: [],
      mode: 'explicit',
      reason: `${request.explicit}, as the request names it.`,
      estimatedCost: estimate(info),
    };
  }
  const preferred = preferences.models.default;
  if (preferred) requireResolvable(registry, preferred, 'models.default');
  if (routing.mode === 'off') {
    const info = preferred ? models.describe(preferred) : await firstListed(registry, models);
    const reason = preferred
      ? 'The default model from preferences.yaml (routing is off).'
      : `No default model is configured, so Ralex used the first model ${info.provider} lists (${info.model}). Set models.default in .ralex/config/preferences.yaml to choose.`;
    return {
      ...base,
      model: info,
      fallbacks: configuredFallbacks.filter((f) => f.id !== info.id),
      mode: 'explicit',
      reason,
      estimatedCost: estimate(info),
    };
  }

  let ids = routing.candidates.length
    ? routing.candidates
    : preferred || preferences.models.fallbacks.length
      ? [...(preferred ? [preferred] : []), ...preferences.models.fallbacks]
      : (await registry.list()).map((m) => m.id).filter((id) => isChatModelId(id.slice(id.indexOf(':') + 1)));
  ids = [...new Set(ids)].filter((id) => registry.resolve(id));
  if (!ids.length) {
    const info = await firstListed(registry, models);
    ids = [info.id];
  }
  const infos = ids.map((id) => models.describe(id));
  const decision: RouteDecision = routeModel({ ...scoringInput(request, infos, deps), expectedOutputTokens });
  const chosen = models.describe(decision.model);
  const fallbacks = [...decision.fallbacks.map((id) => models.describe(id)), ...configuredFallbacks].filter(
    (f, i, all) => f.id !== chosen.id && all.findIndex((g) => g.id === f.id) === i,
  );
  const named =
    routing.candidates.length > 0 || preferred !== undefined || preferences.models.fallbacks.length > 0;
  // Nothing named: say how the model was found and how to choose one.
  const reason = named
    ? decision.reason
    : ids.length === 1
      ? `No default model is configured, so Ralex used the first model ${chosen.provider} lists (${chosen.model}). Set models.default in .ralex/config/preferences.yaml to choose.`
      : `No default model is configured, so Ralex chose among the ${ids.length} chat models the providers list — ${decision.reason}. Set models.default or routing.candidates in .ralex/config/preferences.yaml to choose.`;
  return {
    ...base,
    model: chosen,
    fallbacks,
    mode: 'routed',
    reason,
    estimatedCost: decision.estimatedCost,
    candidates: decision.candidates,
  };
}

function scoringInput(
  request: ChooseRequest,
  candidates: ModelInfo[],
  deps: { models: ModelServices; preferences: Pick<Preferences, 'models' | 'routing'> },
) {
  return {
    task: request.task,
    candidates,
    promptTokens: request.promptTokens,
    expectedOutputTokens: request.expectedOutputTokens ?? deps.preferences.routing.expected_output_tokens,
    stats: deps.models.stats.forTask(request.task.key),
    pooled: deps.models.stats.forDifficulty(request.task.difficulty),
    latencies: deps.models.ledger.latencies(),
    routing: deps.preferences.routing,
    coolingMs: (id: string) => deps.models.health.coolingMs(id),
    preferred: deps.preferences.models.default,
  };
}

function requireResolvable(registry: ModelRegistry, id: string, where: string): void {
  if (registry.resolve(id)) return;
  throw new RalexError(
    where === 'the request' ? 'model_not_found' : 'invalid_config',
    `${where} names "${id}", but no configured provider is called "${id.split(':')[0]}".`,
    {
      hint: `Use "provider:model" with one of: ${registry.providers.map((p) => p.id).join(', ')} — or configure that provider.`,
    },
  );
}

async function firstListed(registry: ModelRegistry, models: ModelServices): Promise<ModelInfo> {
  const first = (await registry.list()).find((m) => isChatModelId(m.model)) ?? (await registry.list())[0];
  if (!first) {
    const errors = registry
      .status()
      .map((s) => `${s.id}: ${s.error ?? `${s.models} models`}`)
      .join('; ');
    throw new RalexError('no_model_configured', `No configured provider lists any model (${errors}).`, {
      hint: 'Check the provider is reachable and its key is valid, or set models.default in .ralex/config/preferences.yaml.',
    });
  }
  return models.describe(first.id);
}
