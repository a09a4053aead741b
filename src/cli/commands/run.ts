import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { CommandResult } from '../../command/command-result.js';
import type { RalexEvent } from '../../events/events.js';
import type { Runtime } from '../../runtime.js';
import { action, EXIT } from '../cli-output.js';
import { withProjectOption } from './project-option.js';
import { printRecovered } from './recovery-notice.js';
import { trustOnStart } from './trust.js';

const EXIT_OF_STATUS: Record<CommandResult['status'], number> = {
  succeeded: EXIT.ok,
  failed: EXIT.failed,
  denied: EXIT.denied,
  needs_input: EXIT.needsInput,
  cancelled: EXIT.cancelled,
};

/**
 * `ralex run "<text>" [--yes] [--json]`: one command through the same pipeline the server runs.
 * Progress streams to stderr (or every event as a JSON line with --json); the answer goes to
 * stdout. An approval is asked on the terminal, denied without one unless --yes.
 */
export function registerRunCommand(program: Command): void {
  withProjectOption(
    program
      .command('run')
      .description('run one command, e.g. ralex run "what changed"')
      .argument('<text...>', 'the command, as you would say it')
      .option('-y, --yes', 'approve every action that asks for approval')
      .option('--json', 'print events and the result as JSON lines, nothing else')
      .option('--session <id>', 'run in this session (default: a new one)')
      .option(
        '--model <provider:model>',
        'use this model instead of routing (an explicit choice always wins)',
      )
      .option(
        '--trust',
        "trust the project's .ralex/config/security_rules.yaml as it is now (see ralex trust)",
      ),
  ).action(
    action(
      async (
        words: string[],
        options: {
          project: string;
          yes?: boolean;
          json?: boolean;
          session?: string;
          model?: string;
          trust?: boolean;
        },
      ) => {
        const [{ createRuntime }, { runCommand }] = await Promise.all([
          import('../../runtime.js'),
          import('../../pipeline/pipeline.js'),
        ]);
        if (options.trust) await trustOnStart(options.project);
        const rt = await createRuntime({ projectDir: options.project });
        printRecovered(rt.recovered);
        const controller = new AbortController();
        const onSigint = () => controller.abort();
        process.once('SIGINT', onSigint);
        const commandId = rt.ids('cmd');
        const unsubscribe = rt.bus.subscribe((event) => {
          if (event.commandId !== commandId) return;
          if (options.json) process.stdout.write(`${JSON.stringify({ type: 'event', event })}\n`);
          else printProgress(event);
          if (event.type === 'approval.requested' && !options.yes) void answerOnTerminal(rt, event);
        });
        try {
          const result = await runCommand(
            {
              text: words.join(' '),
              commandId,
              sessionId: options.session,
              ...(options.model ? { model: options.model } : {}),
              source: 'cli',
              autoApprove: options.yes,
              signal: controller.signal,
            },
            rt,
          );
          if (options.json) process.stdout.write(`${JSON.stringify({ type: 'result', result })}\n`);
          else printResult(result);
          process.exitCode = EXIT_OF_STATUS[result.status];
        } finally {
          unsubscribe();
          process.off('SIGINT', onSigint);
          await rt.close();
        }
      },
    ),
  );
}

function printProgress(event: RalexEvent): void {
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

function printResult(result: CommandResult): void {
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

/** Asks y/N on a terminal; with no terminal the approval is denied at once, never left hanging. */
async function answerOnTerminal(rt: Runtime, event: Extract<RalexEvent, { type: 'approval.requested' }>) {
  if (!process.stdin.isTTY) {
    process.stderr.write(
      `  approval needed for ${event.detail} — denied: no terminal to ask on (use --yes to approve)\n`,
    );
    rt.approvals.answer(event.approvalId, false, 'cli: no terminal');
    return;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`  ${event.reason}\n  Allow: ${event.detail} ? [y/N] `);
    rt.approvals.answer(event.approvalId, /^y(es)?$/i.test(answer.trim()), 'cli');
  } finally {
    rl.close();
  }
}
