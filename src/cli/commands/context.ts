import type { Command } from 'commander';
import type { ContextPackage } from '../../context/context-package.js';
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
      const [
        { createRuntime },
        { parseCommand },
        { contextRequest, contextSources },
        { buildContext },
        { openProjectIndex },
      ] = await Promise.all([
        import('../../runtime.js'),
        import('../../pipeline/parse/parse-command.js'),
        import('../../pipeline/context.js'),
        import('../../context/build-context.js'),
        import('../../context/index/project-index.js'),
      ]);
      const rt = await createRuntime({ projectDir: options.project, probeOllama: false });
      const index = openProjectIndex(rt.root, { stateDir: rt.paths.stateDir });
      try {
        const text = words.join(' ');
        const parsed = parseCommand(text, { matcher: await rt.fileNames.matcher() });
        const command = { text, request: parsed.request, intent: parsed.intent, files: parsed.files };
        if (parsed.direct || parsed.intent === 'workflow') {
          const why = 'A direct command needs no model: the pipeline sends no context with it.';
          if (options.json)
            process.stdout.write(`${JSON.stringify({ command, direct: true, reason: why, items: [] })}\n`);
          else process.stdout.write(`"${text}" is ${parsed.intent}. ${why}\n`);
          return;
        }
        const req = contextRequest(parsed, null, options.session ?? null, rt);
        const pkg = await buildContext(budget ? { ...req, budget } : req, await contextSources(rt, index));
        if (options.json) process.stdout.write(`${JSON.stringify({ command, ...pkg })}\n`);
        else process.stdout.write(human(command, pkg));
        process.exitCode = EXIT.ok;
      } finally {
        index.close();
        await rt.close();
      }
    }),
  );
}

function human(command: { text: string; intent: string }, pkg: ContextPackage): string {
  const out = [
    `Context for "${command.text}" (${command.intent}): ${pkg.items.length} items, ${pkg.tokens}/${pkg.budget} tokens`,
  ];
  pkg.items.forEach((item, i) => {
    out.push(
      `${String(i + 1).padStart(3)}. ${item.kind.padEnd(12)} ${item.ref}  ${item.tokens} tokens, score ${item.score}`,
      `       ${item.reasons.join('; ')}`,
    );
  });
  if (pkg.omitted.length) {
    out.push(`Left out (${pkg.omitted.length}):`);
    for (const o of pkg.omitted.slice(0, 8)) out.push(`  - ${o.ref} (score ${o.score}): ${o.reason}`);
  }
  if (pkg.stats) {
    const t = Object.entries(pkg.stats.timings)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ');
    out.push(
      `Index: ${pkg.stats.files} files (${pkg.stats.indexed} with content), ${pkg.stats.updatedFiles} updated; ${t}`,
      ...pkg.stats.notes,
    );
  }
  return `${out.join('\n')}\n`;
}
