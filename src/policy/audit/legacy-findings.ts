import { type AuditEvidence, capitalize } from './audit-evidence.js';
import type { AuditFinding } from './audit-findings.js';
import type { RowVerdict } from './verify-audit-chain.js';

/** The older, unkeyed entries: unsealed yet, or changed since the keyed epoch sealed them. */
export function legacyFindings(e: AuditEvidence, firstEpoch: RowVerdict | undefined): AuditFinding[] {
  const { legacy } = e.walk;
  if (legacy.entries === 0) return [];
  const broken = (message: string): AuditFinding => ({
    code: 'legacy_broken',
    severity: 'tampered',
    seq: legacy.problem?.seq ?? 1,
    file: e.database,
    message,
  });
  if (!firstEpoch) {
    const out: AuditFinding[] = [
      {
        code: 'legacy_unsealed',
        severity: 'unverifiable',
        file: e.database,
        message: `The trail is the older, unkeyed kind (${legacy.entries} entries): anyone who can write the database could have recomputed it. Start Ralex once in this project (e.g. \`ralex status\`) to check it and seal it with a key.`,
      },
    ];
    if (legacy.problem) out.push(broken(`The unkeyed trail is broken: ${legacy.problem.message}.`));
    return out;
  }
  const seal = firstEpoch.epoch?.reason === 'seal-legacy' ? firstEpoch.epoch.legacy : undefined;
  const sealed = `the ${legacy.entries} unkeyed entries before #${firstEpoch.seq}`;
  if (!seal)
    return [broken(`${capitalize(sealed)} were never sealed by the keyed trail: they were inserted.`)];
  if (seal.problem) {
    return [
      broken(
        `${capitalize(sealed)} were already broken when Ralex sealed them on ${firstEpoch.ts}: ${seal.problem}.`,
      ),
    ];
  }
  if (seal.entries !== legacy.entries || seal.head !== legacy.head) {
    return [
      broken(
        `The unkeyed entries sealed by entry #${firstEpoch.seq} were changed since: it sealed ${seal.entries} entries ending in ${seal.head.slice(0, 16)}…, the table now has ${legacy.entries} ending in ${(legacy.head ?? '').slice(0, 16)}…${legacy.problem ? ` (${legacy.problem.message})` : ''}.`,
      ),
    ];
  }
  if (legacy.problem)
    return [broken(`${capitalize(sealed)} were changed since they were sealed: ${legacy.problem.message}.`)];
  return [];
}
