import { type LanguageModel, type ModelMessage, streamText } from 'ai';
import type { FastifyReply } from 'fastify';
import { upstreamError } from '../../engine/run-agent.js';
import { chatShapes, sseWriter, wireUsage } from './chat-chunks.js';
import { type ChatRequest, messageText } from './chat-request.js';
import type { Presentation } from './response-rewriter.js';

/**
 * A plain chat through the AI SDK, answered in the OpenAI shape: for providers that do not
 * speak the OpenAI protocol themselves (Anthropic). Text messages only; tools are not relayed.
 */
export async function sdkChatCompletion(options: {
  model: LanguageModel;
  body: ChatRequest;
  reply: FastifyReply;
  timeoutMs: number;
  presentation: Presentation;
  /** What the ledger charged so far: the usage the client sees carries it as `cost`. */
  charged?: () => { cost: number | null; estimated: boolean };
}): Promise<void> {
  const { body, reply, presentation } = options;
  const priced = (usage: ReturnType<typeof wireUsage>) => {
    const c = options.charged?.();
    return c && c.cost !== null
      ? { ...usage, cost: c.cost, ...(c.estimated ? { cost_estimated: true } : {}) }
      : usage;
  };
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  const shapes = chatShapes(`chatcmpl-${Date.now().toString(36)}`, presentation.model, {
    routed_model: presentation.routedModel,
  });
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const result = streamText({
    model: options.model,
    messages: toModelMessages(body),
    abortSignal: AbortSignal.any([abort.signal, AbortSignal.timeout(options.timeoutMs)]),
    maxOutputTokens: maxTokens,
    maxRetries: 0, // the metered model retries and meters each try
    temperature: typeof body.temperature === 'number' ? body.temperature : undefined,
  });
  if (!body.stream) {
    try {
      const [text, usage, finish] = await Promise.all([result.text, result.totalUsage, result.finishReason]);
      const shaped = presentation.content ? presentation.content(text) : text;
      reply.send(
        shapes.completion(
          `${shaped}${presentation.note ?? ''}`,
          finish === 'length' ? 'length' : 'stop',
          priced(wireUsage(usage.inputTokens, usage.outputTokens)),
        ),
      );
    } catch (error) {
      throw upstreamError(error);
    }
    return;
  }
  reply.hijack();
  const sse = sseWriter(reply.raw);
  sse.send(shapes.chunk({ role: 'assistant', content: '' }));
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') sse.send(shapes.chunk({ content: part.text }));
      else if (part.type === 'error') throw part.error;
      else if (part.type === 'finish') {
        if (presentation.note) sse.send(shapes.chunk({ content: presentation.note }));
        sse.send(shapes.chunk({}, part.finishReason === 'length' ? 'length' : 'stop'));
        if (body.stream_options?.include_usage) {
          sse.send(
            shapes.usageChunk(priced(wireUsage(part.totalUsage.inputTokens, part.totalUsage.outputTokens))),
          );
        }
      }
    }
  } catch (error) {
    const failure = upstreamError(error);
    sse.send({ error: { message: failure.message, type: 'server_error', code: failure.code } });
  } finally {
    sse.done();
  }
}

function toModelMessages(body: ChatRequest): ModelMessage[] {
  return body.messages.flatMap((m): ModelMessage[] => {
    const content = messageText(m);
    if (m.role === 'system' || m.role === 'developer') return [{ role: 'system', content }];
    if (m.role === 'user') return [{ role: 'user', content }];
    if (m.role === 'assistant') return content ? [{ role: 'assistant', content }] : [];
    return [];
  });
}
