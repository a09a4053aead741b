import type { FastifyReply } from 'fastify';
import { Agent, request, errors as undiciErrors } from 'undici';
import { RalexError } from '../../errors.js';
import type { ModelProvider } from '../../models/model-provider.js';
import type { ChatRequest } from './chat-request.js';
import { createStreamRewriter, type Presentation, rewriteCompletion } from './response-rewriter.js';

/** One keep-alive connection pool for every upstream: no per-request connection set-up. */
const upstreamAgent = new Agent({ keepAliveTimeout: 30_000, connections: 128 });

/**
 * Passes a chat completion through to an OpenAI-compatible upstream with the model id
 * rewritten to the upstream's own: the request body goes on as sent; the response (JSON or SSE
 * stream) comes back as the upstream sent it, presented under the model the client asked for
 * (the answering model in `routed_model`). Upstream errors keep their status and OpenAI shape;
 * a dead or silent upstream becomes a 502/504 with a clear message, never a hang.
 */
export async function proxyChatCompletion(options: {
  provider: ModelProvider;
  model: string;
  body: ChatRequest;
  reply: FastifyReply;
  timeoutMs: number;
  presentation: Presentation;
}): Promise<void> {
  const { provider, reply, presentation } = options;
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(`${provider.baseURL}/chat/completions`, {
      method: 'POST',
      dispatcher: upstreamAgent,
      headers: {
        'content-type': 'application/json',
        accept: options.body.stream ? 'text/event-stream' : 'application/json',
        ...(provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {}),
      },
      body: JSON.stringify({ ...options.body, model: options.model }),
      signal: abort.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  } catch (error) {
    throw upstreamFailure(provider, error);
  }

  const contentType = String(response.headers['content-type'] ?? 'application/json');
  if (response.statusCode >= 400) {
    const text = await response.body.text().catch(() => '');
    const retryAfter = response.headers['retry-after'];
    if (retryAfter) reply.header('retry-after', String(retryAfter));
    if (looksLikeOpenAiError(text)) {
      reply.status(response.statusCode).header('content-type', 'application/json').send(text);
      return;
    }
    throw new RalexError(
      response.statusCode === 429 ? 'rate_limited' : 'upstream_error',
      `${provider.id} answered ${response.statusCode}: ${text.slice(0, 300) || '(empty body)'}`,
    );
  }

  if (!contentType.includes('text/event-stream')) {
    try {
      const payload = Buffer.from(await response.body.arrayBuffer());
      reply
        .status(response.statusCode)
        .header('content-type', contentType)
        .send(rewriteCompletion(payload, presentation));
    } catch (error) {
      throw upstreamFailure(provider, error);
    }
    return;
  }

  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': contentType,
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  const rewriter = createStreamRewriter(presentation);
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body) {
      const out = rewriter.push(decoder.decode(chunk as Buffer, { stream: true }));
      if (out && !raw.write(out)) await new Promise((resolve) => raw.once('drain', resolve));
    }
    const rest = rewriter.push(decoder.decode()) + rewriter.end();
    if (rest) raw.write(rest);
  } catch (error) {
    // The upstream dropped or stalled mid-stream: tell the client in the stream, then end it.
    if (!raw.writableEnded && !abort.signal.aborted) {
      const failure = upstreamFailure(provider, error);
      raw.write(
        `data: ${JSON.stringify({ error: { message: failure.message, type: 'server_error', code: failure.code } })}\n\n`,
      );
    }
  } finally {
    if (!raw.writableEnded) raw.end();
  }
}

function looksLikeOpenAiError(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    return typeof parsed.error === 'object' && parsed.error !== null;
  } catch {
    return false;
  }
}

/** Names what went wrong with the upstream: timeout, refused, or dropped. */
function upstreamFailure(provider: ModelProvider, error: unknown): RalexError {
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return new RalexError('upstream_timeout', `${provider.id} did not answer in time.`, {
      hint: 'Try again, or raise engine.model_timeout_ms in .ralex/config/preferences.yaml.',
    });
  }
  const message = (error as Error)?.message ?? String(error);
  return new RalexError(
    'upstream_error',
    `Could not reach ${provider.id} at ${provider.baseURL}: ${message}`,
    {
      cause: error,
    },
  );
}
