import type { AuditEvidence } from './audit-evidence.js';
import type { AuditFinding } from './audit-findings.js';

/** Heads recorded in session logs and the security summary, compared with the chain. */
export function markFindings(
  e: AuditEvidence,
  tailSeq: number,
  shadow: number,
  explained: [number, number][],
  sofar: AuditFinding[],
): AuditFinding[] {
  const out: AuditFinding[] = [];
  const marks = e.marks.filter((m) => m.mark.seq >= shadow);
  const forged = marks.filter((m) => !m.genuine);
  const genuine = marks.filter((m) => m.genuine);
  const inside = (seq: number) => explained.some(([a, b]) => seq >= a && seq <= b);
  const ahead = genuine.filter((m) => m.mark.seq > tailSeq).sort((a, b) => b.mark.seq - a.mark.seq)[0];
  const endKnown = sofar.some(
    (f) => (f.code === 'truncated' || f.code === 'older_copy') && (f.lastSeq ?? 0) >= (ahead?.mark.seq ?? 0),
  );
  if (ahead && !endKnown) {
    const cut = e.highWater > tailSeq;
    out.push({
      code: cut ? 'truncated' : 'older_copy',
      severity: 'tampered',
      seq: tailSeq + 1,
      lastSeq: ahead.mark.seq,
      file: ahead.file,
      message: `${ahead.file} recorded audit entry #${ahead.mark.seq}, but the table ends at #${tailSeq}: ${cut ? 'entries were deleted from the end of the table' : 'the database and its head file are an older copy put back (the whole state directory was restored)'}.`,
    });
  }
  const mismatched = genuine.filter((m) => {
    const mac = e.walk.macs.get(m.mark.seq);
    return (
      m.mark.seq <= tailSeq && mac !== undefined && !mac.startsWith(m.mark.prefix) && !inside(m.mark.seq)
    );
  });
  const first = mismatched[0];
  if (first) {
    const now = (e.walk.macs.get(first.mark.seq) ?? '').slice(0, 16);
    out.push({
      code: 'head_mismatch',
      severity: 'tampered',
      seq: first.mark.seq,
      file: first.file,
      message: `${mismatched.length} recorded head${mismatched.length > 1 ? 's do' : ' does'} not match the chain: ${first.file} recorded entry #${first.mark.seq} as ${first.mark.prefix}…, the table's entry #${first.mark.seq} is ${now}…. The chain was rewritten after it was recorded.`,
    });
  }
  if (forged[0]) {
    out.push({
      code: 'forged_mark',
      severity: 'warning',
      file: forged[0].file,
      message: `${forged.length} line${forged.length > 1 ? 's' : ''} that look like audit head marks ${forged.length > 1 ? 'were' : 'was'} not written by Ralex (first in ${forged[0].file}): text a model wrote into a reply, or a mark made under an earlier key. Ignored.`,
    });
  }
  return out;
}
