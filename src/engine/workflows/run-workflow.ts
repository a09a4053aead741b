import type { CommandResult } from '../../command/command-result.js';
import type { CommandRun } from '../../command/command-run.js';
import type { Workflow } from '../../config/workflows-schema.js';
import type { DirectOutcome } from '../direct/direct-action.js';

/** Runs one step as its own command in the same session (the pipeline, with every check). */
export type RunStep = (text: string) => Promise<CommandResult>;

const MARK: Record<string, string> = {
  succeeded: '✓',
  failed: '✗',
  denied: '⛔',
  cancelled: '■',
  needs_input: '?',
};

/**
 * Runs a workflow's steps in order, each a full command of its own that every client sees
 * (`workflow.step.started`/`finished` on the workflow's command, the step's own events on its
 * own), stopping at the first step that does not succeed unless it may fail.
 */
export async function runWorkflow(
  name: string,
  workflow: Workflow,
  run: CommandRun,
  runStep: RunStep,
): Promise<DirectOutcome> {
  const total = workflow.steps.length;
  const done: { text: string; result: CommandResult }[] = [];
  let stoppedAt: number | null = null;
  for (const [index, step] of workflow.steps.entries()) {
    if (run.signal.aborted) break;
    run.emit({ type: 'workflow.step.started', workflow: name, index, total, text: step.run });
    const result = await runStep(step.run);
    run.emit({
      type: 'workflow.step.finished',
      workflow: name,
      index,
      total,
      text: step.run,
      status: result.status,
      stepCommandId: result.commandId,
    });
    done.push({ text: step.run, result });
    if (result.status !== 'succeeded' && !step.continue_on_failure) {
      stoppedAt = index;
      break;
    }
  }
  const lines = done.map(
    ({ text, result }, i) => `${i + 1}. ${MARK[result.status] ?? '·'} **${text}** — ${result.spoken}`,
  );
  const skipped = workflow.steps
    .slice(done.length)
    .map((s, i) => `${done.length + i + 1}. · ${s.run} (not run)`);
  const failed = stoppedAt !== null;
  return {
    status: failed ? 'failed' : 'succeeded',
    reply: `Workflow "${name}" ${failed ? `stopped at step ${stoppedAt! + 1} of ${total}` : `finished: ${total} step${total === 1 ? '' : 's'}`}.\n${[...lines, ...skipped].join('\n')}`,
    spoken: failed
      ? `The ${name} workflow stopped at step ${stoppedAt! + 1}: ${done.at(-1)?.result.spoken ?? ''}`
      : `The ${name} workflow finished, all ${total} steps.`,
    filesChanged: [...new Set(done.flatMap((d) => d.result.filesChanged))],
    checks: done.flatMap((d) => d.result.checks),
  };
}
