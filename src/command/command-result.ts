import { z } from 'zod';
import { CandidateScoreSchema } from '../models/route-model.js';
import { IntentSchema } from './parsed-command.js';

/** How a command ended. */
export const CommandOutcomeSchema = z.enum(['succeeded', 'failed', 'denied', 'cancelled', 'needs_input']);

/** What Ralex read of the tests in one check run: the runner, counts, and what failed. */
export const CheckTestsSchema = z.object({
  /** The runner or format read (`tap`, `junit`, `go-json`, `pytest`, `unittest`, `mocha`, …). */
  runner: z.string(),
  /** `machine`: a report meant for programs (JUnit XML, JSON, TAP); `text`: the runner's own output. */
  format: z.enum(['machine', 'text']),
  passed: z.number(),
  failed: z.number(),
  skipped: z.number(),
  /** Failing tests by name (at most 20). */
  failing: z.array(z.string()),
  /** Failures outside any test: a file that did not load, a collection or build error (at most 10). */
  errors: z.array(z.string()),
});
/** What Ralex read of the tests in one check run. */
export type CheckTests = z.infer<typeof CheckTestsSchema>;

/** One check (tests, lint) that ran for a command, and its outcome. */
export const CheckOutcomeSchema = z.object({
  name: z.string(),
  command: z.string(),
  ok: z.boolean(),
  exitCode: z.number().nullable(),
  durationMs: z.number(),
  timedOut: z.boolean(),
  /** The tail of the output (ANSI codes stripped), enough to see why it failed. */
  output: z.string(),
  /** True when the check ran inside the bubblewrap sandbox. */
  sandboxed: z.boolean(),
  /** True when the check could reach the network (`checks.network: on`, or no sandbox). */
  network: z.boolean(),
  /** The tests Ralex read from the runner's output; null when it could not read the runner. */
  tests: CheckTestsSchema.nullable(),
  /** For a check after a change: whether the change is verified by it, and why. */
  verdict: z.object({ verified: z.boolean(), summary: z.string() }).optional(),
  /**
   * True for a baseline read from an earlier run on the same tree with the same test command
   * (engine/checks/baseline-cache.ts): the tests did not run again; `durationMs` is the look-up.
   */
  cached: z.boolean().optional(),
});

/** One retry or move to another model (429, 5xx, timeouts): in the result and as a `model.fallback` event. */
export const ModelHopSchema = z.object({
  model: z.string(),
  action: z.enum(['retry', 'next', 'give_up']),
  next: z.string().nullable(),
  reason: z.string(),
  waitMs: z.number(),
  attempt: z.number(),
});

/** What Ralex tells every client when a command ends: the respond stage's output. */
export const CommandResultSchema = z.object({
  commandId: z.string(),
  sessionId: z.string(),
  status: CommandOutcomeSchema,
  intent: IntentSchema.nullable(),
  /** The answer, in markdown. */
  reply: z.string(),
  /** One or two sentences to say aloud. */
  spoken: z.string(),
  /** Files the command referred to. */
  files: z.array(z.string()),
  /** Files the command changed. */
  filesChanged: z.array(z.string()),
  diff: z.string().nullable(),
  checks: z.array(CheckOutcomeSchema),
  commit: z.string().nullable(),
  model: z.string().nullable(),
  /** Why this model (and a note when it was picked because none was configured). */
  modelReason: z.string().nullable(),
  usage: z.object({ inputTokens: z.number().nullable(), outputTokens: z.number().nullable() }).nullable(),
  /** USD the command's model calls cost (0 without a model); null when a model's price is unknown. */
  cost: z.number().nullable(),
  /** True when a provider reported no usage and the cost is Ralex's estimate. */
  costEstimated: z.boolean().optional(),
  /** Retries and moves to another model on the way (429, 5xx, timeouts), in order. */
  modelHops: z.array(ModelHopSchema).optional(),
  /** How the model was chosen: the task type and the best-scored candidates (each factor's score), best first. */
  routing: z.object({ task: z.string(), candidates: z.array(CandidateScoreSchema) }).optional(),
  durationMs: z.number(),
  stages: z.array(z.object({ stage: z.string(), durationMs: z.number(), skipped: z.boolean() })),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).nullable(),
});
/** What Ralex tells every client when a command ends. */
export type CommandResult = z.infer<typeof CommandResultSchema>;
/** One check's outcome. */
export type CheckOutcome = z.infer<typeof CheckOutcomeSchema>;
/** How a command ended. */
export type CommandOutcome = z.infer<typeof CommandOutcomeSchema>;
