import type { AuditFiles } from './audit-files.js';
import type { AuditFinding, RecordedFinding } from './audit-findings.js';
import type { HeadFileRead, HeadMark } from './audit-head.js';
import type { AuditKeyRead } from './audit-key.js';
import { compareHeadWithTable } from './compare-head.js';
import type { ChainWalk, RowVerdict } from './verify-audit-chain.js';

/** A head mark found in a markdown file, and whether its signature verifies. */
export interface FoundMark {
  file: string;
  mark: HeadMark;
  genuine: boolean;
}

/** Everything verification looked at. */
export interface AuditEvidence {
  files: AuditFiles;
  database: string;
  key: AuditKeyRead;
  head: HeadFileRead;
  tableExists: boolean;
  walk: ChainWalk;
  highWater: number;
  marks: FoundMark[];
}

const range = (a: number, b: number) => (a === b ? `entry #${a}` : `entries #${a} to #${b}`);
const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function keyFindings(e: AuditEvidence): AuditFinding[] {
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

function legacyFindings(e: AuditEvidence, firstEpoch: RowVerdict | undefined): AuditFinding[] {
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
  if (!seal) return [broken(`${cap(sealed)} were never sealed by the keyed trail: they were inserted.`)];
  if (seal.problem) {
    return [
      broken(
        `${cap(sealed)} were already broken when Ralex sealed them on ${firstEpoch.ts}: ${seal.problem}.`,
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
    return [broken(`${cap(sealed)} were changed since they were sealed: ${legacy.problem.message}.`)];
  return [];
}

/** Runs of consecutive keyed rows whose content does not verify, told apart as edits or rewrites. */
function rowFindings(
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
        message: `${cap(range(from, row.seq - 1))} ${row.gapBefore > 1 ? 'were' : 'was'} deleted from the middle of the audit table (it jumps from #${from - 1} to #${row.seq}).`,
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
            message: `${cap(range(row.seq, last.seq))} (${row.kind}, ${row.ts}) ${run.length > 1 ? 'were' : 'was'} edited: the content no longer matches the MAC, while the chain around still links to it${json}.`,
          }
        : {
            code: 'chain_recomputed',
            severity: 'tampered',
            seq: row.seq,
            lastSeq: last.seq,
            file: e.database,
            message: `${cap(range(row.seq, last.seq))} ${run.length > 1 ? 'do' : 'does'} not verify with the key: ${run.length > 1 ? 'they were' : 'it was'} rewritten and the chain recomputed without the key${isTail ? ' (to the end of the table)' : ''}${json}.`,
          },
    );
    i = j;
  }
  return { findings, covered };
}

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
      message: `When Ralex opened the trail on ${rekey.ts} its key was missing, so it made a new one (entry #${rekey.seq}): ${range(firstEpoch.seq, rekey.seq - 1)}, written with the old key, can no longer be checked.`,
    });
  }
  const explained: [number, number][] = [];
  for (const epoch of epochs) {
    if (epoch.contentOk !== true || epoch.seq < shadow) continue;
    for (const f of epoch.epoch?.found ?? []) {
      if (f.seq !== undefined) explained.push([f.seq, f.lastSeq ?? f.seq]);
      out.push({
        ...at(f, e.database),
        message: `${f.message} (Ralex found this when it opened the trail on ${epoch.ts}, and recorded it in entry #${epoch.seq}.)`,
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

/** Heads recorded in session logs and the security summary, compared with the chain. */
function markFindings(
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
