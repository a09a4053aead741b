import type { ServerResponse } from 'node:http';

/** Token counts in the OpenAI shape. */
export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/**
 * Builds OpenAI `chat.completion` and `chat.completion.chunk` objects for one response id;
 * `top` adds fields of Ralex's own to each (e.g. `routed_model`).
 */
export function chatShapes(
  id: string,
  model: string,
  top: Record<string, unknown> = {},
  created = Math.floor(Date.now() / 1000),
) {
  return {
    completion: (
      content: string,
      finishReason: string,
      usage: WireUsage | null,
      extra: Record<string, unknown> = {},
    ) => ({
      id,
      object: 'chat.completion',
      created,
      model,
      ...top,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, ...extra },
          finish_reason: finishReason,
          logprobs: null,
        },
      ],
      ...(usage ? { usage } : {}),
    }),
    chunk: (delta: Record<string, unknown>, finishReason: string | null = null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      ...top,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    }),
    usageChunk: (usage: WireUsage) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      ...top,
      choices: [],
      usage,
    }),
  };
}

/** Converts token counts (possibly unknown) to the OpenAI usage shape. */
export function wireUsage(input: number | null | undefined, output: number | null | undefined): WireUsage {
  const prompt = input ?? 0;
  const completion = output ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** How often an SSE stream sends a comment line while nothing else is said (proxies cut idle streams at 60 s). */
export const SSE_HEARTBEAT_MS = 15_000;

/**
 * Writes Server-Sent Events the way OpenAI does: `data: <json>\n\n`, ended by `data: [DONE]`.
 * While a stream is open and quiet, a comment line (`: keep-alive`) goes out every
 * `heartbeatMs`, which clients ignore and idle-timeout proxies count as traffic.
 */
export function sseWriter(raw: ServerResponse, heartbeatMs = SSE_HEARTBEAT_MS) {
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let last = Date.now();
  const write = (text: string) => {
    if (raw.writableEnded) return;
    raw.write(text);
    last = Date.now();
  };
  const timer = setInterval(
    () => {
      if (Date.now() - last >= heartbeatMs) write(': keep-alive\n\n');
    },
    Math.max(5, Math.min(1000, heartbeatMs / 4)),
  );
  timer.unref();
  raw.once('close', () => clearInterval(timer));
  return {
    send(data: unknown) {
      write(`data: ${JSON.stringify(data)}\n\n`);
    },
    /** Sends an error in OpenAI's stream shape (`{"error": {...}}`); the OpenAI SDK raises it. */
    error(error: { message: string; type: string; code: string }) {
      write(`data: ${JSON.stringify({ error: { ...error, param: null } })}\n\n`);
    },
    done() {
      clearInterval(timer);
      if (!raw.writableEnded) raw.end('data: [DONE]\n\n');
    },
  };
}
