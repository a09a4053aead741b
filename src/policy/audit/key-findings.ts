import type { AuditEvidence } from './audit-evidence.js';
import type { AuditFinding } from './audit-findings.js';

/** What the key file says: missing or unusable (nothing can be checked), or readable by others. */
export function keyFindings(e: AuditEvidence): AuditFinding[] {
  const file = e.files.key;
  if (e.key.state === 'invalid') {
    return [
      {
        code: 'key_invalid',
        severity: 'unverifiable',
        file,
        message: `The audit key cannot be used: ${e.key.problem}. No MAC can be checked until it is restored from a backup of .ralex/state/.`,
      },
    ];
  }
  if (e.key.state === 'missing') {
    if (e.walk.keyedEntries === 0) return [];
    return [
      {
        code: 'key_missing',
        severity: 'unverifiable',
        file,
        message: `The audit key ${file} is missing. Without it no MAC can be checked, so an edited or rewritten trail cannot be told from an intact one (${e.walk.keyedEntries} keyed entries). Restore it from a backup of .ralex/state/ if there is one; otherwise Ralex makes a new key at its next start and records in the trail that the entries before cannot be checked.`,
      },
    ];
  }
  if (e.key.looseMode) {
    return [
      {
        code: 'key_permissions',
        severity: 'warning',
        file,
        message: `The audit key ${file} has mode 0${e.key.looseMode.toString(8)}: others on this machine can read it and forge entries. Ralex sets it to 0600 at its next start (or run \`chmod 600 ${file}\`).`,
      },
    ];
  }
  return [];
}
