import { z } from 'zod';

/** p50/p95 of one series, read from its histogram (within about 10%), and how many were timed. */
const LatencySchema = z.object({
  series: z.string(),
  n: z.number().int(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
});

/** Counts by label. */
const TallySchema = z.record(z.string(), z.number());

/**
 * `GET /api/dashboard`: what Ralex did over a range, from the store's statistics (so it
 * survives restarts and includes every process's commands). Time series are columnar — `t`
 * holds each bucket's start (Unix seconds), every other array one value per bucket.
 */
export const DashboardDataSchema = z.object({
  since: z.string(),
  until: z.string(),
  grain: z.enum(['hour', 'day']),
  generatedAt: z.string(),
  /** The last event id stored when this was read: follow `/ws?since=` from here for live updates. */
  lastEventId: z.number().int(),
  /** How many stored events were not yet counted (a store from before statistics, being counted). */
  backfillPending: z.number().int(),
  commands: z.object({
    total: z.number().int(),
    byStatus: TallySchema,
    byIntent: TallySchema,
    bySource: TallySchema,
    /** Per bucket: commands by outcome. */
    series: z.object({ t: z.array(z.number()) }).catchall(z.array(z.number())),
    /** Per bucket: commands by intent (the most frequent intents; the rest as `other`). */
    intentSeries: z.object({ t: z.array(z.number()) }).catchall(z.array(z.number())),
  }),
  latency: z.object({ stages: z.array(LatencySchema), command: LatencySchema }),
  models: z.object({
    rows: z.array(
      z.object({
        model: z.string(),
        commands: z.number(),
        inputTokens: z.number(),
        outputTokens: z.number(),
        /** USD; null while no price is known (the ledger is what knows prices). */
        cost: z.number().nullable(),
      }),
    ),
    /** Per bucket: tokens in and out, and cost (null per bucket while costs are unknown). */
    series: z.object({
      t: z.array(z.number()),
      input: z.array(z.number()),
      output: z.array(z.number()),
      cost: z.array(z.number().nullable()),
    }),
    /** Whether any cost was recorded in the range; the dashboard shows "—" otherwise. */
    costKnown: z.boolean(),
  }),
  /**
   * Every model call the ledger settled (every path: the agent, OpenCode, `ralex-auto`,
   * pass-through chats, summaries), by model and path, and per provider with its upstream errors
   * and latency. Cost counts only priced calls; `unpriced` says how many were not.
   */
  calls: z.object({
    total: z.number().int(),
    errors: z.number().int(),
    /** USD over the priced calls; null when no call in the range had a known price. */
    cost: z.number().nullable(),
    unpriced: z.number().int(),
    rows: z.array(
      z.object({
        model: z.string(),
        path: z.string(),
        calls: z.number().int(),
        errors: z.number().int(),
        inputTokens: z.number(),
        outputTokens: z.number(),
        cost: z.number().nullable(),
        /** Calls with a known price (the rest are not in `cost`). */
        priced: z.number().int(),
      }),
    ),
    providers: z.array(
      z.object({
        provider: z.string(),
        calls: z.number().int(),
        errors: z.number().int(),
        errorRate: z.number().nullable(),
        /** `http_429`, `http_503`, `network`, `timeout`, … */
        errorsByKind: TallySchema,
        /** Answered calls' time from sent to settled. */
        latency: LatencySchema,
      }),
    ),
    /** Per bucket: cost (null where no call was priced) and upstream errors. */
    series: z.object({
      t: z.array(z.number()),
      cost: z.array(z.number().nullable()),
      errors: z.array(z.number()),
    }),
  }),
  /** Cost per UTC day over the range (at least the last 7 days) beside the daily budget. */
  costPerDay: z.object({
    t: z.array(z.number()),
    cost: z.array(z.number().nullable()),
    dailyLimit: z.number().nullable(),
  }),
  /** The budget windows now (today, this week, this month), from the ledger; null when not read. */
  budgets: z
    .array(
      z.object({
        period: z.string(),
        window: z.string(),
        /** USD; null when no budget is set (spend is counted all the same). */
        limit: z.number().nullable(),
        spent: z.number(),
        /** Held by calls under way. */
        reserved: z.number(),
        remaining: z.number().nullable(),
        percent: z.number().nullable(),
        resetsAt: z.string().nullable(),
      }),
    )
    .nullable(),
  /**
   * Commands that ended with an error (by its code: no model, denied by the policy, …) and, apart,
   * those that failed without one (tests that fail, a file not found), by intent.
   */
  errors: z.object({
    total: z.number(),
    rate: z.number().nullable(),
    byCode: TallySchema,
    failedByIntent: TallySchema,
  }),
  tools: TallySchema,
  approvals: z.object({
    requested: z.number(),
    approved: z.number(),
    denied: z.number(),
    timedOut: z.number(),
    /** Mean wait from asked to answered, in ms; null when none was answered. */
    meanWaitMs: z.number().nullable(),
  }),
  checks: TallySchema,
  checkpoints: z.object({
    created: z.number(),
    restored: z.number(),
    /** What is kept now (from git; null when it could not be read). */
    kept: z.object({ count: z.number(), approxBytes: z.number(), oldest: z.string().nullable() }).nullable(),
  }),
  voice: z.object({
    /** Commands that came in as speech. */
    spoken: z.number(),
    /** Commands that ended asking the user something (which file? which one?). */
    asksBack: z.number(),
    /** Undo or cancel within two minutes of the command before it, by that command's source. */
    corrections: TallySchema,
    /** File names said or typed that matched no file (or several equally), by source. */
    unresolvedMentions: TallySchema,
  }),
  queued: z.number(),
});
/** What `GET /api/dashboard` answers. */
export type DashboardData = z.infer<typeof DashboardDataSchema>;
