import { z } from 'zod';
import { CheckTestsSchema, ModelHopSchema } from '../command/command-result.js';
import { ParsedCommandSchema } from '../command/parsed-command.js';
import { CandidateScoreSchema } from '../models/route-model.js';

/**
 * The one union of events Ralex publishes. Names are `noun.action`; streams use
 * start/delta/finish. The bus carries these domain events; the WebSocket, SSE and
 * OpenAI layers decide their own wire shapes.
 */

/** The pipeline's stages, in the order `pipeline/pipeline.ts` runs them. */
export const StageNameSchema = z.enum([
  'parse',
  'guard',
  'context',
  'enhance',
  'route',
  'execute',
  'record',
  'respond',
]);
/** One pipeline stage name. */
export type StageName = z.infer<typeof StageNameSchema>;

/** Where a command came from. */
export const CommandSourceSchema = z.enum(['cli', 'api', 'openai', 'ws', 'voice', 'workflow']);
/** Where a command came from. */
export type CommandSource = z.infer<typeof CommandSourceSchema>;

const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...shape });

/** The payload of every event, before the bus gives it an id and a time. */
export const EventBodySchema = z.discriminatedUnion('type', [
  ev('session.created', { title: z.string() }),
  ev('command.accepted', { text: z.string(), source: CommandSourceSchema }),
  /** A change command waits for the repository's change lock: another change is running. */
  ev('command.queued', { behindCommandId: z.string(), behindText: z.string() }),
  ev('stage.started', { stage: StageNameSchema }),
  ev('stage.finished', { stage: StageNameSchema, durationMs: z.number(), summary: z.string() }),
  ev('stage.skipped', { stage: StageNameSchema, reason: z.string() }),
  ev('command.parsed', { parsed: ParsedCommandSchema }),
  ev('guard.decided', {
    decision: z.enum(['allow', 'ask', 'deny']),
    rule: z.string(),
    reason: z.string(),
  }),
  ev('context.packed', {
    /** The items, in rank order: what each is, where from, its size, score and why it was chosen. */
    sources: z.array(
      z.object({
        kind: z.string(),
        ref: z.string(),
        tokens: z.number(),
        path: z.string().optional(),
        score: z.number().optional(),
        reasons: z.array(z.string()).optional(),
      }),
    ),
    tokens: z.number(),
    budget: z.number(),
    /** Candidates left out, best first, and why. */
    omitted: z
      .array(
        z.object({
          kind: z.string(),
          ref: z.string(),
          tokens: z.number(),
          score: z.number(),
          reason: z.string(),
        }),
      )
      .optional(),
    /** What happened to the index on the way (rebuilt, files skipped). */
    notes: z.array(z.string()).optional(),
  }),
  ev('model.selected', {
    model: z.string(),
    reasoning: z.string(),
    estimatedCost: z.number().nullable(),
    fallbacks: z.array(z.string()),
    /** How it was chosen: scored by the router, or named (preferences, the request). */
    mode: z.enum(['routed', 'explicit']).optional(),
    /** The task type routed by, e.g. `fix_bug/hard`. */
    task: z.string().optional(),
    /** Every candidate's scores, best first. */
    candidates: z.array(CandidateScoreSchema).optional(),
    /** The prompt's tokens as counted, and the output expected. */
    promptTokens: z.number().optional(),
    expectedOutputTokens: z.number().optional(),
  }),
  /** A model call failed and Ralex tries again (`retry`) or moves to the next candidate (`next`). */
  ev('model.fallback', ModelHopSchema.shape),
  /** Spend crossed 80% or 100% of a budget (once per budget window). */
  ev('budget.alert', {
    period: z.enum(['query', 'session', 'daily', 'weekly', 'monthly']),
    window: z.string(),
    level: z.union([z.literal(80), z.literal(100)]),
    spent: z.number(),
    limit: z.number(),
    resetsAt: z.string().nullable(),
    message: z.string(),
  }),
  ev('model.delta', { text: z.string() }),
  ev('model.finished', {
    model: z.string(),
    inputTokens: z.number().nullable(),
    outputTokens: z.number().nullable(),
    finishReason: z.string(),
  }),
  ev('tool.started', {
    callId: z.string(),
    tool: z.string(),
    input: z.unknown(),
    /** The policy's decision on this call (after approval, when it asked). */
    decision: z.enum(['allow', 'ask', 'deny']),
    rule: z.string(),
    reason: z.string(),
  }),
  ev('tool.finished', {
    callId: z.string(),
    tool: z.string(),
    ok: z.boolean(),
    output: z.string(),
    durationMs: z.number(),
  }),
  ev('approval.requested', {
    approvalId: z.string(),
    action: z.string(),
    detail: z.string(),
    reason: z.string(),
    expiresAt: z.string(),
  }),
  ev('approval.resolved', {
    approvalId: z.string(),
    outcome: z.enum(['approved', 'denied', 'timed_out']),
    by: z.string(),
  }),
  ev('check.started', { name: z.string(), command: z.string() }),
  ev('check.finished', {
    name: z.string(),
    ok: z.boolean(),
    exitCode: z.number().nullable(),
    durationMs: z.number(),
    output: z.string(),
    /** Whether the check ran in the sandbox, and whether it could reach the network. */
    sandboxed: z.boolean(),
    network: z.boolean(),
    /** What Ralex read of the tests; null when it could not read the runner. */
    tests: CheckTestsSchema.nullable(),
    /** A baseline known from an earlier run on the same tree and test command: not run again. */
    cached: z.boolean().optional(),
  }),
  ev('checkpoint.created', { checkpointId: z.string(), label: z.string(), files: z.number() }),
  ev('checkpoint.restored', {
    checkpointId: z.string(),
    reason: z.string(),
    files: z.array(z.string()),
    /** Files left as they are: someone else changed them (the checkpoint keeps the earlier version). */
    kept: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
  }),
  ev('change.committed', {
    sha: z.string(),
    message: z.string(),
    files: z.array(z.string()),
    /** Files the user changed while the command ran: not part of the commit, left as they are. */
    userFiles: z.array(z.string()).optional(),
  }),
  ev('change.kept', { files: z.array(z.string()), reason: z.string() }),
  ev('change.undone', {
    changeId: z.string(),
    files: z.array(z.string()),
    revertCommit: z.string().nullable(),
  }),
  ev('change.redone', { changeId: z.string(), files: z.array(z.string()), commit: z.string().nullable() }),
  ev('session.paused', { reason: z.string() }),
  ev('workflow.step.started', {
    workflow: z.string(),
    index: z.number(),
    total: z.number(),
    text: z.string(),
  }),
  ev('workflow.step.finished', {
    workflow: z.string(),
    index: z.number(),
    total: z.number(),
    text: z.string(),
    status: z.string(),
    stepCommandId: z.string(),
  }),
  ev('command.finished', { result: z.record(z.string(), z.unknown()) }),
  ev('command.failed', { code: z.string(), message: z.string(), hint: z.string().optional() }),
]);
/** An event's payload, before the bus assigns its id and time. */
export type EventBody = z.infer<typeof EventBodySchema>;
/** Event type names, e.g. `tool.started`. */
export type EventType = EventBody['type'];

/** Where an event belongs: the session and, for pipeline events, the command. */
export interface EventScope {
  sessionId: string;
  commandId: string | null;
}

/** A published event: monotonic id (from the event log), ISO time, scope and payload. */
export type RalexEvent = EventBody & EventScope & { id: number; ts: string };

/** Narrows an event union member by its type name. */
export type EventOf<T extends EventType> = Extract<RalexEvent, { type: T }>;
