import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandResult } from '../../command/command-result.js';
import { RalexError, toRalexError } from '../../errors.js';
import type { RalexEvent } from '../../events/events.js';
import { failedResult } from '../../pipeline/failed-result.js';
import { runCommand } from '../../pipeline/pipeline.js';
import type { Runtime } from '../../runtime.js';
import { HTTP_STATUS, openAiErrorBody } from '../http-errors.js';
import type { Ending } from './agent-answer.js';
import {
  approvalQuestion,
  notAnswerable,
  replyWithModelNote,
  resultJson,
  resultSummary,
} from './agent-answer.js';
import { checkAgentRequest } from './agent-request.js';
import { decideAgentTurn, notRunNote } from './agent-turn.js';
import { createAnswerShaper } from './answer-shaper.js';
import { chatShapes, SSE_HEARTBEAT_MS, sseWriter, wireUsage } from './chat-chunks.js';
import { type ChatRequest, lastUserText } from './chat-request.js';
import { detectClientTask } from './client-task.js';
import { type ConversationIndex, conversationSession, rememberAnswer } from './conversation-session.js';
import { progressLine } from './progress-line.js';
import { AGENT_MODEL_ID, routedChat } from './routed-chat.js';

export { AGENT_MODEL_ID };

/** What a ralex-agent chat needs from the server: the command counter, the conversations, the heartbeat. */
export interface AgentChatDeps {
  /** Counts one command against the per-minute limit (throws when over it). */
  countCommand: () => void;
  conversations: ConversationIndex;
  /** SSE comment heartbeat interval (default 15 s). */
  heartbeatMs?: number;
}

/**
 * `ralex-agent`. A client's background task (a title, tags, a commit message, an edit-format
 * prompt…) is answered as a plain routed chat in the format it asks for; a message that is not
 * a command for this project is answered as a chat that says how to make it one; a command runs
 * the whole pipeline. Streaming, progress (stages, model, tool calls) goes out as
 * `reasoning_content` — shown as "thinking" by clients that support it — and the answer as
 * `content`, with comment heartbeats while the command works.
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
  deps: AgentChatDeps,
) {
  const heartbeatMs = deps.heartbeatMs ?? SSE_HEARTBEAT_MS;
  const task = detectClientTask(body);
  if (task) {
    request.log.info(
      { model: body.model, task: task.kind, client: task.client },
      'client task: answered as a chat',
    );
    // A client's task in a conversation (its title, its tags) is that conversation's, for a per-session budget.
    const scope =
      rt.config.preferences.budgets.per_session === undefined
        ? undefined
        : {
            commandId: null,
            sessionId: conversationSession(request.headers, body, deps.conversations).sessionId,
          };
    return routedChat(rt, body, reply, { task, heartbeatMs, scope });
  }
  const options = checkAgentRequest(body);
  const session = conversationSession(request.headers, body, deps.conversations);
  const sessionId = session.sessionId;
  const turn = decideAgentTurn(lastUserText(body), {
    files: await rt.files.list(),
    pendingApprovals: rt.approvals.pending(sessionId).length,
  });
  if (turn.kind === 'chat') {
    request.log.info(
      { model: body.model, turn: 'chat', session: session.source },
      'not a command: answered as a chat',
    );
    const scope = { commandId: null, sessionId };
    return routedChat(rt, body, reply, { note: notRunNote(turn.why), heartbeatMs, scope }).catch((error) => {
      throw notAnswerable(error, turn.why);
    });
  }
  deps.countCommand();
  request.log.info(
    { model: body.model, turn: 'command', intent: turn.parsed.intent, session: session.source },
    'ralex-agent command',
  );

  const commandId = rt.ids('cmd');
  const byId = turn.approvalId ? rt.approvals.get(turn.approvalId) : undefined;
  if (turn.approvalId && !byId) {
    throw new RalexError(
      'not_found',
      `No approval ${turn.approvalId} is waiting (it may have been answered or timed out).`,
    );
  }
  const answersApproval = turn.parsed.intent === 'confirm' || turn.parsed.intent === 'deny';
  const released = byId
    ? [byId.commandId]
    : answersApproval
      ? [...new Set(rt.approvals.pending(sessionId).map((a) => a.commandId))]
      : [];
  const userDenied = turn.parsed.intent === 'deny';
  const followed = new Set(byId ? released : [commandId, ...released]);
  const shapes = chatShapes(`chatcmpl-${commandId}`, body.model, { routed_model: null });
  const shaper = createAnswerShaper({ maxTokens: options.maxTokens, stop: options.stop });
  const controller = new AbortController();
  let answered = false;
  reply.raw.once('close', () => {
    if (!answered) controller.abort(); // the client went away mid-answer
  });

  // Streaming opens once the command is under way (a model picked, a tool run, or the heartbeat
  // interval gone by), so a command that fails at once still gets a non-2xx status.
  let sse: ReturnType<typeof sseWriter> | null = null;
  const held: Record<string, unknown>[] = [];
  const send = (delta: Record<string, unknown>) => {
    if (sse) sse.send(shapes.chunk(delta));
    else if (body.stream) held.push(delta);
  };
  const open = () => {
    if (sse || !body.stream || reply.raw.writableEnded) return;
    reply.hijack();
    sse = sseWriter(reply.raw, heartbeatMs);
    sse.send(shapes.chunk({ role: 'assistant', content: '' }));
    for (const delta of held.splice(0)) sse.send(shapes.chunk(delta));
  };
  const opener = body.stream ? setTimeout(open, heartbeatMs) : null;

  let streamed = '';
  let received = '';
  const results = new Map<string, CommandResult>();
  let settle: (ending: Ending) => void = () => undefined;
  const ending = new Promise<Ending>((resolve) => {
    settle = resolve;
  });
  const unsubscribe = rt.bus.subscribe((event: RalexEvent) => {
    if (!event.commandId || !followed.has(event.commandId)) return;
    if (event.type === 'model.delta') {
      open();
      if (options.json) return;
      received += event.text;
      const out = shaper.push(event.text);
      streamed += out;
      if (out) send({ content: out });
    } else {
      const line = progressLine(event);
      if (event.type === 'model.selected' || event.type === 'tool.started') open();
      if (line) send({ reasoning_content: `${line}\n` });
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
  if (byId) {
    const approve = turn.parsed.intent === 'confirm';
    rt.approvals.answer(byId.id, approve, 'openai');
    send({ reasoning_content: `${approve ? 'Approved' : 'Denied'} ${byId.id}: ${byId.detail}\n` });
  } else {
    const running = runCommand(
      { text: turn.text, sessionId, commandId, source: 'openai', signal: controller.signal },
      rt,
    );
    // The pipeline records its own failures; this is the last resort for a throw it did not expect.
    running.catch((error) =>
      settle({
        kind: 'finished',
        results: [
          failedResult(toRalexError(error), {
            commandId,
            sessionId,
            intent: null,
            durationMs: 0,
            stages: [],
          }),
        ],
      }),
    );
  }
  try {
    const end = await ending;
    answered = true;
    const finished = end.kind === 'finished' ? end.results : [];
    const last = finished.at(-1);
    const failure = finished.find((r) => r.error && !(userDenied && r.error.code === 'policy_denied'));
    const text =
      end.kind === 'approval' ? approvalQuestion(end.event) : finished.map(replyWithModelNote).join('\n\n');
    const usage = wireUsage(last?.usage?.inputTokens, last?.usage?.outputTokens);
    const extra = {
      ralex: { ...(last ? resultSummary(last) : {}), session_id: sessionId, session_source: session.source },
    };

    let content: string;
    if (options.json) content = JSON.stringify(resultJson(end, finished, text));
    else {
      // The reply repeats the model's streamed text: send only what it adds.
      const trimmed = received.trim();
      const rest =
        trimmed && text.startsWith(trimmed) ? text.slice(trimmed.length) : `${received ? '\n\n' : ''}${text}`;
      content = streamed + shaper.push(rest) + shaper.end();
    }
    rememberAnswer(deps.conversations, session, body.messages, content);
    const finish = shaper.finish;

    if (!sse && failure?.error) {
      const error = new RalexError(failure.error.code as RalexError['code'], failure.error.message, {
        ...(failure.error.hint ? { hint: failure.error.hint } : {}),
      });
      const status = failure.status === 'cancelled' ? 499 : (HTTP_STATUS[error.code] ?? 500);
      return reply
        .status(status)
        .send({ ...openAiErrorBody(error), ...shapes.completion(content, 'stop', usage, extra) });
    }
    if (!body.stream) return reply.send(shapes.completion(content, finish, usage, extra));
    open();
    const stream = sse as unknown as ReturnType<typeof sseWriter>;
    const tail = options.json ? content : content.slice(streamed.length);
    if (tail) stream.send(shapes.chunk({ content: tail }));
    stream.send(shapes.chunk({}, finish));
    if (body.stream_options?.include_usage) stream.send(shapes.usageChunk(usage));
    if (failure?.error) {
      const wire = openAiErrorBody(
        new RalexError(failure.error.code as RalexError['code'], failure.error.message),
      );
      stream.error(wire.error);
    }
  } finally {
    if (opener) clearTimeout(opener);
    unsubscribe();
    (sse as ReturnType<typeof sseWriter> | null)?.done();
  }
}
