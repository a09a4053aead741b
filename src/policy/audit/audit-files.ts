import { join } from 'node:path';

/** The two files beside the database that the keyed audit trail relies on. */
export interface AuditFiles {
  /** `.ralex/state/audit.key`: 32 random bytes, mode 0600, never in the database, never logged. */
  key: string;
  /** `.ralex/state/audit.head`: the chain's last entry (seq, MAC, time), itself MAC'd with the key. */
  head: string;
}

/** The audit files in a project's state directory (`.ralex/state`). */
export function auditFilesIn(stateDir: string): AuditFiles {
  return { key: join(stateDir, 'audit.key'), head: join(stateDir, 'audit.head') };
}
