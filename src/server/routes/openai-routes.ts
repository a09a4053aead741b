import type { FastifyInstance } from 'fastify';
import { RalexError } from '../../errors.js';
import { selectModel } from '../../pipeline/route.js';
import type { Runtime } from '../../runtime.js';
import { AGENT_MODEL_ID, agentChatCompletion } from '../openai/agent-chat.js';
import { ChatRequestSchema } from '../openai/chat-request.js';
import { proxyChatCompletion } from '../openai/upstream-proxy.js';
import { registerAudioRoutes } from './audio-routes.js';

/** The routed plain chat: Ralex picks the model. */
export const AUTO_MODEL_ID = 'ralex-auto';

/**
 * The OpenAI-compatible API (mounted under /v1 and /v4): `GET /models` lists ralex-agent,
 * ralex-auto and every upstream model as `provider:model`; `POST /chat/completions` runs the
 * pipeline (ralex-agent), a routed chat (ralex-auto) or passes straight through to an upstream.
 */
export function registerOpenAiRoutes(app: FastifyInstance, rt: Runtime, countCommand: () => void): void {
  const created = Math.floor(Date.now() / 1000);
  app.get('/models', async () => {
    const upstream = await rt.registry.list();
    const own = [AGENT_MODEL_ID, AUTO_MODEL_ID].map((id) => ({
      id,
      object: 'model',
      created,
      owned_by: 'ralex',
    }));
    return {
      object: 'list',
      data: [...own, ...upstream.map((m) => ({ id: m.id, object: 'model', created, owned_by: m.provider }))],
    };
  });

  app.register(async (audio) => registerAudioRoutes(audio, rt));

  app.post('/chat/completions', async (request, reply) => {
    const parsed = ChatRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new RalexError(
        'bad_request',
        `Invalid chat completion request: ${first?.path.join('.') || 'body'}: ${first?.message}`,
      );
    }
    const body = parsed.data;
    if (body.model === AGENT_MODEL_ID) {
      countCommand();
      return agentChatCompletion(rt, body, request, reply);
    }
    const target = body.model === AUTO_MODEL_ID ? await routedTarget(rt) : rt.registry.resolve(body.model);
    if (!target) {
      throw new RalexError('model_not_found', `The model "${body.model}" does not exist here.`, {
        hint: `Use ${AGENT_MODEL_ID}, ${AUTO_MODEL_ID}, or a "provider:model" id from GET /v1/models.`,
      });
    }
    const timeoutMs = rt.config.preferences.engine.model_timeout_ms;
    if (target.provider.kind === 'openai-compatible') {
      return proxyChatCompletion({ provider: target.provider, model: target.model, body, reply, timeoutMs });
    }
    const { sdkChatCompletion } = await import('../openai/sdk-chat.js'); // the AI SDK loads only for non-OpenAI providers
    return sdkChatCompletion({
      model: await target.provider.languageModel(target.model),
      modelId: `${target.provider.id}:${target.model}`,
      body,
      reply,
      timeoutMs,
    });
  });
}

async function routedTarget(rt: Runtime) {
  const selection = await selectModel(rt);
  return rt.registry.resolve(selection.model);
}
