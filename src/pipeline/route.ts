import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { ModelMessage } from 'ai';
import type { CommandRun } from '../command/command-run.js';
import type { EnhancedPrompt, ModelSelection } from '../command/model-plan.js';
import type { ParsedCommand } from '../command/parsed-command.js';
import { countByParagraphs } from '../context/pack/tokenizer.js';
import type { EventBody } from '../events/events.js';
import { chooseModel } from '../models/choose-model.js';
import { type ModelHop, meteredModel } from '../models/metered-model.js';
import { taskTypeOf } from '../models/task-type.js';
import type { Runtime } from '../runtime.js';
import { tokenCountersFor } from './context.js';

/**
 * The route stage: counts the prompt's tokens, asks the router (src/models/choose-model.ts) for
 * the model — the one the command names, or with routing off the default, or the best scored
 * candidate — and wraps it in the meter so every call is budgeted, recorded and can fall back.
 */
export async function selectModel(
  rt: Runtime,
  request: { parsed: ParsedCommand; prompt: EnhancedPrompt; run: CommandRun; explicit?: string },
): Promise<ModelSelection> {
  // Paragraph by paragraph through the runtime's remembering counter: an estimate for the choice
  // and the reservations (each call is settled with the provider's own count).
  const count = countByParagraphs((await tokenCountersFor(rt)).estimate);
  const promptTokens = count(`${request.prompt.system}\n${messagesText(request.prompt.messages)}`);
  const choice = await chooseModel(
    {
      task: taskTypeOf(request.parsed.intent, request.parsed.complexity),
      promptTokens,
      explicit: request.explicit,
    },
    { registry: rt.registry, models: rt.models, preferences: rt.config.preferences },
  );
  const prefs = rt.config.preferences;
  const external: ModelHop[] = [];
  const metered = meteredModel({
    candidates: [choice.model, ...choice.fallbacks].map((info) => ({
      info,
      load: async () => {
        const target = rt.registry.resolve(info.id);
        if (!target) throw new Error(`No provider for ${info.id}`);
        return (await target.provider.languageModel(target.model)) as LanguageModelV3;
      },
    })),
    meter: rt.models.meter,
    health: rt.models.health,
    routing: prefs.routing,
    scope: {
      path: prefs.engine.type === 'opencode' ? 'opencode' : 'agent',
      commandId: request.run.id,
      sessionId: request.run.sessionId,
    },
    countTokens: count,
    onHop: (hop) => request.run.emit({ type: 'model.fallback', ...hop }),
  });
  return {
    model: choice.model.id,
    languageModel: metered.model,
    reasoning: choice.reason,
    estimatedCost: choice.estimatedCost,
    fallbacks: choice.fallbacks.map((f) => f.id),
    mode: choice.mode,
    task: choice.task.key,
    candidates: choice.candidates,
    promptTokens,
    expectedOutputTokens: choice.expectedOutputTokens,
    report() {
      const r = metered.report();
      if (!external.length) return r;
      // A move to another model on the loopback path: that model answered from then on.
      const moved = external.findLast((h) => h.action === 'next' && h.next !== null);
      return { ...r, model: moved?.next ?? r.model, hops: [...r.hops, ...external] };
    },
    noteHop: (hop) => external.push(hop),
  };
}

/** The `model.selected` event of a selection. */
export function modelSelectedEvent(s: ModelSelection): EventBody {
  return {
    type: 'model.selected',
    model: s.model,
    reasoning: s.reasoning,
    estimatedCost: s.estimatedCost,
    fallbacks: s.fallbacks,
    mode: s.mode,
    task: s.task,
    candidates: s.candidates.slice(0, 10),
    promptTokens: s.promptTokens,
    expectedOutputTokens: s.expectedOutputTokens,
  };
}

function messagesText(messages: readonly ModelMessage[]): string {
  return messages
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');
}
