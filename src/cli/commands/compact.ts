import type { Command } from 'commander';
import { action } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

type Options = { project: string; json?: boolean; dryRun?: boolean; vacuum?: boolean };

/**
 * `ralex compact [--dry-run] [--vacuum] [--json]`: applies `retention.*` now — the event log,
 * the audit trail (behind a sealed epoch that `ralex audit verify` checks), old session logs and
 * hourly statistics — and says what went. `--vacuum` then gives the freed space back to the disk.
 */
export function registerCompactCommand(program: Command): void {
  withProjectOption(
    program
      .command('compact')
      .description(
        "drop Ralex's records older than retention.* in preferences.yaml (events, audit, session logs)",
      )
      .option('--dry-run', 'say what would go, change nothing')
      .option('--vacuum', 'then shrink the database file (VACUUM; briefly blocks other Ralex processes)')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (options: Options) => {
      const [{ createRuntime }, { compactState }, { stateSizes, formatBytes }] = await Promise.all([
        import('../../runtime.js'),
        import('../../retention/compact-state.js'),
        import('../../retention/state-sizes.js'),
      ]);
      const rt = await createRuntime({ projectDir: options.project, probeOllama: false });
      try {
        const report = compactState(rt, { dryRun: options.dryRun });
        if (options.vacuum && !options.dryRun) rt.db.exec('VACUUM');
        const sizes = stateSizes(rt);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ ...report, sizes })}\n`);
          return;
        }
        const would = report.dryRun ? 'would go' : 'removed';
        const lines = [
          `Events before ${report.events.before.slice(0, 10)}: ${report.events.deleted} ${would}.`,
          `Audit entries before ${report.audit.before.slice(0, 10)}: ${report.audit.dropped} ${report.dryRun ? 'would go' : 'dropped behind a sealed compaction epoch'}${report.audit.findings ? ` (${report.audit.findings} problems found in them, kept in the epoch)` : ''}.`,
          `Session logs not written to since ${report.sessions.before.slice(0, 10)}: ${report.sessions.removed.length} ${would}${report.sessions.removed.length ? ` (${report.sessions.removed.join(', ')})` : ''}.`,
          `Hourly statistics before ${report.statsHourly.before.slice(0, 10)}: ${report.statsHourly.deleted} rows ${would} (daily ones are kept).`,
          `Model ledger before ${report.ledger.before.slice(0, 10)}: ${report.ledger.calls} finished calls and ${report.ledger.windows} budget windows ${would} (their cost stays in the daily statistics).`,
          `Now: database ${formatBytes(sizes.databaseBytes)} (+ ${formatBytes(sizes.walBytes)} log), session logs ${formatBytes(sizes.sessionsBytes)}.`,
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        await rt.close();
      }
    }),
  );
}
