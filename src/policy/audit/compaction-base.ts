import type { Db } from '../../store/database.js';
import { computeAuditMac } from './audit-entry.js';
import { EpochBodySchema } from './audit-findings.js';
import type { AuditRow, ChainStart } from './verify-audit-chain.js';

/**
 * Where the chain starts once compactions dropped its beginning: the latest `compaction` epoch
 * whose own MAC verifies (nobody without the key can write one) says the first seq kept and the
 * MAC it links to. None: the table must start at #1. Without a key the latest one is taken as
 * it stands (nothing can be checked then anyway).
 */
export function compactionBase(db: Db, key: Buffer | null): ChainStart | undefined {
  const epochs = db
    .prepare(
      "SELECT seq, ts, session_id, command_id, kind, body_json, prev_hash, hash FROM audit_log WHERE kind = 'epoch' ORDER BY seq DESC",
    )
    .all() as AuditRow[];
  for (const row of epochs) {
    let body: unknown;
    try {
      body = JSON.parse(row.body_json);
    } catch {
      continue;
    }
    const epoch = EpochBodySchema.safeParse(body);
    if (!epoch.success || epoch.data.reason !== 'compaction' || !epoch.data.dropped) continue;
    const fields = {
      seq: row.seq,
      ts: row.ts,
      session_id: row.session_id,
      command_id: row.command_id,
      kind: row.kind,
      body,
    };
    if (key && computeAuditMac(key, row.prev_hash, fields) !== row.hash) continue;
    return { seq: epoch.data.dropped.through + 1, prevMac: epoch.data.dropped.lastMac };
  }
  return undefined;
}
