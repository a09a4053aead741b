import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RalexError } from '../../errors.js';
import type { RalexEvent } from '../../events/events.js';
import type { CommandResult } from '../../pipeline/command-result.js';
import { runCommand } from '../../pipeline/pipeline.js';
import type { Runtime } from '../../runtime.js';
import { chatShapes, sseWriter, wireUsage } from './chat-chunks.js';
import { type ChatRequest, messageText } from './chat-request.js';
import { progressLine } from './progress-line.js';

/** The model id that runs the whole pipeline on the project. */
export const AGENT_MODEL_ID = 'ralex-agent';

/**
 * `ralex-agent`: the last user message is the command. Streaming, progress (stages, model,
 * tool calls) goes out as `reasoning_content` — shown as "thinking" by clients that support
 * it — and the answer as `content`. Closing the connection cancels the command.
 */
export async function agentChatCompletion(
  rt: Runtime,
  body: ChatRequest,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const lastUser = [...body.messages].reverse().find((m) => m.role === 'user');
  const text = lastUser ? messageText(lastUser).trim() : '';
  if (!text)
    throw new RalexError('bad_request', 'ralex-agent needs a user message with text: the command to run.');
  const sessionId = sessionFor(request, body);
  const commandId = rt.ids('cmd');
  const shapes = chatShapes(`chatcmpl-${commandId}`, AGENT_MODEL_ID);
  const controller = new AbortController();

  if (!body.stream) {
    // The response closing before it was written means the client went away: cancel.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    const result = await runCommand(
      { text, sessionId, commandId, source: 'openai', signal: controller.signal },
      rt,
    );
    const usage = wireUsage(result.usage?.inputTokens, result.usage?.outputTokens);
    return reply.send(shapes.completion(result.reply, 'stop', usage, { ralex: resultSummary(result) }));
  }

  reply.hijack();
  const sse = sseWriter(reply.raw);
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  sse.send(shapes.chunk({ role: 'assistant', content: '' }));
  let streamed = '';
  const unsubscribe = rt.bus.subscribe((event: RalexEvent) => {
    if (event.commandId !== commandId) return;
    if (event.type === 'model.delta') {
      streamed += event.text;
      sse.send(shapes.chunk({ content: event.text }));
      return;
    }
    const line = progressLine(event);
    if (line) sse.send(shapes.chunk({ reasoning_content: `${line}\n` }));
  });
  try {
    const result = await runCommand(
      { text, sessionId, commandId, source: 'openai', signal: controller.signal },
      rt,
    );
    const rest = result.reply.startsWith(streamed.trim())
      ? result.reply.slice(streamed.trim().length)
      : `\n\n${result.reply}`;
    if (rest.trim()) sse.send(shapes.chunk({ content: streamed ? rest : rest.trimStart() }));
    sse.send(shapes.chunk({}, 'stop'));
    if (body.stream_options?.include_usage) {
      sse.send(shapes.usageChunk(wireUsage(result.usage?.inputTokens, result.usage?.outputTokens)));
    }
  } finally {
    unsubscribe();
    sse.done();
  }
}

/**
 * The session a chat belongs to: the `x-ralex-session` header, the `user` field, or — for
 * clients that resend the whole conversation, like Open WebUI — a hash of its first message.
 */
function sessionFor(request: FastifyRequest, body: ChatRequest): string {
  const header = request.headers['x-ralex-session'];
  if (typeof header === 'string' && /^[\w-]{1,64}$/.test(header)) return header;
  if (body.user && /^[\w-]{1,64}$/.test(body.user)) return `oai_${body.user}`;
  const first = body.messages.find((m) => m.role === 'user');
  const digest = createHash('sha256')
    .update(first ? messageText(first) : '')
    .digest('hex')
    .slice(0, 16);
  return `oai_${digest}`;
}

function resultSummary(result: CommandResult) {
  return {
    command_id: result.commandId,
    session_id: result.sessionId,
    status: result.status,
    intent: result.intent,
    files_changed: result.filesChanged,
    model: result.model,
    spoken: result.spoken,
  };
}
