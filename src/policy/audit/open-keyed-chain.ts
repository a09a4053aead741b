import { randomBytes } from 'node:crypto';
import type { Db } from '../../store/database.js';
import type { AuditAppend, AuditEntry } from './audit-entry.js';
import type { AuditFiles } from './audit-files.js';
import type { EpochBody } from './audit-findings.js';
import { readHeadFile } from './audit-head.js';
import { compareHeadWithTable } from './compare-head.js';
import { type AuditRow, walkAuditChain } from './verify-audit-chain.js';

/** What opening needs from the trail being built. */
export interface OpenChainContext {
  db: Db;
  key: Buffer;
  keyId: string;
  /** Whether the key was made by this start (it was missing). */
  created: boolean;
  files: AuditFiles;
  insertEntry(entry: AuditAppend): AuditEntry;
  tail(): { seq: number; hash: string; ts: string } | undefined;
  highWater(): number;
}

/**
 * Brings the chain to a keyed state before anything is appended, in one write transaction:
 * - an empty table gets a `genesis` epoch (a new trail id);
 * - an older, unkeyed chain is checked once and sealed by a `seal-legacy` epoch that records
 *   how many entries it had, its last hash and what was wrong with it (nothing is accepted silently);
 * - a keyed chain whose key was missing gets a `rekey` epoch: the entries before can no longer be checked;
 * - a keyed chain whose head file disagrees with the table (edited, deleted, behind an older
 *   copy of the database, from another trail) gets a `discontinuity` epoch recording what was
 *   found — before the head file is rewritten, so the evidence survives in the chain.
 * Returns the trail id and the seq the head file held (null if it held none that verified).
 */
export function openKeyedChain(ctx: OpenChainContext): { trail: string; headSeq: number | null } {
  const { db, keyId } = ctx;
  // Read before the transaction, as verify does: the head file is written after each commit.
  const headRead = readHeadFile(ctx.files.head, ctx.key);
  const headSeq = headRead.state === 'present' ? headRead.head.seq : null;
  const macAt = db.prepare('SELECT hash FROM audit_log WHERE seq = ?');
  const firstEpoch = db.prepare("SELECT body_json FROM audit_log WHERE kind = 'epoch' ORDER BY seq LIMIT 1");
  const epoch = (body: Omit<EpochBody, 'scheme' | 'keyId'>) =>
    ctx.insertEntry({ kind: 'epoch', body: { ...body, scheme: 'hmac-sha256', keyId } });
  return db
    .transaction(() => {
      const end = ctx.tail();
      const table = {
        tail: end ? { seq: end.seq, mac: end.hash, ts: end.ts } : null,
        highWater: ctx.highWater(),
        macAt: (seq: number) => (macAt.get(seq) as { hash: string } | undefined)?.hash,
      };
      const first = firstEpoch.get() as { body_json: string } | undefined;
      if (!first) {
        const trail = headRead.state === 'present' ? headRead.trail : `trl_${randomBytes(8).toString('hex')}`;
        const found = compareHeadWithTable(headRead, { ...table, keyed: false, trail: null }, ctx.files.head);
        const extra = found.length ? { found } : {};
        if (!end) epoch({ reason: 'genesis', trail, ...extra });
        else {
          const walk = walkAuditChain(
            db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<AuditRow>,
            null,
            new Set(),
          );
          const { entries, head, problem } = walk.legacy;
          const legacy = { entries, head: head ?? '', ...(problem ? { problem: problem.message } : {}) };
          epoch({ reason: 'seal-legacy', trail, legacy, ...extra });
        }
        return { trail, headSeq };
      }
      let trail = 'unreadable';
      try {
        trail = String((JSON.parse(first.body_json) as { trail?: unknown }).trail ?? trail);
      } catch {
        // An edited first epoch: verify reports it; the chain goes on under the name it can read.
      }
      if (ctx.created) {
        epoch({ reason: 'rekey', trail });
        return { trail, headSeq: null };
      }
      const found = compareHeadWithTable(headRead, { ...table, keyed: true, trail }, ctx.files.head);
      if (found.length) epoch({ reason: 'discontinuity', trail, found });
      return { trail, headSeq };
    })
    .immediate();
}
