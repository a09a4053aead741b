import type { Command } from 'commander';
import type { StandardsChoice } from '../../standards/choose-standards.js';
import { action, EXIT } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

type Options = { project: string; json?: boolean };

/**
 * `ralex standards [--json] "<text>"`: the coding standards the pipeline would send with that
 * command and why each was chosen — the languages of the files in play, the frameworks of the
 * manifests, the complexity, the intent, your preferences — and those left out, with why. No
 * model is called.
 */
export function registerStandardsCommand(program: Command): void {
  withProjectOption(
    program
      .command('standards')
      .description('show the coding standards Ralex would choose for a command, and why')
      .argument('<text...>', 'the command, as you would say it')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (words: string[], options: Options) => {
      const [
        { createRuntime },
        { parseCommand },
        { contextRequest, contextSources, projectMemoryFor },
        { buildContext },
        { openProjectIndex },
        guidance,
      ] = await Promise.all([
        import('../../runtime.js'),
        import('../../pipeline/parse/parse-command.js'),
        import('../../pipeline/context.js'),
        import('../../context/build-context.js'),
        import('../../context/index/project-index.js'),
        import('../../pipeline/context-guidance.js'),
      ]);
      const rt = await createRuntime({ projectDir: options.project, probeOllama: false });
      const index = openProjectIndex(rt.root, { stateDir: rt.paths.stateDir });
      try {
        const text = words.join(' ');
        const parsed = parseCommand(text, { files: await rt.files.list() });
        const command = {
          text,
          request: parsed.request,
          intent: parsed.intent,
          complexity: parsed.complexity,
          files: parsed.files,
        };
        if (parsed.direct || parsed.intent === 'workflow') {
          const why = 'A direct command needs no model: the pipeline sends no standards with it.';
          if (options.json)
            process.stdout.write(`${JSON.stringify({ command, direct: true, reason: why, selected: [] })}\n`);
          else process.stdout.write(`"${text}" is ${parsed.intent}. ${why}\n`);
          return;
        }
        if (!rt.config.preferences.standards.enabled) {
          const why = 'standards.enabled is false in preferences.yaml: no standards are sent.';
          if (options.json)
            process.stdout.write(
              `${JSON.stringify({ command, disabled: true, reason: why, selected: [] })}\n`,
            );
          else process.stdout.write(`${why}\n`);
          return;
        }
        // The same files in play as the pipeline's: the context is built, and the choice kept.
        const memory = await projectMemoryFor(rt);
        const sources = await contextSources(rt, index);
        let choice: StandardsChoice | undefined;
        let inPlay: string[] = [];
        const pkg = await buildContext(contextRequest(parsed, null, null, rt), {
          ...sources,
          docs: undefined,
          standards: async (g) => {
            inPlay = g.files.map((f) => f.path);
            choice = await guidance.chooseStandardsFor(rt, memory, { ...g, files: inPlay });
            return guidance.standardsGuidance(rt, memory, g);
          },
        });
        const c = choice!;
        const packed = new Map(pkg.items.filter((i) => i.kind === 'standards').map((i) => [i.ref, i]));
        const result = {
          command,
          files: inPlay,
          languages: Object.fromEntries(c.profile.languages),
          frameworks: [...c.profile.frameworks.keys()],
          security: c.profile.security,
          selected: c.selected.map((s) => {
            const item = packed.get(s.standard.source);
            return {
              id: s.standard.id,
              title: s.standard.title,
              description: s.standard.description,
              source: s.standard.source,
              origin: s.standard.origin,
              score: s.score,
              reasons: s.reasons,
              included: !item
                ? 'left out'
                : item.reasons.some((r) => r.startsWith('its description only'))
                  ? 'description'
                  : 'full',
              tokens: item?.tokens ?? 0,
            };
          }),
          skipped: c.skipped,
          available: c.available,
          notes: c.notes,
        };
        if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else process.stdout.write(human(result));
        process.exitCode = EXIT.ok;
      } finally {
        index.close();
        await rt.close();
      }
    }),
  );
}

function human(r: {
  command: { text: string; intent: string; complexity: number };
  files: string[];
  selected: {
    title: string;
    source: string;
    score: number;
    reasons: string[];
    included: string;
    tokens: number;
  }[];
  skipped: { source: string; reason: string }[];
  available: number;
  notes: string[];
}): string {
  const out = [
    `Standards for "${r.command.text}" (${r.command.intent}, complexity ${r.command.complexity}): ${r.selected.length} of ${r.available}`,
    `Files in play: ${r.files.join(', ') || '(none)'}`,
  ];
  r.selected.forEach((s, i) => {
    out.push(
      `${String(i + 1).padStart(3)}. ${s.title} (${s.source}) score ${s.score}, ${s.included}${s.tokens ? `, ${s.tokens} tokens` : ''}`,
    );
    out.push(`       ${s.reasons.join('; ')}`);
  });
  const own = r.skipped.filter((s) => !s.source.startsWith('builtin:'));
  if (own.length) {
    out.push(`Left out (${own.length}):`);
    for (const s of own.slice(0, 10)) out.push(`  - ${s.source}: ${s.reason}`);
  }
  out.push(...r.notes);
  return `${out.join('\n')}\n`;
}
