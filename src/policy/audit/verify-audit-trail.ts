import { z } from 'zod';
import type { Db } from '../../store/database.js';
import type { FoundMark } from './audit-evidence.js';
import type { AuditFiles } from './audit-files.js';
import { AuditFindingSchema } from './audit-findings.js';
import { AuditHeadSchema, readHeadFile } from './audit-head.js';
import { readAuditKey } from './audit-key.js';
import { classifyFindings } from './classify-findings.js';
import { compactionBase } from './compaction-base.js';
import { scanHeadMarks } from './scan-head-marks.js';
import { type AuditRow, walkAuditChain } from './verify-audit-chain.js';

/** The outcome of `ralex audit verify`: intact, tampered (with findings) or unverifiable. */
export const AuditVerificationSchema = z.object({
  /** True only when intact. */
  ok: z.boolean(),
  /** `intact` (exit 0), `tampered` (exit 1), `unverifiable` (exit 2: the key is missing or unusable). */
  status: z.enum(['intact', 'tampered', 'unverifiable']),
  /** Entries read. */
  entries: z.number().int().nonnegative(),
  /** Whether the trail is keyed (has an epoch entry). */
  keyed: z.boolean(),
  /** The first entry a tampering finding concerns. */
  firstBadSeq: z.number().int().optional(),
  /** The first finding's message. */
  problem: z.string().optional(),
  /** The MAC of the table's last entry. */
  headHash: z.string().optional(),
  /** The table's last entry. */
  head: AuditHeadSchema.nullable(),
  /** What the head file records (null when missing or unreadable). */
  headFile: AuditHeadSchema.extend({ trail: z.string(), verified: z.boolean() }).nullable(),
  findings: z.array(AuditFindingSchema),
});
/** The outcome of `ralex audit verify`. */
export type AuditVerification = z.infer<typeof AuditVerificationSchema>;

const SELECT_ALL =
  'SELECT seq, ts, session_id, command_id, kind, body_json, prev_hash, hash FROM audit_log ORDER BY seq';

/**
 * Verifies a project's audit trail against everything kept outside the table: the key (MACs),
 * the head file (the end of the chain) and, given `projectRoot`, the heads recorded in session
 * logs and the security summary. Reads only; the head file and marks are read before the table,
 * so an append finishing meanwhile can only put the table ahead, never behind.
 */
export function verifyAuditTrail(
  db: Db,
  files: AuditFiles,
  options: { database: string; projectRoot?: string },
): AuditVerification {
  const key = readAuditKey(files.key, { tighten: false });
  const secret = key.state === 'present' ? key.key : null;
  const head = readHeadFile(files.head, secret);
  const marks: FoundMark[] = options.projectRoot && secret ? scanHeadMarks(options.projectRoot, secret) : [];
  const wanted = new Set(marks.map((m) => m.mark.seq));
  if (head.state === 'present') wanted.add(head.head.seq);
  const read = db.transaction(() => {
    const tableExists =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() !==
      undefined;
    const walk = walkAuditChain(
      tableExists ? (db.prepare(SELECT_ALL).iterate() as Iterable<AuditRow>) : [],
      secret,
      wanted,
      tableExists ? compactionBase(db, secret) : undefined,
    );
    const sequence = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
      .get()
      ? (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").get() as
          | { seq: number }
          | undefined)
      : undefined;
    return { tableExists, walk, highWater: sequence?.seq ?? 0 };
  })();
  const findings = classifyFindings({ files, database: options.database, key, head, marks, ...read });
  const status = findings.some((f) => f.severity === 'tampered')
    ? 'tampered'
    : findings.some((f) => f.severity === 'unverifiable')
      ? 'unverifiable'
      : 'intact';
  const first =
    findings.find((f) => f.severity === 'tampered') ?? findings.find((f) => f.severity !== 'warning');
  const last = read.walk.last;
  const badSeqs = findings.flatMap((f) => (f.severity === 'tampered' && f.seq !== undefined ? [f.seq] : []));
  return {
    ok: status === 'intact',
    status,
    entries: read.walk.entries,
    keyed: read.walk.keyedEntries > 0,
    ...(badSeqs.length ? { firstBadSeq: Math.min(...badSeqs) } : {}),
    ...(first ? { problem: first.message } : {}),
    ...(last ? { headHash: last.mac } : {}),
    head: last ? { seq: last.seq, mac: last.mac, ts: last.ts } : null,
    headFile: head.state === 'present' ? { ...head.head, trail: head.trail, verified: head.verified } : null,
    findings,
  };
}
