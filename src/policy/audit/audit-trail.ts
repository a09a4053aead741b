import { RalexError } from '../../errors.js';
import type { Db } from '../../store/database.js';
import type { Clock } from '../../util/ids.js';
import {
  type AuditAppend,
  AuditAppendSchema,
  type AuditEntry,
  computeAuditHash,
  GENESIS_HASH,
} from './audit-entry.js';
import { canonicalJson } from './canonical-json.js';
import { type AuditRow, type AuditVerification, verifyAuditRows } from './verify-audit-chain.js';

/** The append-only, hash-chained audit log in the store's `audit_log` table. */
export interface AuditTrail {
  /** Appends one entry, chained to the last one, and returns it as stored. */
  append(entry: AuditAppend): AuditEntry;
  /** Checks the whole chain: any altered, removed, reordered or inserted entry is reported. */
  verify(): AuditVerification;
  /** Reads entries in seq order, after `afterSeq`, at most `limit` (default 1000). */
  read(query?: { afterSeq?: number; limit?: number; sessionId?: string }): AuditEntry[];
}

const toEntry = (row: AuditRow): AuditEntry => ({
  seq: row.seq,
  ts: row.ts,
  sessionId: row.session_id,
  commandId: row.command_id,
  kind: row.kind,
  body: JSON.parse(row.body_json) as Record<string, unknown>,
  prevHash: row.prev_hash,
  hash: row.hash,
});

/** Creates the audit trail over an open database; `now` stamps the entries. */
export function createAuditTrail(db: Db, now: Clock): AuditTrail {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    'INSERT INTO audit_log (seq, ts, session_id, command_id, kind, body_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const all = db.prepare(
    'SELECT seq, ts, session_id, command_id, kind, body_json, prev_hash, hash FROM audit_log ORDER BY seq',
  );
  // AUTOINCREMENT's high-water mark: the largest seq ever issued, so entries cut from the end show.
  const highWater = (): number => {
    const row = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").get() as
      | { seq: number }
      | undefined;
    return row?.seq ?? 0;
  };
  const hasSequenceTable = () =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get() !==
    undefined;

  const appendTx = db.transaction((input: ReturnType<typeof AuditAppendSchema.parse>): AuditEntry => {
    const tail = last.get() as { seq: number; hash: string } | undefined;
    const seq = Math.max(tail?.seq ?? 0, hasSequenceTable() ? highWater() : 0) + 1;
    const prevHash = tail?.hash ?? GENESIS_HASH;
    const ts = now().toISOString();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(canonicalJson(input.body)) as Record<string, unknown>;
    } catch (error) {
      throw new RalexError(
        'bad_request',
        `An audit entry body must be plain JSON: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const sessionId = input.sessionId ?? null;
    const commandId = input.commandId ?? null;
    const hash = computeAuditHash(prevHash, {
      seq,
      ts,
      session_id: sessionId,
      command_id: commandId,
      kind: input.kind,
      body,
    });
    insert.run(seq, ts, sessionId, commandId, input.kind, canonicalJson(body), prevHash, hash);
    return { seq, ts, sessionId, commandId, kind: input.kind, body, prevHash, hash };
  });

  return {
    append(entry) {
      const parsed = AuditAppendSchema.safeParse(entry);
      if (!parsed.success) {
        throw new RalexError('bad_request', `Invalid audit entry: ${parsed.error.message}`, {
          details: { issues: parsed.error.issues },
        });
      }
      return appendTx.immediate(parsed.data);
    },
    verify() {
      return db.transaction(() =>
        verifyAuditRows(all.iterate() as Iterable<AuditRow>, hasSequenceTable() ? highWater() : 0),
      )();
    },
    read(query = {}) {
      const where = ['seq > ?'];
      const params: (string | number)[] = [query.afterSeq ?? 0];
      if (query.sessionId) {
        where.push('session_id = ?');
        params.push(query.sessionId);
      }
      params.push(query.limit ?? 1000);
      const rows = db
        .prepare(
          `SELECT seq, ts, session_id, command_id, kind, body_json, prev_hash, hash FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
        )
        .all(...params) as AuditRow[];
      return rows.map(toEntry);
    },
  };
}
