import { RalexError } from '../../errors.js';
import type { Db } from '../../store/database.js';
import type { Clock } from '../../util/ids.js';
import { type AuditAppend, AuditAppendSchema, type AuditEntry, computeAuditMac } from './audit-entry.js';
import type { AuditFiles } from './audit-files.js';
import { type AuditHead, headMark } from './audit-head.js';
import { loadOrCreateAuditKey } from './audit-key.js';
import { canonicalJson } from './canonical-json.js';
import { type AuditCompaction, compactAudit } from './compact-audit.js';
import { compareHeadWithTable } from './compare-head.js';
import { createHeadWriter } from './head-writer.js';
import { openKeyedChain } from './open-keyed-chain.js';
import type { AuditRow } from './verify-audit-chain.js';
import { type AuditVerification, verifyAuditTrail } from './verify-audit-trail.js';

/** The append-only audit log in the store's `audit_log` table, HMAC-chained with a key kept outside it. */
export interface AuditTrail {
  /** Appends one entry, chained to the last one; the head file follows within 100 ms or at `flush`. */
  append(entry: AuditAppend): AuditEntry;
  /** Writes the head file now (the end of each command, closing). */
  flush(): void;
  /** Checks the whole trail against the key, the head file and the recorded heads. */
  verify(): AuditVerification;
  /** Reads entries in seq order, after `afterSeq`, at most `limit` (default 1000). */
  read(query?: { afterSeq?: number; limit?: number; sessionId?: string }): AuditEntry[];
  /** The chain's last entry, as the table has it now. */
  head(): AuditHead | null;
  /** The markdown line that records a head: `audit: #123 3f9a0b1c2d3e4f56… mark 9c1d…`. */
  headLine(head: Pick<AuditHead, 'seq' | 'mac'>): string;
  /**
   * Drops the entries older than `before` (ISO) behind a sealed `compaction` epoch that records
   * what went; `ralex audit verify` then starts the chain there. Null when nothing is old enough.
   */
  compact(before: string, rule: string): AuditCompaction | null;
}

const COLUMNS = 'seq, ts, session_id, command_id, kind, body_json, prev_hash, hash';

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

/** What an insert needs: the parsed entry. */
type Parsed = ReturnType<typeof AuditAppendSchema.parse>;

/**
 * Opens the audit trail over an open database: loads (or creates once) the key in
 * `files.key`, seals an older unkeyed chain or starts a new one, records in the chain anything
 * wrong with the head file before rewriting it, and returns the trail. `now` stamps entries;
 * `projectRoot` lets `verify` read the heads recorded in session logs.
 */
export function createAuditTrail(
  db: Db,
  now: Clock,
  files: AuditFiles,
  options: { projectRoot?: string } = {},
): AuditTrail {
  const { key, id: keyId, created, tightenedFrom } = loadOrCreateAuditKey(files.key);
  const last = db.prepare('SELECT seq, hash, ts FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(`INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  let sequence: { get(): unknown } | undefined;
  // AUTOINCREMENT's high-water mark: the largest seq ever issued, so entries cut from the end show.
  const highWater = (): number => {
    sequence ??= db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
      .get()
      ? db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'")
      : undefined;
    return (sequence?.get() as { seq: number } | undefined)?.seq ?? 0;
  };
  const tail = () => last.get() as { seq: number; hash: string; ts: string } | undefined;

  // What this process last appended or found at open: a tail behind it means entries were cut
  // (or the database swapped) while Ralex ran, and is recorded before anything else is appended.
  let lastSeen: AuditHead | null = null;
  let trail = '';

  /** Inserts one entry after the current tail, as it is; call inside a write transaction. */
  const insertRow = (
    input: Parsed,
    body: Record<string, unknown>,
    end: ReturnType<typeof tail>,
  ): AuditEntry => {
    const seq = Math.max(end?.seq ?? 0, highWater()) + 1;
    const prevHash = end?.hash ?? '0'.repeat(64);
    const ts = now().toISOString();
    const sessionId = input.sessionId ?? null;
    const commandId = input.commandId ?? null;
    const fields = { seq, ts, session_id: sessionId, command_id: commandId, kind: input.kind, body };
    const hash = computeAuditMac(key, prevHash, fields);
    insert.run(seq, ts, sessionId, commandId, input.kind, canonicalJson(body), prevHash, hash);
    return { seq, ts, sessionId, commandId, kind: input.kind, body, prevHash, hash };
  };

  /** Checks the tail against what this process last saw, then inserts; inside a write transaction. */
  const insertEntry = (input: Parsed): AuditEntry => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(canonicalJson(input.body)) as Record<string, unknown>;
    } catch (error) {
      throw new RalexError(
        'bad_request',
        `An audit entry body must be plain JSON: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const end = tail();
    const seen = lastSeen;
    if (seen && (!end || end.seq < seen.seq || (end.seq === seen.seq && end.hash !== seen.mac))) {
      const found = compareHeadWithTable(
        { state: 'present', head: seen, trail, verified: true },
        {
          keyed: true,
          trail,
          tail: end ? { seq: end.seq, mac: end.hash, ts: end.ts } : null,
          highWater: highWater(),
          macAt: () => undefined,
        },
        files.head,
        'the head Ralex last wrote',
      );
      const epochBody = { reason: 'discontinuity', scheme: 'hmac-sha256', trail, keyId, found };
      const epoch = insertRow({ kind: 'epoch', body: epochBody }, JSON.parse(canonicalJson(epochBody)), end);
      return insertRow(input, body, { seq: epoch.seq, hash: epoch.hash, ts: epoch.ts });
    }
    return insertRow(input, body, end);
  };

  const opened = openKeyedChain({ db, key, keyId, created, files, insertEntry, tail, highWater });
  trail = opened.trail;
  const heads = createHeadWriter(files.head, key, trail);
  const appendTx = db.transaction(insertEntry);
  const append = (entry: AuditAppend): AuditEntry => {
    const parsed = AuditAppendSchema.safeParse(entry);
    if (!parsed.success) {
      throw new RalexError('bad_request', `Invalid audit entry: ${parsed.error.message}`, {
        details: { issues: parsed.error.issues },
      });
    }
    const stored = appendTx.immediate(parsed.data);
    lastSeen = { seq: stored.seq, mac: stored.hash, ts: stored.ts };
    // Noted after the commit, so the head file is never ahead of what the table holds. Inside an
    // outer transaction the commit is not ours to see: a later append notes the head.
    if (!db.inTransaction) heads.note(lastSeen);
    return stored;
  };
  const end = tail();
  if (end) {
    lastSeen = { seq: end.seq, mac: end.hash, ts: end.ts };
    if (opened.headSeq !== end.seq) {
      heads.note(lastSeen);
      heads.flush();
    }
  }
  if (tightenedFrom) {
    append({
      kind: 'anomaly',
      body: { what: 'audit key was readable by others; set to 0600', mode: `0${tightenedFrom.toString(8)}` },
    });
    heads.flush();
  }

  const flush = () => heads.flush();
  return {
    append,
    flush,
    verify() {
      flush();
      return verifyAuditTrail(db, files, { database: db.name, projectRoot: options.projectRoot });
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
        .prepare(`SELECT ${COLUMNS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`)
        .all(...params) as AuditRow[];
      return rows.map(toEntry);
    },
    head() {
      const end = tail();
      return end ? { seq: end.seq, mac: end.hash, ts: end.ts } : null;
    },
    headLine: (head) => headMark(key, head),
    compact(before, rule) {
      const done = compactAudit({ db, key, keyId, trail, insertEntry }, before, rule);
      if (done) {
        lastSeen = { seq: done.epoch.seq, mac: done.epoch.hash, ts: done.epoch.ts };
        heads.note(lastSeen);
        heads.flush();
      }
      return done;
    },
  };
}
