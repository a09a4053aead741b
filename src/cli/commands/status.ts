import type { Command } from 'commander';
import { checkpointStats } from '../../engine/checkpoint/checkpoint-stats.js';
import { DEFAULT_RETENTION } from '../../engine/checkpoint/prune-checkpoints.js';
import { action } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

/** `ralex status`: the project, recent sessions and commands, what was interrupted, and the providers. */
export function registerStatusCommand(program: Command): void {
  withProjectOption(
    program
      .command('status')
      .description('show recent commands, sessions and providers')
      .option('--json', 'print as JSON'),
  ).action(
    action(async (options: { project: string; json?: boolean }) => {
      const [{ createRuntime }, { stateSizes, formatBytes: size }] = await Promise.all([
        import('../../runtime.js'),
        import('../../retention/state-sizes.js'),
      ]);
      const rt = await createRuntime({ projectDir: options.project, probeOllama: false });
      try {
        const sessions = rt.sessions.list(5);
        const recent = sessions
          .flatMap((s) => rt.commands.listBySession(s.id, 5))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
          .slice(0, 10);
        const status = {
          project: rt.root,
          providers: rt.registry.providers.map((p) => ({ id: p.id, origin: p.origin })),
          defaultModel: rt.config.preferences.models.default ?? null,
          sessions: sessions.map((s) => ({ id: s.id, title: s.title, updatedAt: s.updatedAt })),
          recentCommands: recent.map((c) => ({
            id: c.id,
            text: c.text,
            status: c.status,
            intent: c.intent,
            at: c.createdAt,
          })),
          lastEventId: rt.bus.log.lastId(),
          recovered: rt.recovered,
          checkpoints: await checkpointStats(rt.root),
          sizes: stateSizes(rt),
          retention: rt.config.preferences.retention,
        };
        if (options.json) {
          process.stdout.write(`${JSON.stringify(status)}\n`);
          return;
        }
        const out = [
          ...rt.recovered.map(
            (r) =>
              `Recovered after a crash: "${r.text}" — ${r.action}${r.files.length ? ` (${r.files.join(', ')})` : ''}`,
          ),
          `Project: ${status.project}`,
          `Providers: ${status.providers.length ? status.providers.map((p) => `${p.id} (${p.origin})`).join(', ') : 'none (direct commands only)'}`,
          `Default model: ${status.defaultModel ?? 'first listed'}`,
          `Checkpoints kept: ${status.checkpoints.count}${status.checkpoints.count ? ` (about ${formatBytes(status.checkpoints.approxBytes)}, oldest ${status.checkpoints.oldest?.slice(0, 10)})` : ''}; limits ${DEFAULT_RETENTION.maxCount} checkpoints, ${DEFAULT_RETENTION.maxAgeDays} days, ${formatBytes(DEFAULT_RETENTION.maxTotalBytes)}`,
          `State: database ${size(status.sizes.databaseBytes)} (+ ${size(status.sizes.walBytes)} log): ${status.sizes.commands} commands, ${status.sizes.events} events, ${status.sizes.auditEntries} audit entries; ${status.sizes.sessionLogs} session logs (${size(status.sizes.sessionsBytes)})`,
          `Retention: events ${status.retention.events_days} days, audit ${status.retention.audit_days} days, session logs ${status.retention.sessions_days} days (ralex compact applies it now)`,
          `Recent commands:`,
          ...(recent.length
            ? recent.map(
                (c) =>
                  `  ${c.createdAt.slice(0, 19).replace('T', ' ')}  ${c.status.padEnd(10)} ${c.text.slice(0, 70)}`,
              )
            : ['  none yet']),
        ];
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        await rt.close();
      }
    }),
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
}
