import type { Command } from 'commander';
import { action } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

/** `ralex budget`: spend, limits and what remains per budget window, and the latest model calls. */
export function registerBudgetCommand(program: Command): void {
  withProjectOption(
    program
      .command('budget')
      .description('show model spend and what remains of each budget')
      .option('--session <id>', 'include this session’s budget')
      .option('--json', 'print as JSON'),
  ).action(
    action(async (options: { project: string; session?: string; json?: boolean }) => {
      const [{ createRuntime }, { budgetStatus }, { limitWords }] = await Promise.all([
        import('../../runtime.js'),
        import('../../models/budget-status.js'),
        import('../../models/budget-windows.js'),
      ]);
      const rt = await createRuntime({ projectDir: options.project, probeOllama: false });
      try {
        const status = budgetStatus(
          { ledger: rt.models.ledger, meter: rt.models.meter, budgets: rt.config.preferences.budgets },
          { sessionId: options.session ?? null },
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(status)}\n`);
          return;
        }
        const usd = (n: number) => `$${n.toFixed(4)}`;
        const lines = status.windows.map((w) => {
          const what = `${w.period.padEnd(8)} ${usd(w.spent).padStart(10)} spent`;
          if (w.limit === null) return `${what}  (no limit; budgets.${w.period} sets one)`;
          const held = w.reserved > 0 ? `, ${usd(w.reserved)} held` : '';
          const reset = w.resetsAt ? `, resets ${w.resetsAt.slice(0, 16).replace('T', ' ')}` : '';
          return `${what} of ${limitWords(w.limit)} (${w.percent}%)${held} — ${usd(w.remaining ?? 0)} left${reset}`;
        });
        const calls = status.recent.map(
          (c) =>
            `  ${c.createdAt.slice(0, 19).replace('T', ' ')}  ${c.path.padEnd(12)} ${c.model.padEnd(36)} ${c.cost === null ? 'price unknown' : usd(c.cost)}${c.estimated ? ' (estimated)' : ''}${c.state === 'reserved' ? ' (under way)' : ''}`,
        );
        process.stdout.write(
          `${['Budgets (USD):', ...lines.map((l) => `  ${l}`), 'Latest model calls:', ...(calls.length ? calls : ['  none yet'])].join('\n')}\n`,
        );
      } finally {
        await rt.close();
      }
    }),
  );
}
