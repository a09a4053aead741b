import type { Command } from 'commander';
import { RalexError } from '../../errors.js';
import { action, EXIT } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

type Options = { project: string; json?: boolean; budget?: string; session?: string };

/**
 * `ralex context [--json] [--budget N] [--session ID] "<text>"`: the context package the pipeline
 * would send with that command — items in rank order with kind, path, tokens, score and
 * reasons, totals and what was left out. No model is called.
 */
export function registerContextCommand(program: Command): void {
  withProjectOption(
    program
      .command('context')
      .description('show the context Ralex would send with a command (no model call)')
      .argument('<text...>', 'the command, as you would say it')
      .option('--json', 'print one JSON object')
      .option('--budget <tokens>', 'token budget (default: context.max_tokens from preferences)')
      .option('--session <id>', 'as if said in this session (its earlier commands and files count)'),
  ).action(
    action(async (words: string[], options: Options) => {
      const budget = options.budget === undefined ? undefined : Number(options.budget);
      if (budget !== undefined && (!Number.isInteger(budget) || budget < 100)) {
        throw new RalexError(
          'bad_request',
          `--budget must be a whole number of tokens, at least 100 (got "${options.budget}").`,
          {
            hint: 'For example: ralex context --budget 8000 "explain the cache"',
          },
        );
      }
      const [{ createRuntime }, { previewContext }, { openProjectIndex }, { printContext }] =
        await Promise.all([
          import('../../runtime.js'),
          import('../../pipeline/context.js'),
          import('../../context/index/project-index.js'),
          import('../context-output.js'),
        ]);
      const rt = await createRuntime({ projectDir: options.project, probeOllama: false });
      // A short process: the index is brought up to date once, not watched.
      const index = openProjectIndex(rt.root, { stateDir: rt.paths.stateDir });
      try {
        const preview = await previewContext(rt, words.join(' '), {
          budget,
          sessionId: options.session,
          index,
        });
        printContext(preview, options.json ?? false);
        process.exitCode = EXIT.ok;
      } finally {
        index.close();
        await rt.close();
      }
    }),
  );
}
