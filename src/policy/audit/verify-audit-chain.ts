import { z } from 'zod';
import { computeAuditHash, GENESIS_HASH } from './audit-entry.js';

/** The outcome of checking the chain: intact, or where it first breaks and how. */
export const AuditVerificationSchema = z.object({
  ok: z.boolean(),
  /** Entries read. */
  entries: z.number().int().nonnegative(),
  /** The first seq where the chain is broken: an altered, missing or out-of-place entry. */
  firstBadSeq: z.number().int().optional(),
  /** What is wrong, in words. */
  problem: z.string().optional(),
  /** The hash of the last entry: publish it elsewhere to detect a rewrite of the whole log. */
  headHash: z.string().optional(),
});
/** The outcome of checking the chain. */
export type AuditVerification = z.infer<typeof AuditVerificationSchema>;

/** One audit_log row as stored. */
export interface AuditRow {
  seq: number;
  ts: string;
  session_id: string | null;
  command_id: string | null;
  kind: string;
  body_json: string;
  prev_hash: string;
  hash: string;
}

/**
 * Walks rows in seq order and checks: seqs run 1, 2, 3… without gaps; each prev_hash is the
 * previous entry's hash (the first one's is 64 zeros); each hash matches the entry's content;
 * and no entries were cut from the end (`highWater`, the largest seq ever issued, is the last).
 * Without a secret, a rewrite of the whole chain from some point on is not detectable here;
 * comparing `headHash` with a copy kept elsewhere is.
 */
export function verifyAuditRows(rows: Iterable<AuditRow>, highWater: number): AuditVerification {
  let expected = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  const bad = (seq: number, problem: string): AuditVerification => ({
    ok: false,
    entries,
    firstBadSeq: seq,
    problem,
  });
  for (const row of rows) {
    entries += 1;
    if (row.seq !== expected) {
      return row.seq > expected
        ? bad(expected, `entry ${expected} is missing: the log jumps from ${expected - 1} to ${row.seq}`)
        : bad(row.seq, `entry ${row.seq} is out of order`);
    }
    if (row.prev_hash !== prevHash) {
      return bad(
        row.seq,
        `entry ${row.seq} does not chain to the entry before it (an entry was removed, reordered, inserted or changed)`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(row.body_json);
    } catch {
      return bad(row.seq, `entry ${row.seq} was altered: its body is not valid JSON`);
    }
    const fields = {
      seq: row.seq,
      ts: row.ts,
      session_id: row.session_id,
      command_id: row.command_id,
      kind: row.kind,
      body,
    };
    if (computeAuditHash(row.prev_hash, fields) !== row.hash) {
      return bad(row.seq, `entry ${row.seq} was altered: its content does not match its hash`);
    }
    prevHash = row.hash;
    expected += 1;
  }
  const last = expected - 1;
  if (highWater > last) {
    return bad(last + 1, `entries ${last + 1} to ${highWater} were removed from the end of the log`);
  }
  return { ok: true, entries, ...(entries > 0 ? { headHash: prevHash } : {}) };
}
