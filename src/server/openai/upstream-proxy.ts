import type { FastifyReply } from 'fastify';
import { Agent, request, errors as undiciErrors } from 'undici';
import { RalexError } from '../../errors.js';
import type { BudgetMeter } from '../../models/budget-meter.js';
import { errorKind } from '../../models/metered-model.js';
import { costOf, type ModelInfo } from '../../models/model-info.js';
import type { CallPath } from '../../models/model-ledger.js';
import type { ModelProvider } from '../../models/model-provider.js';
import type { ChatRequest } from './chat-request.js';
import {
  createStreamRewriter,
  type Presentation,
  parseCompletion,
  presentCompletion,
} from './response-rewriter.js';
import { createUsageTap, usageFromWire } from './usage-tap.js';

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
  /** The ledger and budgets: every call is reserved before it is sent and settled with its usage. */
  metering?: UpstreamMetering;
}): Promise<void> {
  const { provider, reply, presentation, metering } = options;
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  const call = await metering?.meter.start({
    path: metering.path,
    info: metering.info,
    inputTokens: metering.inputTokens,
    maxOutputTokens: options.body.max_completion_tokens ?? options.body.max_tokens ?? null,
    streaming: options.body.stream === true,
    choices: options.body.n ?? 1,
    commandId: metering.commandId,
    sessionId: metering.sessionId,
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
      body: JSON.stringify(upstreamBody(options.body, options.model, call?.outputCap ?? null, Boolean(call))),
      signal: abort.signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  } catch (error) {
    call?.release(String(error), errorKind(error));
    throw upstreamFailure(provider, error);
  }

  const contentType = String(response.headers['content-type'] ?? 'application/json');
  if (response.statusCode >= 400) {
    const text = await response.body.text().catch(() => '');
    call?.release(`${response.statusCode}`, `http_${response.statusCode}`);
    const failure = { status: response.statusCode, headers: response.headers, text };
    if (metering?.retry && (await metering.retry(failure))) return;
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
      const parsed = parseCompletion(payload); // once, for the ledger and the rewrite
      let charged: { cost: number | null; estimated: boolean } | null = null;
      if (call) {
        const chars = parsed ? answerChars(parsed) : payload.length;
        charged = call.finish(usageFromWire(parsed?.usage), { outputTokens: Math.ceil(chars / 4) });
      }
      reply
        .status(response.statusCode)
        .header('content-type', contentType)
        .send(
          parsed ? presentCompletion(parsed, { ...presentation, ...(charged ? { charged } : {}) }) : payload,
        );
    } catch (error) {
      call?.finish(null, { outputTokens: 0 }, 'error');
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
  const tap = call
    ? createUsageTap({
        dropUsageChunk: !options.body.stream_options?.include_usage,
        proceed: (tokens) => call.progress(tokens),
        price: (usage) => costOf(metering!.info, usage),
      })
    : null;
  const decoder = new TextDecoder();
  let status: 'ok' | 'stopped' | 'error' | 'cancelled' = 'ok';
  try {
    for await (const chunk of response.body) {
      const text = decoder.decode(chunk as Buffer, { stream: true });
      const out = rewriter.push(tap ? tap.push(text) : text);
      if (out && !raw.write(out)) await new Promise((resolve) => raw.once('drain', resolve));
      if (tap?.state.stopped) {
        // The answer reached the budget: stop the upstream, tell the client, end the stream.
        status = 'stopped';
        abort.abort();
        raw.write(
          `data: ${JSON.stringify({ error: { message: 'Stopped: the answer reached the budget (budgets in .ralex/config/preferences.yaml).', type: 'insufficient_quota', code: 'budget_exceeded' } })}\n\ndata: [DONE]\n\n`,
        );
        break;
      }
    }
    if (status === 'ok') {
      const tail = decoder.decode();
      const rest = rewriter.push(tap ? tap.push(tail) + tap.end() : tail) + rewriter.end();
      if (rest) raw.write(rest);
    }
  } catch (error) {
    status = abort.signal.aborted ? 'cancelled' : 'error';
    // The upstream dropped or stalled mid-stream: tell the client in the stream, then end it.
    if (!raw.writableEnded && !abort.signal.aborted) {
      const failure = upstreamFailure(provider, error);
      raw.write(
        `data: ${JSON.stringify({ error: { message: failure.message, type: 'server_error', code: failure.code } })}\n\n`,
      );
    }
  } finally {
    if (call && tap) call.finish(status === 'stopped' ? null : tap.state.usage, tap.state, status);
    if (!raw.writableEnded) raw.end();
  }
}

/** What the proxy needs to meter a call: the meter, the model's prices, who made it, the prompt's size. */
export interface UpstreamMetering {
  meter: BudgetMeter;
  info: ModelInfo;
  path: CallPath;
  commandId: string | null;
  sessionId: string | null;
  inputTokens: number;
  /** Asked before an upstream error is passed on: true when it was answered another way (a retry, the next model). */
  retry?: (failure: {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    text: string;
  }) => Promise<boolean>;
}

/**
 * The body sent upstream: the client's, with the upstream's model id; when metered, streams ask
 * for usage (`stream_options.include_usage`) and an output cap the budget needs replaces a larger one.
 */
function upstreamBody(
  body: ChatRequest,
  model: string,
  cap: number | null,
  metered: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body, model };
  if (metered && body.stream) out.stream_options = { ...(body.stream_options ?? {}), include_usage: true };
  if (cap !== null) {
    const key = body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
    out[key] = Math.min(cap, (body[key] as number | undefined) ?? cap);
  }
  return out;
}

/**
 * How many characters a whole answer wrote (content, reasoning, tool arguments): what its usage
 * is checked against (the JSON around them is no output).
 */
function answerChars(parsed: Record<string, unknown>): number {
  let chars = 0;
  const text = (v: unknown) => (typeof v === 'string' ? v.length : 0);
  for (const c of Array.isArray(parsed.choices) ? parsed.choices : []) {
    const m = (c as { message?: Record<string, unknown> })?.message ?? {};
    chars += text(m.content) + text(m.reasoning_content) + text(m.reasoning);
    for (const t of Array.isArray(m.tool_calls) ? m.tool_calls : [])
      chars += text((t as { function?: { arguments?: unknown } })?.function?.arguments);
  }
  return chars;
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
