import { type AuditEvidence, capitalize, entryRange } from './audit-evidence.js';
import type { AuditFinding } from './audit-findings.js';
import type { RowVerdict } from './verify-audit-chain.js';

/** Runs of consecutive keyed rows whose content does not verify, told apart as edits or rewrites. */
export function rowFindings(
  e: AuditEvidence,
  shadow: number,
): { findings: AuditFinding[]; covered: [number, number][] } {
  const rows = e.walk.notable.filter((v) => !v.legacy && v.seq >= shadow);
  const findings: AuditFinding[] = [];
  const covered: [number, number][] = [];
  const head = e.head.state === 'present' && e.head.verified ? e.head.head : null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as RowVerdict;
    if (row.gapBefore > 0) {
      const from = row.seq - row.gapBefore;
      findings.push({
        code: 'row_deleted',
        severity: 'tampered',
        seq: from,
        lastSeq: row.seq - 1,
        file: e.database,
        message: `${capitalize(entryRange(from, row.seq - 1))} ${row.gapBefore > 1 ? 'were' : 'was'} deleted from the middle of the audit table (it jumps from #${from - 1} to #${row.seq}).`,
      });
    }
    if (row.contentOk !== false) {
      const prevBad = covered.some(([, b]) => b === row.seq - 1);
      // The seal's link to the unkeyed entries is checked with them (legacy_broken).
      const sealLink = row.seq === rows[0]?.seq && e.walk.legacy.entries > 0 && shadow === 0;
      if (!row.linkOk && row.gapBefore === 0 && !prevBad && !sealLink) {
        findings.push({
          code: 'chain_spliced',
          severity: 'tampered',
          seq: row.seq,
          file: e.database,
          message: `Entry #${row.seq} verifies but does not follow entry #${row.seq - 1}: entries from different copies of the trail were spliced together.`,
        });
      }
      continue;
    }
    let j = i;
    while (j + 1 < rows.length) {
      const next = rows[j + 1] as RowVerdict;
      if (next.contentOk !== false || next.gapBefore > 0 || next.seq !== (rows[j] as RowVerdict).seq + 1)
        break;
      j += 1;
    }
    const run = rows.slice(i, j + 1);
    const last = rows[j] as RowVerdict;
    const after = rows[j + 1]?.seq === last.seq + 1 && rows[j + 1]?.gapBefore === 0 ? rows[j + 1] : undefined;
    const isTail = e.walk.last?.seq === last.seq;
    const endGenuine = after
      ? after.linkOk && after.contentOk === true
      : isTail && head?.seq === last.seq && head.mac === last.mac;
    const inPlace = endGenuine && run.slice(1).every((r) => r.linkOk);
    const notJson = run.filter((r) => !r.jsonOk).map((r) => `#${r.seq}`);
    const json = notJson.length ? ` (${notJson.join(', ')} no longer valid JSON)` : '';
    covered.push([row.seq, last.seq]);
    findings.push(
      inPlace
        ? {
            code: 'row_edited',
            severity: 'tampered',
            seq: row.seq,
            lastSeq: last.seq,
            file: e.database,
            message: `${capitalize(entryRange(row.seq, last.seq))} (${row.kind}, ${row.ts}) ${run.length > 1 ? 'were' : 'was'} edited: the content no longer matches the MAC, while the chain around still links to it${json}.`,
          }
        : {
            code: 'chain_recomputed',
            severity: 'tampered',
            seq: row.seq,
            lastSeq: last.seq,
            file: e.database,
            message: `${capitalize(entryRange(row.seq, last.seq))} ${run.length > 1 ? 'do' : 'does'} not verify with the key: ${run.length > 1 ? 'they were' : 'it was'} rewritten and the chain recomputed without the key${isTail ? ' (to the end of the table)' : ''}${json}.`,
          },
    );
    i = j;
  }
  return { findings, covered };
}
