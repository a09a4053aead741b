import type { Command } from 'commander';
import { action } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

/** `ralex models`: every model Ralex can route to, with window, prices, capabilities and what was learned. */
export function registerModelsCommand(program: Command): void {
  withProjectOption(
    program
      .command('models')
      .description('list the models: context window, prices, capabilities and learned success rates')
      .option('--json', 'print as JSON'),
  ).action(
    action(async (options: { project: string; json?: boolean }) => {
      const { createRuntime } = await import('../../runtime.js');
      const rt = await createRuntime({ projectDir: options.project });
      try {
        await rt.models.ready();
        const prefs = rt.config.preferences;
        const listed = (await rt.registry.list()).map((m) => m.id);
        const named = [
          prefs.models.default,
          ...prefs.models.fallbacks,
          ...prefs.routing.candidates,
          ...Object.keys(prefs.models.overrides),
        ];
        const ids = [...new Set([...named.filter((id): id is string => Boolean(id)), ...listed])];
        const stats = rt.models.stats.all();
        const models = ids.map((id) => {
          const info = rt.models.describe(id);
          const learned = Object.fromEntries(
            stats
              .filter((s) => s.model === id)
              .map((s) => {
                const n = s.successes + s.failures;
                return [
                  s.task,
                  {
                    successes: s.successes,
                    failures: s.failures,
                    rate: n ? Math.round((s.successes / n) * 1000) / 1000 : null,
                  },
                ];
              }),
          );
          return {
            ...info,
            listed: listed.includes(id),
            configured: Boolean(rt.registry.resolve(id)),
            learned,
          };
        });
        const out = {
          routing: {
            mode: prefs.routing.mode,
            weights: prefs.routing.weights,
            candidates: prefs.routing.candidates,
          },
          default: prefs.models.default ?? null,
          providers: rt.registry.status(),
          models,
        };
        if (options.json) {
          process.stdout.write(`${JSON.stringify(out)}\n`);
          return;
        }
        const price = (m: (typeof models)[number]) =>
          m.prices.input === null || m.prices.output === null
            ? 'price unknown'
            : `$${m.prices.input}/$${m.prices.output} per M (${m.priceSource})`;
        const lines = models.map((m) => {
          const window = m.contextWindow ? `${Math.round(m.contextWindow / 1000)}k` : '?';
          const caps = [
            m.tools ? 'tools' : m.tools === false ? 'no tools' : null,
            m.vision ? 'vision' : null,
            m.reasoning ? 'reasoning' : null,
          ]
            .filter(Boolean)
            .join(', ');
          const learned = Object.entries(m.learned)
            .map(
              ([task, s]) =>
                `${task} ${s.rate === null ? '-' : `${Math.round(s.rate * 100)}%`} of ${s.successes + s.failures}`,
            )
            .join('; ');
          return `  ${m.id.padEnd(40)} ${window.padStart(5)}  ${price(m).padEnd(34)} ${caps}${learned ? `  learned: ${learned}` : ''}${m.configured ? '' : '  (no provider)'}`;
        });
        process.stdout.write(
          `${[`Routing: ${out.routing.mode}${out.default ? `, default ${out.default}` : ''}`, `Models (${models.length}):`, ...(lines.length ? lines : ['  none: configure a provider (ralex doctor says how)'])].join('\n')}\n`,
        );
      } finally {
        await rt.close();
      }
    }),
  );
}
