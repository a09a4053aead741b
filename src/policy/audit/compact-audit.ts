import type { Db } from '../../store/database.js';
import type { AuditAppend, AuditEntry } from './audit-entry.js';
import type { DroppedRange, RecordedFinding } from './audit-findings.js';
import { compactionBase } from './compaction-base.js';
import { type AuditRow, walkAuditChain } from './verify-audit-chain.js';

/** What one compaction did. */
export interface AuditCompaction {
  dropped: DroppedRange;
  /** The `compaction` epoch that records it. */
  epoch: AuditEntry;
  /** What was wrong with the dropped entries (kept in the epoch, so `ralex audit verify` still reports it). */
  found: RecordedFinding[];
}

/** What compaction needs from the trail: its key, and how it appends inside a write transaction. */
export interface CompactContext {
  db: Db;
  key: Buffer;
  keyId: string;
  trail: string;
  insertEntry(entry: AuditAppend): AuditEntry;
}

const COLUMNS = 'seq, ts, session_id, command_id, kind, body_json, prev_hash, hash';

/**
 * Drops the entries older than `before` from the start of the trail, behind a sealed epoch:
 * first the dropped range is checked with the key (links, MACs, gaps) and a `compaction` epoch
 * is appended that records the range, the count of each kind, the MAC the rest links to and
 * anything wrong with them; then, in the same write transaction, the rows go. The last entry is
 * never dropped, nor anything before the first keyed epoch is passed. Null when nothing is old enough.
 */
export function compactAudit(ctx: CompactContext, before: string, rule: string): AuditCompaction | null {
  const { db } = ctx;
  const run = db.transaction((): AuditCompaction | null => {
    const tail = db.prepare('SELECT MAX(seq) AS seq FROM audit_log').get() as { seq: number | null };
    const firstEpoch = db.prepare("SELECT MIN(seq) AS seq FROM audit_log WHERE kind = 'epoch'").get() as {
      seq: number | null;
    };
    const last = db
      .prepare('SELECT MAX(seq) AS seq FROM audit_log WHERE ts < ? AND seq < ?')
      .get(before, tail.seq ?? 0) as { seq: number | null };
    const start = compactionBase(db, ctx.key);
    // Unkeyed entries of an older version go only together with the epoch that sealed them.
    const keyedFrom = start ? start.seq : firstEpoch.seq;
    if (tail.seq === null || keyedFrom === null || last.seq === null || last.seq < keyedFrom) return null;
    const through = last.seq;
    const rows = db
      .prepare(`SELECT ${COLUMNS} FROM audit_log WHERE seq <= ? ORDER BY seq`)
      .all(through) as AuditRow[];
    if (!rows.length) return null;
    const walk = walkAuditChain(rows, ctx.key, new Set(), start);
    const found: RecordedFinding[] = [];
    for (const v of walk.notable) {
      if (v.gapBefore > 0)
        found.push({
          code: 'row_deleted',
          message: `Before compaction, entries up to #${v.seq - 1} were already missing.`,
          seq: v.seq - v.gapBefore,
          lastSeq: v.seq - 1,
        });
      if (v.contentOk === false)
        found.push({
          code: 'row_edited',
          message: `Before compaction, entry #${v.seq} (${v.kind}) did not match its MAC.`,
          seq: v.seq,
        });
      else if (!v.linkOk && v.gapBefore === 0)
        found.push({
          code: 'chain_spliced',
          message: `Before compaction, entry #${v.seq} did not follow the entry before it.`,
          seq: v.seq,
        });
    }
    const kinds: Record<string, number> = {};
    for (const r of rows) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
    const dropped: DroppedRange = {
      from: rows[0]!.seq,
      through,
      entries: rows.length,
      firstTs: rows[0]!.ts,
      lastTs: rows.at(-1)!.ts,
      lastMac: rows.at(-1)!.hash,
      kinds,
      rule,
    };
    const epoch = ctx.insertEntry({
      kind: 'epoch',
      body: {
        reason: 'compaction',
        scheme: 'hmac-sha256',
        trail: ctx.trail,
        keyId: ctx.keyId,
        dropped,
        ...(found.length ? { found: found.slice(0, 20) } : {}),
      },
    });
    db.prepare('DELETE FROM audit_log WHERE seq <= ?').run(through);
    return { dropped, epoch, found };
  });
  return run.immediate();
}
