import type { ChangeStore } from '../store/changes.js';
import type { CommandStore } from '../store/commands.js';
import type { Clock } from '../util/ids.js';
import { restoreCheckpoint } from './checkpoint/restore-checkpoint.js';

/** A command a crash cut off, and what start-up did about it. */
export interface RecoveredCommand {
  commandId: string;
  text: string;
  /** restored: the project is back at the command's checkpoint; kept: the partial change stays (on_crash: keep). */
  action: 'restored' | 'kept' | 'nothing to restore' | 'restore failed';
  files: string[];
  detail?: string;
}

/**
 * Crash recovery, run when Ralex starts: a command still marked running was cut off (kill -9,
 * power loss). Its change, if it had begun one, is restored to the checkpoint taken before it —
 * or kept, when `engine.on_crash: keep` — and both the command and the change are recorded as
 * interrupted. No half-applied edit is ever left silently.
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
    const change = deps.changes.byCommand(command.id);
    let entry: RecoveredCommand = {
      commandId: command.id,
      text: command.text,
      action: 'nothing to restore',
      files: [],
    };
    if (change?.state === 'running') {
      if (deps.keep) {
        entry = { ...entry, action: 'kept' };
      } else {
        try {
          const restored = await restoreCheckpoint(deps.root, change.checkpointId);
          entry = { ...entry, action: 'restored', files: restored.reverted.map((f) => f.path) };
        } catch (error) {
          entry = { ...entry, action: 'restore failed', detail: (error as Error).message };
        }
      }
      deps.changes.update(change.id, { state: 'interrupted' }, deps.clock().toISOString());
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
  switch (entry.action) {
    case 'restored':
      return entry.files.length
        ? `its partial change was rolled back (${entry.files.join(', ')})`
        : 'it had changed nothing';
    case 'kept':
      return 'its partial change was kept (engine.on_crash: keep); see "what changed"';
    case 'restore failed':
      return `rolling back its partial change failed: ${entry.detail}`;
    default:
      return 'it had not started changing files';
  }
}
