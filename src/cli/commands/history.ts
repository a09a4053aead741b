import type { Command } from 'commander';
import { action, EXIT } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

/** `ralex undo` and `ralex redo`: the same as saying "undo that" / "redo". */
export function registerHistoryCommands(program: Command): void {
  for (const [name, text] of [
    ['undo', 'undo that'],
    ['redo', 'redo'],
  ] as const) {
    withProjectOption(
      program
        .command(name)
        .description(`${name} the last change Ralex made`)
        .option('--json', 'print the result as JSON'),
    ).action(
      action(async (options: { project: string; json?: boolean }) => {
        const [{ createRuntime }, { runCommand }] = await Promise.all([
          import('../../runtime.js'),
          import('../../pipeline/pipeline.js'),
        ]);
        const rt = await createRuntime({ projectDir: options.project });
        try {
          const result = await runCommand({ text, source: 'cli' }, rt);
          if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
          else (result.status === 'succeeded' ? process.stdout : process.stderr).write(`${result.reply}\n`);
          process.exitCode = result.status === 'succeeded' ? EXIT.ok : EXIT.failed;
        } finally {
          await rt.close();
        }
      }),
    );
  }
}
