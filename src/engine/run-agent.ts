import { APICallError, type LanguageModel, type ModelMessage, stepCountIs, streamText, type Tool } from 'ai';
import { RalexError } from '../errors.js';
import type { EventBody } from '../events/events.js';
import { abortError } from './abort-error.js';
import { createIdleTimer, type IdleTimer } from './idle-timer.js';
import { type ToolCallRecord, toSdkTools } from './to-sdk-tools.js';
import type { ToolGate } from './tool-gate.js';
import type { AgentTool, ToolContext } from './tools/agent-tool.js';

/** Everything one agent run needs. */
export interface AgentRunOptions {
  model: LanguageModel;
  system: string;
  messages: ModelMessage[];
  tools: readonly AgentTool[];
  toolContext: ToolContext;
  gate: ToolGate;
  maxSteps: number;
  /** A model stream silent for this long is abandoned (time spent in tools and approvals does not count). */
  idleTimeoutMs: number;
  signal: AbortSignal;
  emit: (body: EventBody) => void;
}

/** What the agent did: its final text, why it stopped, tokens used and the tools it called. */
export interface AgentRunResult {
  text: string;
  finishReason: string;
  steps: number;
  inputTokens: number | null;
  outputTokens: number | null;
  toolCalls: ToolCallRecord[];
  /** The assistant and tool messages of this run, to continue the conversation (e.g. after failed checks). */
  responseMessages: ModelMessage[];
}

/**
 * The built-in agent: an AI SDK tool loop with a step limit, streaming its text as `model.delta`
 * events. Cancellation (the signal) stops the model stream; a silent stream times out, where the
 * time a tool runs or an approval waits is not silence.
 */
export async function runAgent(options: AgentRunOptions): Promise<AgentRunResult> {
  const idle = new AbortController();
  const idleTimer = createIdleTimer(options.idleTimeoutMs, () => idle.abort());
  const toolCalls: AgentRunResult['toolCalls'] = [];
  let streamError: unknown = null;
  let text = '';
  let steps = 0;
  try {
    const result = streamText({
      model: options.model,
      system: options.system,
      messages: options.messages,
      tools: heldWhileRunning(
        toSdkTools(options.tools, options.toolContext, options.gate, options.emit, (c) => toolCalls.push(c)),
        idleTimer,
      ),
      stopWhen: stepCountIs(options.maxSteps),
      abortSignal: AbortSignal.any([options.signal, idle.signal]),
      // Retries, backoff and fallbacks happen in Ralex's metered model (src/models/metered-model.ts).
      maxRetries: 0,
      onError: ({ error }) => {
        streamError = error;
      },
    });
    let finishReason = 'unknown';
    let usage = { inputTokens: null as number | null, outputTokens: null as number | null };
    for await (const part of result.fullStream) {
      idleTimer.touch();
      if (part.type === 'text-delta') {
        text += part.text;
        options.emit({ type: 'model.delta', text: part.text });
      } else if (part.type === 'finish-step') {
        steps++;
        if (text && !text.endsWith('\n')) text += '\n'; // keep the text of separate steps apart
      } else if (part.type === 'finish') {
        finishReason = part.finishReason;
        usage = {
          inputTokens: part.totalUsage.inputTokens ?? null,
          outputTokens: part.totalUsage.outputTokens ?? null,
        };
      } else if (part.type === 'error') {
        streamError = part.error;
      }
    }
    if (options.signal.aborted) throw abortError(options.signal);
    if (idle.signal.aborted) throw idleTimeoutError(options.idleTimeoutMs);
    if (streamError) throw upstreamError(streamError);
    const responseMessages = (await result.response).messages;
    if (finishReason === 'tool-calls' && steps >= options.maxSteps) {
      text += `\n(Stopped after ${options.maxSteps} steps, the step limit.)`;
    }
    return { text: text.trim(), finishReason, steps, ...usage, toolCalls, responseMessages };
  } catch (error) {
    if (error instanceof RalexError) throw error;
    if (options.signal.aborted) throw abortError(options.signal);
    if (idle.signal.aborted) throw idleTimeoutError(options.idleTimeoutMs);
    throw upstreamError(error);
  } finally {
    idleTimer.stop();
  }
}

/** Wraps each tool so the idle timer is held from the policy check to the result (approval waits included). */
function heldWhileRunning(tools: Record<string, Tool>, timer: IdleTimer): Record<string, Tool> {
  return Object.fromEntries(
    Object.entries(tools).map(([name, t]) => {
      const execute = t.execute;
      if (!execute) return [name, t];
      const held: Tool = {
        ...t,
        execute: async (input, options) => {
          timer.hold();
          try {
            return await execute(input, options);
          } finally {
            timer.release();
          }
        },
      };
      return [name, held];
    }),
  );
}

function idleTimeoutError(ms: number): RalexError {
  return new RalexError(
    'upstream_timeout',
    `The model sent nothing for ${Math.round(ms / 1000)} s; the request was abandoned.`,
    {
      hint: 'Try again, pick another model, or raise engine.model_timeout_ms in preferences.yaml.',
    },
  );
}

/** Maps an AI SDK / provider failure to a RalexError that says what the upstream answered. */
export function upstreamError(error: unknown): RalexError {
  const cause = (error as { lastError?: unknown }).lastError ?? error;
  if (cause instanceof RalexError) return cause; // Ralex's own refusal, e.g. a budget reached mid-stream
  if (APICallError.isInstance(cause)) {
    const status = cause.statusCode;
    const code = status === 429 ? 'rate_limited' : 'upstream_error';
    return new RalexError(code, `The model provider answered ${status ?? 'an error'}: ${cause.message}`, {
      cause: error,
      details: { status, url: cause.url },
      hint: status === 429 ? 'The provider is rate limiting; wait a moment and try again.' : undefined,
    });
  }
  return new RalexError(
    'upstream_error',
    `The model request failed: ${(error as Error)?.message ?? String(error)}`,
    {
      cause: error,
    },
  );
}
