import type { FastifyReply } from 'fastify';
import { RalexError } from '../../errors.js';
import { selectModel } from '../../pipeline/route.js';
import type { Runtime } from '../../runtime.js';
import { chatShapes, sseWriter, wireUsage } from './chat-chunks.js';
import type { ChatRequest } from './chat-request.js';
import type { ClientTask } from './client-task.js';
import type { Presentation } from './response-rewriter.js';
import { extractJsonObject, fallbackTaskAnswer } from './task-fallback.js';
import { proxyChatCompletion } from './upstream-proxy.js';

/** The model ids Ralex answers itself. */
export const AGENT_MODEL_ID = 'ralex-agent';
/** The routed plain chat: Ralex picks the model. */
export const AUTO_MODEL_ID = 'ralex-auto';

/** How a plain chat is answered: for which client task (if any), with which closing note. */
export interface RoutedChatOptions {
  task?: ClientTask | null;
  note?: string;
  heartbeatMs?: number;
}

/** The upstream a request goes to: the routed default for Ralex's own ids, else the id itself. */
async function targetFor(rt: Runtime, model: string) {
  if (model !== AUTO_MODEL_ID && model !== AGENT_MODEL_ID) {
    const target = rt.registry.resolve(model);
    if (!target) {
      throw new RalexError('model_not_found', `The model "${model}" does not exist here.`, {
        hint: `Use ${AGENT_MODEL_ID}, ${AUTO_MODEL_ID}, or a "provider:model" id from GET /v1/models.`,
      });
    }
    return target;
  }
  const selection = await selectModel(rt);
  return rt.registry.resolve(selection.model)!;
}

/**
 * A plain chat: `ralex-auto` (the routed model), a `provider:model` pass-through, or a
 * ralex-agent turn that is not a command. The answer carries the client's model id and the
 * answering one in `routed_model`. A client task is answered in its format: a JSON task gets the
 * JSON object out of the model's answer, and with no model configured the tasks that need none
 * (a title from the user's first words, no tags to add…) are answered by Ralex itself.
 */
export async function routedChat(
  rt: Runtime,
  body: ChatRequest,
  reply: FastifyReply,
  options: RoutedChatOptions = {},
): Promise<void> {
  const task = options.task ?? null;
  const local = task ? fallbackTaskAnswer(task, body) : null;
  let target: Awaited<ReturnType<typeof targetFor>>;
  try {
    target = await targetFor(rt, body.model);
  } catch (error) {
    const noModel = error instanceof RalexError && error.code === 'no_model_configured';
    if (noModel && local !== null) return localAnswer(body, reply, local, options.heartbeatMs);
    throw error;
  }
  const presentation: Presentation = {
    model: body.model,
    routedModel: `${target.provider.id}:${target.model}`,
    ...(options.note ? { note: options.note } : {}),
    ...(task?.format === 'json' ? { content: (text) => extractJsonObject(text) ?? local ?? text } : {}),
  };
  const timeoutMs = rt.config.preferences.engine.model_timeout_ms;
  if (target.provider.kind === 'openai-compatible') {
    return proxyChatCompletion({
      provider: target.provider,
      model: target.model,
      body,
      reply,
      timeoutMs,
      presentation,
    });
  }
  const { sdkChatCompletion } = await import('./sdk-chat.js'); // the AI SDK loads only for non-OpenAI providers
  return sdkChatCompletion({
    model: await target.provider.languageModel(target.model),
    body,
    reply,
    timeoutMs,
    presentation,
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
