import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import type { RoutingPreferences } from '../config/models-schema.js';
import { RalexError } from '../errors.js';
import type { BudgetMeter, MeteredCall } from './budget-meter.js';
import type { ModelHealth } from './model-health.js';
import type { ModelInfo, TokenUsage } from './model-info.js';
import type { CallPath } from './model-ledger.js';
import { type CallFailure, onFailure, sleep } from './retry-policy.js';

/** One model the metered model may use, in order: the chosen one first, then the fallbacks. */
export interface MeteredCandidate {
  info: ModelInfo;
  load: () => Promise<LanguageModelV3>;
}

/** A hop: a retry of the same model or a move to the next candidate. */
export interface ModelHop {
  model: string;
  action: 'retry' | 'next' | 'give_up';
  next: string | null;
  reason: string;
  waitMs: number;
  attempt: number;
}

/** What the metered model did, for the result: the model that answered, the hops, the cost. */
export interface MeterReport {
  /** The model that answered last (`provider:model`). */
  model: string;
  hops: ModelHop[];
  /** USD over every call; null while any call's price is unknown. */
  cost: number | null;
  /** True when some call's usage was missing and its cost is Ralex's estimate. */
  estimated: boolean;
  calls: number;
}

/** Options of `meteredModel`. */
export interface MeteredModelOptions {
  candidates: readonly MeteredCandidate[];
  meter: BudgetMeter;
  health: ModelHealth;
  routing: Pick<RoutingPreferences, 'retries' | 'max_retry_wait_ms'>;
  scope: { path: CallPath; commandId: string | null; sessionId: string | null };
  /** Counts the tokens of a prompt's text. */
  countTokens: (text: string) => number;
  onHop?: (hop: ModelHop) => void;
}

/**
 * An AI SDK language model that meters and falls back: before each call it reserves the call's
 * estimated cost against the budgets (refusing when one would be passed, capping the output when
 * only part fits); a stream that reaches the budget is stopped; each call is settled with the
 * provider's usage (or, without it, the estimate, flagged). On 429/5xx/timeouts it retries with
 * backoff honouring `retry-after`, then moves on to the next candidate; models failing repeatedly
 * cool down. Every hop is reported.
 */
export function meteredModel(options: MeteredModelOptions): {
  model: LanguageModelV3;
  report: () => MeterReport;
} {
  const first = options.candidates[0];
  if (!first) throw new RalexError('no_model_configured', 'No model to call.');
  const report: MeterReport = { model: first.info.id, hops: [], cost: 0, estimated: false, calls: 0 };
  const loaded = new Map<string, Promise<LanguageModelV3>>();
  const load = (c: MeteredCandidate) => {
    let m = loaded.get(c.info.id);
    if (!m) {
      m = c.load();
      loaded.set(c.info.id, m);
    }
    return m;
  };
  const charge = (result: { cost: number | null; estimated: boolean }) => {
    report.calls++;
    report.cost = report.cost === null || result.cost === null ? null : report.cost + result.cost;
    report.estimated ||= result.estimated;
  };
  const hop = (h: ModelHop) => {
    report.hops.push(h);
    options.onHop?.(h);
  };

  /** Runs `attempt` on each candidate in turn, retrying as the policy says. */
  async function withFallbacks<T>(
    params: LanguageModelV3CallOptions,
    attempt: (model: LanguageModelV3, call: MeteredCall, info: ModelInfo) => Promise<T>,
  ): Promise<T> {
    const inputTokens = promptParts(params).reduce((sum, part) => sum + options.countTokens(part), 0);
    const order = [...options.candidates].sort(
      (a, b) =>
        Number(options.health.coolingMs(a.info.id) > 0) - Number(options.health.coolingMs(b.info.id) > 0),
    );
    let lastError: unknown = null;
    for (const [i, candidate] of order.entries()) {
      const next = order[i + 1]?.info.id ?? null;
      for (let tries = 1; ; tries++) {
        if (params.abortSignal?.aborted) throw params.abortSignal.reason ?? lastError;
        const call = await options.meter.start({
          path: options.scope.path,
          info: candidate.info,
          inputTokens,
          maxOutputTokens: params.maxOutputTokens ?? null,
          streaming: true,
          commandId: options.scope.commandId,
          sessionId: options.scope.sessionId,
        });
        try {
          const value = await attempt(await load(candidate), call, candidate.info);
          options.health.succeeded(candidate.info.id);
          report.model = candidate.info.id;
          return value;
        } catch (error) {
          call.release(
            error instanceof Error ? error.message : String(error),
            params.abortSignal?.aborted ? 'cancelled' : errorKind(error),
          );
          if (error instanceof RalexError || params.abortSignal?.aborted) throw error;
          lastError = error;
          const action = onFailure(failureOf(error), tries, options.routing);
          if (action.kind === 'fail') throw error;
          options.health.failed(candidate.info.id);
          if (action.kind === 'retry') {
            hop({
              model: candidate.info.id,
              action: 'retry',
              next: candidate.info.id,
              reason: action.reason,
              waitMs: action.waitMs,
              attempt: tries,
            });
            await sleep(action.waitMs, params.abortSignal);
            continue;
          }
          hop({
            model: candidate.info.id,
            action: next ? 'next' : 'give_up',
            next,
            reason: action.reason,
            waitMs: 0,
            attempt: tries,
          });
          break;
        }
      }
    }
    throw lastError;
  }

  const model: LanguageModelV3 = {
    specificationVersion: 'v3',
    provider: 'ralex',
    modelId: first.info.id,
    supportedUrls: {},
    async doGenerate(params) {
      return withFallbacks(params, async (m, call) => {
        const capped = call.outputCap ? { ...params, maxOutputTokens: call.outputCap } : params;
        const result = await m.doGenerate(capped);
        const text = result.content
          .map((c) => ('text' in c ? c.text : 'input' in c ? String(c.input) : ''))
          .join('');
        charge(call.finish(usageOf(result.usage), { outputTokens: Math.ceil(text.length / 4) }));
        return result;
      });
    },
    async doStream(params) {
      return withFallbacks(params, async (m, call) => {
        const stop = new AbortController();
        const signal = params.abortSignal ? AbortSignal.any([params.abortSignal, stop.signal]) : stop.signal;
        const capped = {
          ...params,
          abortSignal: signal,
          ...(call.outputCap ? { maxOutputTokens: call.outputCap } : {}),
        };
        const result = await m.doStream(capped);
        let chars = 0;
        let done = false;
        const settle = (usage: TokenUsage | null, status: 'ok' | 'stopped' | 'error' | 'cancelled') => {
          if (done) return;
          done = true;
          charge(call.finish(usage, { outputTokens: Math.ceil(chars / 4) }, status));
        };
        const stream = result.stream.pipeThrough(
          new TransformStream<LanguageModelV3StreamPart, LanguageModelV3StreamPart>({
            transform(part, controller) {
              if (
                part.type === 'text-delta' ||
                part.type === 'reasoning-delta' ||
                part.type === 'tool-input-delta'
              )
                chars += part.delta.length;
              if (part.type === 'finish') settle(usageOf(part.usage), 'ok');
              if (!done && !call.progress(Math.ceil(chars / 4))) {
                settle(null, 'stopped');
                stop.abort();
                controller.enqueue({ type: 'error', error: budgetStop(call) });
                controller.terminate();
                return;
              }
              controller.enqueue(part);
            },
            flush() {
              settle(null, params.abortSignal?.aborted ? 'cancelled' : 'error');
            },
          }),
        );
        return { ...result, stream };
      });
    },
  };
  return { model, report: () => ({ ...report, hops: [...report.hops] }) };
}

function budgetStop(call: MeteredCall): RalexError {
  return new RalexError('budget_exceeded', 'The model was stopped: its answer reached the budget.', {
    details: { call: call.id, held: call.reserved },
    hint: 'Raise the budget in .ralex/config/preferences.yaml (budgets), or wait for it to reset.',
  });
}

/** The provider's usage, or null when it reported none. */
function usageOf(u: LanguageModelV3Usage | undefined): TokenUsage | null {
  const input = u?.inputTokens?.total;
  const output = u?.outputTokens?.total;
  if (input === undefined && output === undefined) return null;
  return {
    inputTokens: input ?? 0,
    outputTokens: output ?? 0,
    cachedInputTokens: u?.inputTokens?.cacheRead ?? 0,
  };
}

/** A prompt's texts, each counted apart (a counter that remembers knows the steady ones: tools, system prompt). */
function promptParts(params: LanguageModelV3CallOptions): string[] {
  const parts: string[] = [];
  for (const m of params.prompt) {
    if (typeof m.content === 'string') parts.push(m.content);
    else for (const c of m.content) parts.push('text' in c ? c.text : JSON.stringify(c));
  }
  for (const t of params.tools ?? []) parts.push(JSON.stringify(t));
  return parts;
}

/** How a call failed, in a word for the statistics: `http_<status>`, `timeout`, `network`, or Ralex's error code. */
export function errorKind(error: unknown): string {
  if (error instanceof RalexError) return error.code;
  if (isApiCallError(error) && error.statusCode) return `http_${error.statusCode}`;
  const text = `${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? ''}`;
  return /timeout|timed out/i.test(text) ? 'timeout' : 'network';
}

/** A thrown provider error as the retry policy sees it. */
function failureOf(error: unknown): CallFailure {
  // The AI SDK's APICallError, recognised by shape: importing `ai` here would load the SDK for direct commands too.
  if (isApiCallError(error))
    return {
      status: error.statusCode ?? null,
      headers: error.responseHeaders,
      message: error.message,
      transient: error.isRetryable,
    };
  return { status: null, message: (error as Error)?.message ?? String(error), transient: true };
}

function isApiCallError(error: unknown): error is {
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  message: string;
  isRetryable: boolean;
} {
  return (
    typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AI_APICallError'
  );
}
