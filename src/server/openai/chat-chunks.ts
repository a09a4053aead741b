import type { ServerResponse } from 'node:http';

/** Token counts in the OpenAI shape. */
export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Builds OpenAI `chat.completion` and `chat.completion.chunk` objects for one response id. */
export function chatShapes(id: string, model: string, created = Math.floor(Date.now() / 1000)) {
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
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    }),
    usageChunk: (usage: WireUsage) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
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

/** Writes Server-Sent Events the way OpenAI does: `data: <json>\n\n`, ended by `data: [DONE]`. */
export function sseWriter(raw: ServerResponse) {
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  return {
    send(data: unknown) {
      if (!raw.writableEnded) raw.write(`data: ${JSON.stringify(data)}\n\n`);
    },
    done() {
      if (!raw.writableEnded) raw.end('data: [DONE]\n\n');
    },
  };
}
