import type { CommandResult } from '../command/command-result.js';
import type { RalexEvent } from '../events/events.js';
import { EXIT } from './cli-output.js';

// What `ralex run` prints, in process or as the thin client of `ralex serve`: kept free of heavy
// imports, since the thin client loads it on every run.

const EXIT_OF_STATUS: Record<CommandResult['status'], number> = {
  succeeded: EXIT.ok,
  failed: EXIT.failed,
  denied: EXIT.denied,
  needs_input: EXIT.needsInput,
  cancelled: EXIT.cancelled,
};

/** The exit code of `ralex run` for a result's status. */
export function exitCodeOf(status: CommandResult['status']): number {
  return EXIT_OF_STATUS[status] ?? EXIT.failed;
}

/** Prints one line of progress on stderr for the events a person follows (stages, tools, checks, models). */
export function printProgress(event: RalexEvent): void {
  const line = (() => {
    switch (event.type) {
      case 'stage.finished':
        return `  ${event.stage.padEnd(8)} ${String(Math.round(event.durationMs)).padStart(5)} ms  ${event.summary}`;
      case 'stage.skipped':
        return `  ${event.stage.padEnd(8)}     –     ${event.reason}`;
      case 'tool.started':
        return `  → ${event.tool} ${JSON.stringify(event.input).slice(0, 120)}`;
      case 'check.started':
        return `  running ${event.command} …`;
      case 'command.queued':
        return `  waiting: another change is running ("${event.behindText}")`;
      case 'model.selected':
        return `  model    ${event.model} — ${event.reasoning}`;
      case 'model.fallback':
        return `  model    ${event.model} failed (${event.reason}); ${event.action === 'retry' ? `retrying in ${Math.round(event.waitMs / 100) / 10} s` : event.next ? `trying ${event.next}` : 'no model left'}`;
      case 'budget.alert':
        return `  budget   ${event.message}`;
      case 'checkpoint.restored':
        return event.kept?.length
          ? `  rolled back; kept as you left them: ${event.kept.map((k) => `${k.path} (${k.reason})`).join(', ')}`
          : null;
      default:
        return null;
    }
  })();
  if (line) process.stderr.write(`${line}\n`);
}

/** Prints the reply (stdout on success, stderr otherwise) and a line of status, model, tokens, cost and time. */
export function printResult(result: CommandResult): void {
  const stream =
    result.status === 'succeeded' || result.status === 'needs_input' ? process.stdout : process.stderr;
  stream.write(`${result.reply.trimEnd()}\n`);
  const meta = [
    result.model ? `model ${result.model}` : null,
    result.usage ? `${(result.usage.inputTokens ?? 0) + (result.usage.outputTokens ?? 0)} tokens` : null,
    result.model && result.cost !== null
      ? `$${result.cost.toFixed(4)}${result.costEstimated ? ' (estimated)' : ''}`
      : null,
    `${result.durationMs} ms`,
  ].filter(Boolean);
  process.stderr.write(`  (${result.status}; ${meta.join(', ')})\n`);
  if (result.modelReason?.startsWith('No default')) process.stderr.write(`  ${result.modelReason}\n`);
}
