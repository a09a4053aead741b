import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RalexError, toRalexError } from '../../errors.js';
import type { EventOf, RalexEvent } from '../../events/events.js';
import type { CommandResult } from '../../pipeline/command-result.js';
import { failedResult } from '../../pipeline/failed-result.js';
import { parseCommand } from '../../pipeline/parse/parse-command.js';
import { runCommand } from '../../pipeline/pipeline.js';
import type { Runtime } from '../../runtime.js';
import { chatShapes, sseWriter, wireUsage } from './chat-chunks.js';
import { type ChatRequest, messageText } from './chat-request.js';
import { progressLine } from './progress-line.js';

/** The model id that runs the whole pipeline on the project. */
export const AGENT_MODEL_ID = 'ralex-agent';

/** How a ralex-agent response ends: the commands it followed finished, or one waits for an approval. */
type Ending =
  | { kind: 'finished'; results: CommandResult[] }
  | { kind: 'approval'; event: EventOf<'approval.requested'> };

/**
 * `ralex-agent`: the last user message is the command. Streaming, progress (stages, model,
 * tool calls) goes out as `reasoning_content` — shown as "thinking" by clients that support
 * it — and the answer as `content`.
 *
 * Approvals in a conversation: when the command needs one, the response ends with the question
 * while the command waits; the next message, "confirm" or "deny", answers it and its response
 * carries the waiting command through to its result. Closing the connection mid-answer cancels.
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
  const intent = parseCommand(text, { files: [] }).intent;
  const released =
    intent === 'confirm' || intent === 'deny'
      ? [...new Set(rt.approvals.pending(sessionId).map((a) => a.commandId))]
      : [];
  const followed = new Set([commandId, ...released]);
  const shapes = chatShapes(`chatcmpl-${commandId}`, AGENT_MODEL_ID);
  const controller = new AbortController();
  let answered = false;
  reply.raw.once('close', () => {
    if (!answered) controller.abort(); // the client went away mid-answer
  });

  if (body.stream) reply.hijack();
  const sse = body.stream ? sseWriter(reply.raw) : null;
  sse?.send(shapes.chunk({ role: 'assistant', content: '' }));
  let streamed = '';
  const results = new Map<string, CommandResult>();
  let settle: (ending: Ending) => void = () => undefined;
  const ending = new Promise<Ending>((resolve) => {
    settle = resolve;
  });
  const unsubscribe = rt.bus.subscribe((event: RalexEvent) => {
    if (!event.commandId || !followed.has(event.commandId)) return;
    if (event.type === 'model.delta') {
      streamed += event.text;
      sse?.send(shapes.chunk({ content: event.text }));
    } else {
      const line = progressLine(event);
      if (line) sse?.send(shapes.chunk({ reasoning_content: `${line}\n` }));
    }
    if (event.type === 'approval.requested') settle({ kind: 'approval', event });
    if (event.type === 'command.finished') {
      results.set(event.commandId, event.result as CommandResult);
      const pending = [...followed].filter(
        (id) => !results.has(id) && (id === commandId || rt.running.has(id)),
      );
      if (!pending.length)
        settle({ kind: 'finished', results: [...followed].flatMap((id) => results.get(id) ?? []) });
    }
  });
  const running = runCommand({ text, sessionId, commandId, source: 'openai', signal: controller.signal }, rt);
  // The pipeline records its own failures; this is the last resort for a throw it did not expect.
  running.catch((error) =>
    settle({
      kind: 'finished',
      results: [
        failedResult(toRalexError(error), { commandId, sessionId, intent: null, durationMs: 0, stages: [] }),
      ],
    }),
  );
  try {
    const end = await ending;
    answered = true;
    const content =
      end.kind === 'approval'
        ? approvalQuestion(end.event)
        : end.results.map(replyWithModelNote).join('\n\n');
    const last = end.kind === 'finished' ? end.results.at(-1) : undefined;
    const usage = wireUsage(last?.usage?.inputTokens, last?.usage?.outputTokens);
    if (!sse) {
      return reply.send(
        shapes.completion(content, 'stop', usage, last ? { ralex: resultSummary(last) } : {}),
      );
    }
    const trimmed = streamed.trim();
    const rest =
      trimmed && content.startsWith(trimmed)
        ? content.slice(trimmed.length)
        : `${streamed ? '\n\n' : ''}${content}`;
    if (rest.trim()) sse.send(shapes.chunk({ content: rest }));
    sse.send(shapes.chunk({}, 'stop'));
    if (body.stream_options?.include_usage) sse.send(shapes.usageChunk(usage));
  } finally {
    unsubscribe();
    sse?.done();
  }
}

/** A chat client shows no model panel: when Ralex picked the model itself, the answer says so. */
function replyWithModelNote(result: CommandResult): string {
  return result.modelReason?.startsWith('No default')
    ? `${result.reply}\n\n_${result.modelReason}_`
    : result.reply;
}

function approvalQuestion(event: EventOf<'approval.requested'>): string {
  const until = new Date(event.expiresAt).toISOString().slice(11, 19);
  return `Waiting for your approval: ${event.detail}\n${event.reason}\n\nReply "confirm" to go ahead or "deny" to stop. With no answer it is denied at ${until} UTC.`;
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
    commit: result.commit,
    model: result.model,
    spoken: result.spoken,
  };
}
