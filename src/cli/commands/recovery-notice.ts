import type { RecoveredCommand } from '../../engine/recover-interrupted.js';

/** Tells the user on stderr what start-up did about commands a crash had cut off. */
export function printRecovered(recovered: readonly RecoveredCommand[]): void {
  for (const r of recovered) {
    const files = r.files.length ? ` (${r.files.join(', ')})` : '';
    process.stderr.write(`ralex: "${r.text}" was cut off by a crash last time — ${r.action}${files}.\n`);
    for (const k of r.keptFiles) {
      process.stderr.write(
        `ralex:   kept ${k.path} as it is (${k.reason}); the earlier version: git show refs/ralex/checkpoints/${r.commandId}:${k.path}\n`,
      );
    }
  }
}
