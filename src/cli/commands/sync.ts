import type { Command } from 'commander';
import { action, EXIT } from '../cli-output.js';
import { withProjectOption } from './project-option.js';

type Options = { project: string; json?: boolean; remote?: string };

/**
 * `ralex sync [--json] [--remote NAME]`: syncs memory (`.ralex/context/`) and session logs with
 * the project's remote now, through refs/ralex/memory. Exit 1 when the remote failed (the local
 * commit is kept), 0 otherwise.
 */
export function registerSyncCommand(program: Command): void {
  withProjectOption(
    program
      .command('sync')
      .description("sync Ralex's memory and session logs with the project's remote (refs/ralex/memory)")
      .option('--remote <name>', 'the remote (default: context.sync_remote, origin, or the only remote)')
      .option('--json', 'print one JSON object'),
  ).action(
    action(async (options: Options) => {
      const [{ requireGitProject }, { syncMemory }, { loadConfig }, { ralexPaths }] = await Promise.all([
        import('../../project/open-project.js'),
        import('../../context/sync/sync-memory.js'),
        import('../../config/load-config.js'),
        import('../../project/ralex-paths.js'),
      ]);
      const { root } = await requireGitProject(options.project);
      const prefs = loadConfig(ralexPaths(root)).preferences.context;
      const r = await syncMemory(root, { remote: options.remote ?? prefs.sync_remote });
      process.exitCode = r.remoteError ? EXIT.failed : EXIT.ok;
      if (options.json) {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      const lines = [
        r.remote
          ? `Synced with ${r.remote}${r.pushed ? ' (pushed)' : ''}.`
          : 'No remote: memory committed locally to refs/ralex/memory only.',
        ...(r.sent.length ? [`  sent: ${r.sent.join(', ')}`] : []),
        ...(r.received.length ? [`  received: ${r.received.join(', ')}`] : []),
        ...(r.merged.length ? [`  merged: ${r.merged.join(', ')}`] : []),
        ...(r.conflicts.length
          ? [
              `  CONFLICTS (both versions kept, flagged at the top of the file): ${r.conflicts.map((c) => `.ralex/${c}`).join(', ')}`,
            ]
          : []),
        ...(r.commit === null && !r.received.length ? ['  already up to date'] : []),
        ...(r.remoteError ? [`  the remote failed: ${r.remoteError}`] : []),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }),
  );
}
