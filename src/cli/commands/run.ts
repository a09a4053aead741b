import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { RalexEvent } from '../../events/events.js';
import type { Runtime } from '../../runtime.js';
import { action } from '../cli-output.js';
import { exitCodeOf, printProgress, printResult } from '../run-output.js';
import { withProjectOption } from './project-option.js';
import { printRecovered } from './recovery-notice.js';
import { trustOnStart } from './trust.js';

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
          process.exitCode = exitCodeOf(result.status);
        } finally {
          unsubscribe();
          process.off('SIGINT', onSigint);
          await rt.close();
        }
      },
    ),
  );
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
