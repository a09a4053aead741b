import type { CommandResult } from '../command/command-result.js';
import type { CommandRun } from '../command/command-run.js';
import type { ParsedCommand } from '../command/parsed-command.js';
import type { CommandCost } from '../models/command-cost.js';
import type { ExecutionOutcome } from './execute.js';
import { spokenSummary } from './spoken-summary.js';

/** Stage timings gathered while the command ran. */
export type StageTimings = CommandResult['stages'];

/** The respond stage: the short result every client shows and says — text, spoken line, files, diff, model, checks. */
export function respond(
  parsed: ParsedCommand,
  outcome: ExecutionOutcome,
  run: CommandRun,
  timing: { startedAt: number; stages: StageTimings },
  spend: CommandCost = { cost: 0, estimated: false, calls: 0, unpriced: [] },
): CommandResult {
  const unpriced = spend.unpriced.length
    ? ` Price unknown for ${spend.unpriced.join(', ')}: not in the cost or the budgets (set models.overrides in preferences.yaml).`
    : '';
  const base = {
    commandId: run.id,
    sessionId: run.sessionId,
    status: outcome.status ?? 'succeeded',
    intent: parsed.intent,
    reply: outcome.reply,
    files: outcome.files ?? parsed.files,
    filesChanged: outcome.filesChanged ?? [],
    diff: outcome.diff ?? null,
    checks: outcome.checks ?? [],
    commit: outcome.commit ?? null,
    model: outcome.model,
    modelReason: outcome.modelReason === null ? null : `${outcome.modelReason}${unpriced}`,
    usage: outcome.usage,
    cost: spend.cost,
    ...(spend.estimated ? { costEstimated: true } : {}),
    ...(outcome.modelHops?.length ? { modelHops: outcome.modelHops } : {}),
    ...(outcome.routing?.candidates.length ? { routing: outcome.routing } : {}),
    durationMs: Math.round(performance.now() - timing.startedAt),
    stages: timing.stages,
    error: null,
  };
  return { ...base, spoken: outcome.spoken ?? spokenSummary(base) };
}
