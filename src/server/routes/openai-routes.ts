import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RalexError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import { agentChatCompletion } from '../openai/agent-chat.js';
import { type ChatRequest, ChatRequestSchema } from '../openai/chat-request.js';
import { detectClientTask } from '../openai/client-task.js';
import { type ConversationIndex, conversationSession } from '../openai/conversation-session.js';
import { AGENT_MODEL_ID, AUTO_MODEL_ID, routedChat } from '../openai/routed-chat.js';
import { registerAudioRoutes } from './audio-routes.js';

export { AUTO_MODEL_ID };

/** What the OpenAI routes share with the rest of the server. */
export interface OpenAiRouteDeps {
  countCommand: () => void;
  conversations: ConversationIndex;
  heartbeatMs?: number;
  /** Largest chat request body (images inline as base64 make them big). */
  chatBodyLimit: number;
}

/**
 * The OpenAI-compatible API (mounted under /v1 and /v4): `GET /models` lists ralex-agent,
 * ralex-auto and every upstream model as `provider:model`, `GET /models/{id}` one of them;
 * `POST /chat/completions` runs the pipeline (ralex-agent), a routed chat (ralex-auto) or passes
 * straight through to an upstream.
 */
export function registerOpenAiRoutes(app: FastifyInstance, rt: Runtime, deps: OpenAiRouteDeps): void {
  const created = Math.floor(Date.now() / 1000);
  const own = [AGENT_MODEL_ID, AUTO_MODEL_ID].map((id) => ({
    id,
    object: 'model',
    created,
    owned_by: 'ralex',
  }));
  const allModels = async () => {
    const upstream = await rt.registry.list();
    return [...own, ...upstream.map((m) => ({ id: m.id, object: 'model', created, owned_by: m.provider }))];
  };

  app.get('/models', async () => ({ object: 'list', data: await allModels() }));

  app.get('/models/*', async (request) => {
    // Ids hold ":" and "/" (ollama:llama3:8b, openrouter:meta-llama/llama-3): the rest of the path is the id.
    const id = decodeURIComponent((request.params as { '*': string })['*']);
    const model = (await allModels()).find((m) => m.id === id);
    if (!model) {
      throw new RalexError('model_not_found', `The model "${id}" does not exist here.`, {
        hint: 'GET /v1/models lists the models Ralex serves.',
      });
    }
    return model;
  });

  app.register(async (audio) => registerAudioRoutes(audio, rt));

  app.post('/chat/completions', { bodyLimit: deps.chatBodyLimit }, async (request, reply) => {
    const parsed = ChatRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new RalexError(
        'bad_request',
        `Invalid chat completion request: ${first?.path.join('.') || 'body'}: ${first?.message}`,
      );
    }
    const body = parsed.data;
    if (body.model === AGENT_MODEL_ID) return agentChatCompletion(rt, body, request, reply, deps);
    request.log.info({ model: body.model }, 'chat');
    return routedChat(rt, body, reply, {
      task: body.model === AUTO_MODEL_ID ? detectClientTask(body) : null,
      heartbeatMs: deps.heartbeatMs,
      scope: callScope(rt, request.headers, body, deps.conversations),
    });
  });
}

/**
 * Whose a chat's model call is, for the ledger and budgets: an OpenCode session Ralex started for
 * a command is that command's; otherwise the conversation's session when a per-session budget
 * needs it (finding it hashes the history, so only then).
 */
function callScope(
  rt: Runtime,
  headers: FastifyRequest['headers'],
  body: ChatRequest,
  conversations: ConversationIndex,
): { commandId: string | null; sessionId: string | null } {
  const engineSession = headers['x-session-id'];
  const owned = typeof engineSession === 'string' ? rt.models.attributed(engineSession) : undefined;
  if (owned) return owned;
  if (rt.config.preferences.budgets.per_session === undefined) return { commandId: null, sessionId: null };
  return { commandId: null, sessionId: conversationSession(headers, body, conversations).sessionId };
}
