import type { TokenUsage } from '../../models/model-info.js';

/** What the tap saw of a streamed answer so far. */
export interface TapState {
  /** The provider's usage, from the chunk `stream_options.include_usage` asks for; null until it comes. */
  usage: TokenUsage | null;
  /** Output tokens estimated from the characters streamed (content, reasoning, tool arguments). */
  outputTokens: number;
}

type Json = Record<string, unknown>;

/** The usage of an OpenAI `usage` object, or null when it has none. */
export function usageFromWire(u: unknown): TokenUsage | null {
  if (!u || typeof u !== 'object') return null;
  const o = u as {
    prompt_tokens?: unknown;
    completion_tokens?: unknown;
    prompt_tokens_details?: { cached_tokens?: unknown };
  };
  if (typeof o.prompt_tokens !== 'number' && typeof o.completion_tokens !== 'number') return null;
  const cached = o.prompt_tokens_details?.cached_tokens;
  return {
    inputTokens: typeof o.prompt_tokens === 'number' ? o.prompt_tokens : 0,
    outputTokens: typeof o.completion_tokens === 'number' ? o.completion_tokens : 0,
    cachedInputTokens: typeof cached === 'number' ? cached : 0,
  };
}

/**
 * Reads a chat-completion SSE stream as it passes, for the ledger: the usage chunk and how much
 * was streamed. When Ralex asked the upstream for usage but the client did not, the usage-only
 * chunk is taken out so the client sees the stream it asked for. Feed raw text; pass on what it returns.
 */
export function createUsageTap(options: {
  dropUsageChunk: boolean;
  /** Asked after each event with the output so far; false stops the stream there (nothing more is passed on). */
  proceed?: (outputTokens: number) => boolean;
  /** The USD of a usage; when given, the usage chunk the client sees carries it as `usage.cost`. */
  price?: (usage: TokenUsage) => number | null;
}) {
  let buffered = '';
  let chars = 0;
  const state: TapState & { stopped: boolean } = { usage: null, outputTokens: 0, stopped: false };
  /** The event to pass on (itself, or with the usage's cost added), or null to leave it out. */
  const look = (event: string): string | null => {
    const data = event.startsWith('data:') ? event.slice(5).trim() : '';
    if (!data.startsWith('{')) return event;
    let chunk: Json;
    try {
      chunk = JSON.parse(data) as Json;
    } catch {
      return event;
    }
    const usage = usageFromWire(chunk.usage);
    if (usage) state.usage = usage;
    const choices = Array.isArray(chunk.choices) ? (chunk.choices as Json[]) : [];
    for (const c of choices) {
      const delta = (c.delta ?? {}) as Json;
      for (const key of ['content', 'reasoning_content', 'reasoning']) {
        const v = delta[key];
        if (typeof v === 'string') chars += v.length;
      }
      if (Array.isArray(delta.tool_calls))
        for (const t of delta.tool_calls as Json[]) {
          const args = (t.function as Json | undefined)?.arguments;
          if (typeof args === 'string') chars += args.length;
        }
    }
    state.outputTokens = Math.ceil(chars / 4);
    if (options.proceed && !options.proceed(state.outputTokens)) {
      state.stopped = true;
      return null;
    }
    if (!usage) return event;
    if (options.dropUsageChunk && choices.length === 0) return null;
    const cost = options.price?.(usage);
    if (cost === undefined || cost === null) return event;
    return `data: ${JSON.stringify({ ...chunk, usage: { ...(chunk.usage as Json), cost } })}`;
  };
  return {
    state,
    /** Takes raw stream text; returns the complete events to pass on. */
    push(text: string): string {
      buffered += text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
      let out = '';
      let end = buffered.indexOf('\n\n');
      while (end >= 0 && !state.stopped) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const passed = event.trim() ? look(event) : null;
        if (passed !== null) out += `${passed}\n\n`;
        end = buffered.indexOf('\n\n');
      }
      return out;
    },
    /** The stream ended: whatever was left. */
    end(): string {
      const rest = buffered.trim();
      buffered = '';
      const passed = rest && !state.stopped ? look(rest) : null;
      return passed !== null ? `${passed}\n\n` : '';
    },
  };
}
