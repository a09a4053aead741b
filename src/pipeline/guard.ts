import type { CommandRun } from '../command/command-run.js';
import type { ParsedCommand } from '../command/parsed-command.js';
import { RalexError } from '../errors.js';
import { resetWords } from '../models/budget-windows.js';
import type { PolicyDecision } from '../policy/decision.js';
import { strictest } from '../policy/decision.js';
import type { Runtime } from '../runtime.js';

/**
 * The guard stage: may this command go ahead? Every file the command refers to must pass the
 * path policy for reading (inside the project; secrets need approval), and a mention that names
 * a path outside the project is refused. What the agent then writes or runs is checked per
 * tool call, in the execute stage.
 */
export function guard(parsed: ParsedCommand, rt: Pick<Runtime, 'policy'>): PolicyDecision {
  const decisions = parsed.files.map((file) => rt.policy.checkPath(file, { write: false }));
  for (const mention of parsed.mentions) {
    if (mention.resolved || !looksLikePath(mention.spoken)) continue;
    const check = rt.policy.checkPath(mention.spoken, { write: false });
    if (check.decision === 'deny') decisions.push(check);
  }
  return strictest(decisions, {
    decision: 'allow',
    rule: 'default:command',
    reason: parsed.direct
      ? 'A direct command inside the project.'
      : 'A request for the agent; each tool call is checked again.',
  });
}

function looksLikePath(text: string): boolean {
  return /[/\\~]|^\.\.?$/.test(text);
}

/**
 * The budget pre-check: a command that needs a model is refused before any work when a budget
 * that covers it (this session, today, this week, this month) is already spent, saying what
 * remains and when it resets. Each model call is still checked on its own (src/models/budget-meter.ts).
 */
export function checkBudgets(
  parsed: ParsedCommand,
  run: CommandRun,
  rt: Pick<Runtime, 'models' | 'clock'>,
): void {
  if (parsed.direct || parsed.intent === 'workflow') return;
  const windows = rt.models.meter
    .windows({ sessionId: run.sessionId })
    .filter((w) => w.limit !== null && w.period !== 'query');
  if (!windows.length) return;
  const totals = rt.models.ledger.totals(windows.map((w) => w.key));
  for (const w of windows) {
    const t = totals.get(w.key);
    const used = (t?.spent ?? 0) + (t?.reserved ?? 0);
    if (used < (w.limit as number)) continue;
    throw new RalexError(
      'budget_exceeded',
      `The ${w.period} budget is spent: $${(t?.spent ?? 0).toFixed(4)} of $${(w.limit as number).toFixed(2)}; ${resetWords(w, rt.clock())}. Direct commands (run the tests, what changed, show a file) still work.`,
      {
        details: {
          period: w.period,
          window: w.key,
          limit: w.limit,
          spent: t?.spent ?? 0,
          remaining: 0,
          resetsAt: w.resetsAt,
        },
        hint: `Wait for it to reset, or raise budgets.${w.period === 'session' ? 'per_session' : w.period} in .ralex/config/preferences.yaml.`,
      },
    );
  }
}
