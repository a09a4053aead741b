import type { BudgetPreferences, RoutingPreferences } from '../config/models-schema.js';
import { RalexError } from '../errors.js';
import type { Clock, IdGenerator } from '../util/ids.js';
import type { OwnerProcess } from '../util/proc-stat.js';
import { type BudgetWindow, budgetWindows, limitWords, resetWords } from './budget-windows.js';
import { costOf, type ModelInfo, type TokenUsage } from './model-info.js';
import type { CallPath, ModelLedger } from './model-ledger.js';

/** A budget crossed 80% or 100% of its limit. */
export interface BudgetAlert {
  period: BudgetWindow['period'];
  window: string;
  level: 80 | 100;
  spent: number;
  limit: number;
  resetsAt: string | null;
  message: string;
}

/** What is about to be sent: model, path, the prompt's size, what it may produce, and whose it is. */
export interface CallPlan {
  path: CallPath;
  info: ModelInfo;
  inputTokens: number;
  /** Output tokens the request asks for at most (max_tokens); null when it does not say. */
  maxOutputTokens: number | null;
  /** A stream can be stopped when it reaches the budget; a single answer cannot, so it holds its worst case. */
  streaming: boolean;
  /** Answers asked for at once (`n`): each may write up to maxOutputTokens. */
  choices?: number;
  commandId: string | null;
  sessionId: string | null;
}

/** One metered call: reserved before it is sent, settled when it ends. */
export interface MeteredCall {
  readonly id: string;
  /** USD held for it. */
  readonly reserved: number;
  /** Output tokens the call must be limited to so the budget holds (null: no limit needed). */
  readonly outputCap: number | null;
  /** For streams: output so far (tokens, estimated); false means the budget is reached — stop now. */
  progress(outputTokens: number): boolean;
  /** The call ended: charge its usage (or, without usage, the estimate from what was seen). */
  finish(
    usage: TokenUsage | null,
    seen: { outputTokens: number },
    status?: 'ok' | 'stopped' | 'error' | 'cancelled',
  ): { cost: number | null; estimated: boolean };
  /** The call failed before any output: nothing is charged. `kind`: how (`http_503`, `network`, …). */
  release(error: string, kind?: string): void;
}

/** Meters every model call against the ledger and the budgets of preferences.yaml. */
export interface BudgetMeter {
  /** Reserves the call against every budget it is charged to; rejects with `budget_exceeded` when one has no room. */
  start(plan: CallPlan): Promise<MeteredCall>;
  /** The windows a call now would be charged to (for `ralex budget`). */
  windows(scope: { sessionId: string | null; queryId?: string }): BudgetWindow[];
}

/** Smallest output cap Ralex sets. */
const MIN_OUTPUT_TOKENS = 16;
/** A single answer whose size nobody states is held at this many output tokens at most. */
const DEFAULT_MAX_OUTPUT = 16_384;
/** Reported usage this many tokens under a quarter of Ralex's own count is still believed. */
const SLACK_TOKENS = 16;
/** Rounding slack in dollar comparisons, as the ledger's. */
const EPSILON = 1e-9;
/** Streams hold this many more output tokens each time they pass what they hold. */
const STREAM_STEP_TOKENS = 256;

/** Creates the meter over a ledger; `onAlert` hears each 80%/100% crossing once per window. */
export function createBudgetMeter(options: {
  ledger: ModelLedger;
  budgets: BudgetPreferences;
  routing: Pick<RoutingPreferences, 'expected_output_tokens'>;
  clock: Clock;
  ids: IdGenerator;
  owner: OwnerProcess;
  onAlert?: (alert: BudgetAlert, scope: { sessionId: string | null; commandId: string | null }) => void;
}): BudgetMeter {
  const { ledger, budgets, clock } = options;
  const now = () => clock().toISOString();
  const windowsFor = (scope: { sessionId: string | null; queryId?: string }) =>
    budgetWindows(clock(), { queryId: scope.queryId ?? 'none', sessionId: scope.sessionId }, budgets);

  /**
   * A refusal with 80% or more spent is the budget reached for the person asking, even when what was
   * spent stops short of the limit (the next request did not fit): say so once, as the 100% alert.
   */
  const alertRefused = (
    w: BudgetWindow,
    spent: number,
    scope: { sessionId: string | null; commandId: string | null },
  ) => {
    if (w.limit === null || w.period === 'query' || !options.onAlert) return;
    // A request too big for a budget mostly unspent is that request's problem (its refusal says so), not the budget's end.
    if (spent < w.limit * 0.8) return;
    if (!ledger.claimAlert(w.key, 100, now())) return;
    options.onAlert(
      {
        period: w.period,
        window: w.key,
        level: 100,
        spent,
        limit: w.limit,
        resetsAt: w.resetsAt,
        message: `Budget reached: ${w.period} $${spent.toFixed(4)} of ${limitWords(w.limit)}; model requests are refused (${resetWords(w, clock())}).`,
      },
      scope,
    );
  };

  /** Run once a call's charge is committed: says each 80%/100% crossing of a limited window once. */
  const alertAfter = (
    limited: BudgetWindow[],
    scope: { sessionId: string | null; commandId: string | null },
  ) => {
    if (!options.onAlert) return;
    const totals = ledger.totals(limited.map((w) => w.key));
    for (const w of limited) {
      const spent = totals.get(w.key)?.spent ?? 0;
      const limit = w.limit as number;
      for (const level of [100, 80] as const) {
        if (spent < (limit * level) / 100 - 1e-9) continue;
        if (ledger.claimAlert(w.key, level, now()))
          options.onAlert(
            {
              period: w.period,
              window: w.key,
              level,
              spent,
              limit,
              resetsAt: w.resetsAt,
              message: `${level === 100 ? 'Budget reached' : 'Budget 80% spent'}: ${w.period} $${spent.toFixed(4)} of ${limitWords(limit)} (${resetWords(w, clock())}).`,
            },
            scope,
          );
        break;
      }
    }
  };

  return {
    windows: windowsFor,
    async start(plan) {
      const id = orderedCallId(clock(), options.ids);
      const { input, output } = plan.info.prices;
      const priceKnown = input !== null && output !== null;
      const all = windowsFor({ sessionId: plan.sessionId, queryId: plan.commandId ?? id });
      // A call outside any command is its own query, the only call that window will ever hold:
      // its model_calls row already says what a window row would, so its limit is checked here and
      // no row is written (one fewer insert and update per call, and no row per chat kept forever).
      const own = plan.commandId === null ? all.find((w) => w.period === 'query') : undefined;
      const ownLimit = own?.limit ?? null;
      const windows = own ? all.filter((w) => w !== own) : all;
      const inputCost = priceKnown ? (plan.inputTokens * (input as number)) / 1e6 : 0;
      const perOutput = priceKnown ? (output as number) / 1e6 : 0;
      const modelMax = plan.info.maxOutput ?? DEFAULT_MAX_OUTPUT;
      const asked = plan.maxOutputTokens ?? null;
      // The estimate must fit, or the call is refused. A stream holds just that (and more as it goes,
      // stopped when no more fits); a single answer, which cannot be stopped, holds its worst case —
      // or, when only part of it fits, what is left, with its output capped to match.
      const expectedOutput = Math.min(
        asked ?? options.routing.expected_output_tokens,
        options.routing.expected_output_tokens,
        modelMax,
      );
      // `n` answers at once: every output token may be paid for once per answer.
      const choices = Math.max(1, Math.floor(plan.choices ?? 1));
      const perChoiceToken = perOutput * choices;
      const estimate = inputCost + expectedOutput * perChoiceToken;
      let amount = plan.streaming
        ? estimate
        : inputCost + Math.min(asked ?? modelMax, modelMax) * perChoiceToken;
      if (own && ownLimit !== null && amount - ownLimit > EPSILON) {
        // As the ledger does for a window: what is left (here the whole limit) if the estimate fits.
        if (ownLimit >= estimate && ownLimit > 0) amount = ownLimit;
        else throw budgetExceeded(own, 0, 0, estimate, clock());
      }
      const answer = await ledger.reserve({
        id,
        now: now(),
        path: plan.path,
        model: plan.info.id,
        commandId: plan.commandId,
        sessionId: plan.sessionId,
        windows,
        amount,
        atLeast: estimate,
        priceKnown,
        owner: options.owner,
      });
      if (!answer.ok) {
        // Calls still under way may yet cross it; with nothing held the budget is as spent as it gets.
        if (answer.reserved <= 0)
          alertRefused(answer.window, answer.spent, { sessionId: plan.sessionId, commandId: plan.commandId });
        throw budgetExceeded(answer.window, answer.spent, answer.reserved, estimate, clock());
      }
      // Output tokens per answer the hold pays for.
      const reservedOutput =
        perChoiceToken > 0 ? Math.floor((answer.amount - inputCost) / perChoiceToken) : null;
      // A single answer that cannot be stopped half-way is limited to what its hold pays for.
      const outputCap =
        priceKnown && reservedOutput !== null && reservedOutput < Math.min(asked ?? modelMax, modelMax)
          ? Math.max(MIN_OUTPUT_TOKENS, reservedOutput)
          : null;
      let held = answer.amount;
      // A stream's output is counted over all its answers.
      let heldTokens = reservedOutput === null ? Number.POSITIVE_INFINITY : reservedOutput * choices;
      let open = true;
      const started = performance.now();
      const scope = { sessionId: plan.sessionId, commandId: plan.commandId };
      const limited = options.onAlert ? windows.filter((w) => w.limit !== null && w.period !== 'query') : [];
      return {
        id,
        get reserved() {
          return held;
        },
        outputCap,
        progress(outputTokens) {
          if (!open || outputTokens <= heldTokens) return true;
          const step = Math.max(STREAM_STEP_TOKENS, outputTokens - heldTokens);
          if (ownLimit !== null && held + step * perOutput - ownLimit > EPSILON) return false;
          if (!ledger.extend(id, step * perOutput, now(), windows)) return false;
          held += step * perOutput;
          heldTokens += step;
          return true;
        },
        finish(usage, seen, status = 'ok') {
          if (!open) return { cost: null, estimated: false };
          open = false;
          const trusted = believable(usage, {
            inputTokens: plan.inputTokens,
            outputTokens: seen.outputTokens,
          });
          const used: TokenUsage = trusted ?? {
            inputTokens: plan.inputTokens,
            outputTokens: seen.outputTokens,
          };
          const cost = costOf(plan.info, used);
          ledger.settle(
            id,
            {
              now: now(),
              inputTokens: used.inputTokens,
              outputTokens: used.outputTokens,
              cachedTokens: used.cachedInputTokens ?? null,
              cost,
              estimated: trusted === null,
              status,
              latencyMs: Math.round(performance.now() - started),
            },
            limited.length ? () => alertAfter(limited, scope) : undefined,
          );
          return { cost, estimated: trusted === null };
        },
        release(error, kind) {
          if (!open) return;
          open = false;
          ledger.release(id, now(), 'error', error, kind);
        },
      };
    },
  };
}

let callSeq = 0;

/**
 * A call id that sorts by time (`call_<ms><seq>_<random>`): the ledger's index of ids then grows at
 * its end, where a random id would dirty a random page of it (written whole to the WAL) per call.
 */
function orderedCallId(now: Date, ids: IdGenerator): string {
  callSeq = (callSeq + 1) % 36 ** 3;
  const random = ids('call').replace(/^call_/, '');
  return `call_${now.getTime().toString(36)}${callSeq.toString(36).padStart(3, '0')}_${random}`;
}

/** The refusal: which budget, what remains, when it resets, what to do. */
function budgetExceeded(
  w: BudgetWindow,
  spent: number,
  reserved: number,
  needed: number,
  now: Date,
): RalexError {
  const limit = w.limit ?? 0;
  const remaining = Math.max(0, limit - spent - reserved);
  return new RalexError(
    'budget_exceeded',
    `This request would pass the ${w.period} budget: $${remaining.toFixed(4)} of ${limitWords(limit)} remains (spent $${spent.toFixed(4)}${reserved > 0 ? `, $${reserved.toFixed(4)} held by calls under way` : ''}), and it needs about $${needed.toFixed(4)}; ${resetWords(w, now)}.`,
    {
      details: {
        period: w.period,
        window: w.key,
        limit,
        spent,
        reserved,
        remaining,
        needed,
        resetsAt: w.resetsAt,
      },
      hint: `Wait for the budget to reset, choose a cheaper model, or raise budgets.${periodKey(w.period)} in .ralex/config/preferences.yaml.`,
    },
  );
}

function periodKey(period: BudgetWindow['period']): string {
  return period === 'query' ? 'per_query' : period === 'session' ? 'per_session' : period;
}

/**
 * The provider's usage when it can be believed: whole, non-negative counts, and not far below what
 * Ralex counted itself — the prompt it sent and the output it saw (a count under a quarter of
 * either is not believed). An upstream cannot refund a budget with negative tokens or undercharge
 * by reporting a fraction of what it read or wrote.
 */
function believable(usage: TokenUsage | null, counted: TokenUsage): TokenUsage | null {
  if (!usage) return null;
  const ok = (n: number | undefined) => n === undefined || (Number.isFinite(n) && n >= 0);
  if (!ok(usage.inputTokens) || !ok(usage.outputTokens) || !ok(usage.cachedInputTokens)) return null;
  // A few tokens of slack: a count of a handful of characters is a guess, not evidence.
  const under = (reported: number, own: number) => own / 4 - reported > SLACK_TOKENS;
  if (under(usage.outputTokens, counted.outputTokens) || under(usage.inputTokens, counted.inputTokens))
    return null;
  return usage;
}
