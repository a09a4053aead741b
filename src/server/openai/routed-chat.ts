import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { FastifyReply } from 'fastify';
import { RalexError } from '../../errors.js';
import { chooseModel } from '../../models/choose-model.js';
import { type ModelHop, meteredModel } from '../../models/metered-model.js';
import type { CallPath } from '../../models/model-ledger.js';
import type { ModelProvider } from '../../models/model-provider.js';
import { onFailure, sleep } from '../../models/retry-policy.js';
import { taskTypeOf } from '../../models/task-type.js';
import type { Runtime } from '../../runtime.js';
import { chatShapes, sseWriter, wireUsage } from './chat-chunks.js';
import { type ChatRequest, promptTokensOf } from './chat-request.js';
import type { ClientTask } from './client-task.js';
import type { Presentation } from './response-rewriter.js';
import { extractJsonObject, fallbackTaskAnswer } from './task-fallback.js';
import { proxyChatCompletion } from './upstream-proxy.js';

/** The model ids Ralex answers itself. */
export const AGENT_MODEL_ID = 'ralex-agent';
/** The routed plain chat: Ralex picks the model. */
export const AUTO_MODEL_ID = 'ralex-auto';

/** How a plain chat is answered: for which client task (if any), with which closing note, for whom. */
export interface RoutedChatOptions {
  task?: ClientTask | null;
  note?: string;
  heartbeatMs?: number;
  /** The command and session the call belongs to (OpenCode's calls for a command), for the ledger and budgets. */
  scope?: {
    commandId: string | null;
    sessionId: string | null;
    /** For an engine's calls: the command's fallbacks, after the model it names. */
    fallbacks?: readonly string[];
    /** For an engine's calls: hears each hop, for the command's result. */
    onHop?: (hop: ModelHop) => void;
  };
}

/** One upstream a chat may go to. */
interface Target {
  id: string;
  provider: ModelProvider;
  model: string;
}

/**
 * The upstreams a request may go to, in order: a `provider:model` the client names is the only
 * one (an explicit choice is never swapped for another model; it is retried on 429/5xx); Ralex's
 * own ids get the router's choice for a chat, then its fallbacks.
 */
async function targetsFor(
  rt: Runtime,
  model: string,
  promptTokens: number,
  fallbacks: readonly string[] = [],
): Promise<Target[]> {
  const toTarget = (id: string): Target[] => {
    const t = rt.registry.resolve(id);
    return t ? [{ id, provider: t.provider, model: t.model }] : [];
  };
  if (model !== AUTO_MODEL_ID && model !== AGENT_MODEL_ID) {
    const target = toTarget(model);
    if (!target.length) {
      throw new RalexError('model_not_found', `The model "${model}" does not exist here.`, {
        hint: `Use ${AGENT_MODEL_ID}, ${AUTO_MODEL_ID}, or a "provider:model" id from GET /v1/models.`,
      });
    }
    await rt.models.ready();
    // Ralex's own engine naming the router's choice gets the router's fallbacks after it.
    return [...target, ...fallbacks.filter((f) => f !== model).flatMap(toTarget)];
  }
  const choice = await chooseModel(
    { task: taskTypeOf(null), promptTokens },
    { registry: rt.registry, models: rt.models, preferences: rt.config.preferences },
  );
  return [choice.model, ...choice.fallbacks].flatMap((m) => toTarget(m.id));
}

/**
 * A plain chat: `ralex-auto` (the routed model), a `provider:model` pass-through, or a
 * ralex-agent turn that is not a command. The answer carries the client's model id and the
 * answering one in `routed_model`. A client task is answered in its format: a JSON task gets the
 * JSON object out of the model's answer, and with no model configured the tasks that need none
 * (a title from the user's first words, no tags to add…) are answered by Ralex itself. Every
 * call is metered (ledger, budgets); 429/5xx retry, then — for Ralex's own ids — the next model.
 */
export async function routedChat(
  rt: Runtime,
  body: ChatRequest,
  reply: FastifyReply,
  options: RoutedChatOptions = {},
): Promise<void> {
  const task = options.task ?? null;
  const local = task ? fallbackTaskAnswer(task, body) : null;
  const promptTokens = promptTokensOf(body);
  let targets: Target[];
  try {
    targets = await targetsFor(rt, body.model, promptTokens, options.scope?.fallbacks);
  } catch (error) {
    const noModel = error instanceof RalexError && error.code === 'no_model_configured';
    if (noModel && local !== null) return localAnswer(body, reply, local, options.heartbeatMs);
    throw error;
  }
  const timeoutMs = rt.config.preferences.engine.model_timeout_ms;
  const path: CallPath = task
    ? 'client-task'
    : body.model === AUTO_MODEL_ID
      ? 'ralex-auto'
      : body.model === AGENT_MODEL_ID
        ? 'chat'
        : options.scope?.commandId
          ? 'opencode'
          : 'pass-through';
  const scope = { commandId: options.scope?.commandId ?? null, sessionId: options.scope?.sessionId ?? null };
  const tell = (hop: ModelHop) => {
    options.scope?.onHop?.(hop);
    rt.bus.publish(
      { sessionId: scope.sessionId ?? 'ralex', commandId: scope.commandId },
      { type: 'model.fallback', ...hop },
    );
  };
  const attempt = async (index: number, tries: number): Promise<void> => {
    const target = targets[index] as Target;
    const presentation: Presentation = {
      model: body.model,
      routedModel: target.id,
      ...(options.note ? { note: options.note } : {}),
      ...(task?.format === 'json' ? { content: (text) => extractJsonObject(text) ?? local ?? text } : {}),
    };
    const info = rt.models.describe(target.id);
    if (target.provider.kind !== 'openai-compatible') {
      const { sdkChatCompletion } = await import('./sdk-chat.js'); // the AI SDK loads only for non-OpenAI providers
      // Metered like the agent's calls: reserved, settled with the SDK's usage, a stream stopped at the budget.
      const metered = meteredModel({
        candidates: [
          { info, load: async () => (await target.provider.languageModel(target.model)) as LanguageModelV3 },
        ],
        meter: rt.models.meter,
        health: rt.models.health,
        routing: rt.config.preferences.routing,
        scope: { path, ...scope },
        countTokens: (text) => Math.ceil(text.length / 4),
        onHop: tell,
      });
      return sdkChatCompletion({
        model: metered.model,
        body,
        reply,
        timeoutMs,
        presentation,
        charged: () => metered.report(),
      });
    }
    return proxyChatCompletion({
      provider: target.provider,
      model: target.model,
      body,
      reply,
      timeoutMs,
      presentation,
      metering: {
        meter: rt.models.meter,
        info,
        path,
        ...scope,
        inputTokens: promptTokens,
        retry: async (failure) => {
          const action = onFailure(
            { status: failure.status, headers: failure.headers, message: failure.text.slice(0, 200) },
            tries,
            rt.config.preferences.routing,
          );
          if (action.kind === 'fail') return false;
          rt.models.health.failed(target.id);
          const next = action.kind === 'retry' ? target.id : (targets[index + 1]?.id ?? null);
          tell({
            model: target.id,
            action: next ? action.kind : 'give_up',
            next,
            reason: action.reason,
            waitMs: action.kind === 'retry' ? action.waitMs : 0,
            attempt: tries,
          });
          if (action.kind === 'retry') {
            await sleep(action.waitMs);
            await attempt(index, tries + 1);
            return true;
          }
          if (!next) return false;
          await attempt(index + 1, 1);
          return true;
        },
      },
    });
  };
  return attempt(0, 1).catch(async (error) => {
    // A provider that cannot be reached at all, before anything was sent back: the next model, if any.
    const unreachable =
      error instanceof RalexError && (error.code === 'upstream_error' || error.code === 'upstream_timeout');
    if (!unreachable || reply.sent || reply.raw.headersSent || targets.length < 2) throw error;
    tell({
      model: targets[0]?.id ?? '',
      action: 'next',
      next: targets[1]?.id ?? null,
      reason: error.message,
      waitMs: 0,
      attempt: 1,
    });
    return attempt(1, 1);
  });
}

/** Ralex's own answer to a client task, in the OpenAI shape (streamed when asked). */
function localAnswer(body: ChatRequest, reply: FastifyReply, text: string, heartbeatMs?: number) {
  const shapes = chatShapes(`chatcmpl-task-${Date.now().toString(36)}`, body.model, {
    routed_model: null,
    ralex: { answered_by: 'ralex', reason: 'no model is configured' },
  });
  const usage = wireUsage(0, 0);
  if (!body.stream) return reply.send(shapes.completion(text, 'stop', usage));
  reply.hijack();
  const sse = sseWriter(reply.raw, heartbeatMs);
  sse.send(shapes.chunk({ role: 'assistant', content: '' }));
  if (text) sse.send(shapes.chunk({ content: text }));
  sse.send(shapes.chunk({}, 'stop'));
  if (body.stream_options?.include_usage) sse.send(shapes.usageChunk(usage));
  sse.done();
}
