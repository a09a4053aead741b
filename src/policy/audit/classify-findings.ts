import { type AuditEvidence, entryRange } from './audit-evidence.js';
import type { AuditFinding, RecordedFinding } from './audit-findings.js';
import { compareHeadWithTable } from './compare-head.js';
import { keyFindings } from './key-findings.js';
import { legacyFindings } from './legacy-findings.js';
import { markFindings } from './mark-findings.js';
import { rowFindings } from './row-findings.js';

/**
 * Turns the evidence into findings, each saying what was found and where. A replaced table
 * is reported alone (everything in it fails for the same reason); other findings add up.
 */
export function classifyFindings(e: AuditEvidence): AuditFinding[] {
  const out = keyFindings(e);
  const at = (f: RecordedFinding, file: string): AuditFinding => ({ severity: 'tampered', file, ...f });
  if (!e.tableExists) {
    out.push({
      code: 'table_replaced',
      severity: 'tampered',
      file: e.database,
      message: 'The database has no audit_log table: it was dropped.',
    });
    return out;
  }
  const epochs = e.walk.notable.filter((v) => v.kind === 'epoch');
  const firstEpoch = e.walk.notable.find((v) => !v.legacy);
  const tail = e.walk.last ? { seq: e.walk.last.seq, mac: e.walk.last.mac, ts: e.walk.last.ts } : null;
  const headFound = compareHeadWithTable(
    e.head,
    {
      keyed: e.walk.keyedEntries > 0,
      trail: firstEpoch?.epoch?.trail ?? null,
      tail,
      highWater: e.highWater,
      macAt: (seq) => e.walk.macs.get(seq),
    },
    e.files.head,
  );
  const keyId = e.key.state === 'present' ? e.key.id : null;
  if (keyId && e.walk.keyedEntries > 0 && e.walk.keyedVerified === 0) {
    const other = firstEpoch?.epoch && firstEpoch.epoch.keyId !== keyId ? firstEpoch.epoch.keyId : null;
    out.push({
      code: 'table_replaced',
      severity: 'tampered',
      seq: firstEpoch?.seq,
      lastSeq: tail?.seq,
      file: e.database,
      message: `None of the ${e.walk.keyedEntries} keyed entries verifies with the key${other ? ` (the table names key ${other}; the key file is ${keyId})` : ''}: the audit table was replaced by one written without this key.`,
    });
  }
  const replacedByHead = headFound.find((f) => f.code === 'table_replaced');
  if (replacedByHead && !out.some((f) => f.code === 'table_replaced'))
    out.push(at(replacedByHead, e.files.head));
  if (out.some((f) => f.code === 'table_replaced')) {
    for (const f of headFound) if (f.code === 'head_edited') out.push(at(f, e.files.head));
    return out;
  }

  out.push(...legacyFindings(e, firstEpoch));
  const rekey = epochs.filter((v) => v.epoch?.reason === 'rekey' && v.contentOk === true).at(-1);
  const shadow = rekey?.seq ?? 0;
  if (rekey && firstEpoch) {
    out.push({
      code: 'key_replaced',
      severity: 'tampered',
      seq: firstEpoch.seq,
      lastSeq: rekey.seq - 1,
      file: e.files.key,
      message: `When Ralex opened the trail on ${rekey.ts} its key was missing, so it made a new one (entry #${rekey.seq}): ${entryRange(firstEpoch.seq, rekey.seq - 1)}, written with the old key, can no longer be checked.`,
    });
  }
  const explained: [number, number][] = [];
  for (const epoch of epochs) {
    if (epoch.contentOk !== true || epoch.seq < shadow) continue;
    for (const f of epoch.epoch?.found ?? []) {
      if (f.seq !== undefined) explained.push([f.seq, f.lastSeq ?? f.seq]);
      out.push({
        ...at(f, e.database),
        message: `${f.message} (Ralex found this on ${epoch.ts} and recorded it in entry #${epoch.seq}.)`,
      });
    }
  }
  const rows = rowFindings(e, shadow);
  const inside = (seq: number, spans: [number, number][]) => spans.some(([a, b]) => seq >= a && seq <= b);
  // The seqs a recorded truncation left out show as a gap once the chain goes on: one finding, not two.
  const gapExplained = (f: AuditFinding) =>
    f.code === 'row_deleted' && inside(f.seq ?? 0, explained) && inside(f.lastSeq ?? 0, explained);
  out.push(...rows.findings.filter((f) => !gapExplained(f)));
  for (const f of headFound) {
    if (f.code === 'head_mismatch' && f.seq !== undefined && (inside(f.seq, rows.covered) || f.seq < shadow))
      continue;
    out.push(at(f, e.files.head));
  }
  out.push(...markFindings(e, tail?.seq ?? 0, shadow, [...rows.covered, ...explained], out));
  return out.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}
