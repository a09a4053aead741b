import type { ChangeStore } from '../store/changes.js';
import type { CommandStore } from '../store/commands.js';
import type { Clock } from '../util/ids.js';
import { isOwnerAlive } from '../util/proc-stat.js';
import type { KeptFile } from './attribution/roll-back-writes.js';
import { rollBackAgentWrites } from './attribution/roll-back-writes.js';
import { openWorkTreeSnapshots } from './attribution/work-tree-snapshots.js';

/** A command a crash cut off, and what start-up did about it. */
export interface RecoveredCommand {
  commandId: string;
  text: string;
  /** restored: what it wrote is back as before; kept: the partial change stays (on_crash: keep). */
  action: 'restored' | 'kept' | 'nothing to restore' | 'restore failed';
  files: string[];
  /** Files left as they are because someone changed them after the command wrote them. */
  keptFiles: KeptFile[];
  detail?: string;
}

/**
 * Crash recovery, run when Ralex starts: a command still marked running whose Ralex process is
 * gone was cut off (kill -9, power loss; a command another live Ralex process is running is left
 * alone). What it wrote is put back — only what it wrote, and only where it is still as it left
 * it: a file the user edited after the crash is kept and named, its earlier version staying in the
 * checkpoint — or kept, when `engine.on_crash: keep`. The command and the change are recorded as
 * interrupted. No half-applied edit is ever left silently, and no edit of the user's is lost.
 */
export async function recoverInterrupted(deps: {
  root: string;
  commands: CommandStore;
  changes: ChangeStore;
  clock: Clock;
  keep: boolean;
}): Promise<RecoveredCommand[]> {
  const recovered: RecoveredCommand[] = [];
  for (const command of deps.commands.listByStatus('running')) {
    if (command.owner && isOwnerAlive(command.owner)) continue;
    const change = deps.changes.byCommand(command.id);
    let entry: RecoveredCommand = {
      commandId: command.id,
      text: command.text,
      action: 'nothing to restore',
      files: [],
      keptFiles: [],
    };
    if (change?.state === 'running') {
      if (deps.keep) {
        entry = { ...entry, action: 'kept' };
      } else {
        try {
          const snapshots = await openWorkTreeSnapshots(deps.root);
          try {
            const report = await rollBackAgentWrites({
              snapshots,
              checkpointTree: change.beforeTree,
              writes: deps.changes.writes(change.id),
              pendingTree: change.pendingTree,
            });
            entry = { ...entry, action: 'restored', files: report.restored, keptFiles: report.kept };
          } finally {
            await snapshots.close();
          }
        } catch (error) {
          entry = { ...entry, action: 'restore failed', detail: (error as Error).message };
        }
      }
      deps.changes.update(change.id, { state: 'interrupted', pendingTree: null }, deps.clock().toISOString());
    }
    deps.commands.finish(command.id, 'failed', deps.clock().toISOString(), {
      error: {
        code: 'interrupted',
        message: `Ralex stopped while this command was running; ${describe(entry)}.`,
      },
    });
    recovered.push(entry);
  }
  return recovered;
}

function describe(entry: RecoveredCommand): string {
  const kept = entry.keptFiles.length
    ? `; kept as they are now: ${entry.keptFiles.map((k) => `${k.path} (${k.reason})`).join(', ')}`
    : '';
  switch (entry.action) {
    case 'restored':
      return entry.files.length
        ? `what it had written was rolled back (${entry.files.join(', ')})${kept}`
        : `it had changed nothing${kept}`;
    case 'kept':
      return 'its partial change was kept (engine.on_crash: keep); see "what changed"';
    case 'restore failed':
      return `rolling back its partial change failed: ${entry.detail}`;
    default:
      return 'it had not started changing files';
  }
}
