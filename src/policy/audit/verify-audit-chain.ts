import { computeAuditHash, computeAuditMac, GENESIS_HASH, type HashedFields } from './audit-entry.js';
import { type EpochBody, EpochBodySchema } from './audit-findings.js';

/** One audit_log row as stored (`prev_hash` and `hash` are MACs from the first epoch entry on). */
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

/** What the walk found about one row. */
export interface RowVerdict {
  seq: number;
  kind: string;
  ts: string;
  mac: string;
  /** Before the first epoch entry: an entry of the older, unkeyed chain. */
  legacy: boolean;
  /** Whether its content matches its MAC (or legacy hash); null when there was no key to check with. */
  contentOk: boolean | null;
  /** Whether its prev_hash is the stored MAC of the row before it. */
  linkOk: boolean;
  /** How many seqs are missing right before it. */
  gapBefore: number;
  jsonOk: boolean;
  /** An epoch entry's body, when it parses. */
  epoch?: EpochBody;
}

/** The walk's result: counts, the rows worth looking at, and MACs asked for by seq. */
export interface ChainWalk {
  entries: number;
  keyedEntries: number;
  keyedVerified: number;
  first?: RowVerdict;
  last?: RowVerdict;
  /** Rows that fail a check, the row right after each of them, and every epoch entry, in order. */
  notable: RowVerdict[];
  legacy: { entries: number; head: string | null; problem?: { seq: number; message: string } };
  macs: Map<number, string>;
}

const fieldsOf = (row: AuditRow, body: unknown): HashedFields => ({
  seq: row.seq,
  ts: row.ts,
  session_id: row.session_id,
  command_id: row.command_id,
  kind: row.kind,
  body,
});

/** Where a walk starts when the table's beginning was dropped by a compaction epoch. */
export interface ChainStart {
  /** The first seq the table should hold. */
  seq: number;
  /** The MAC the first row must link to (of the last entry dropped). */
  prevMac: string;
}

/**
 * Walks rows in seq order, checking each link (prev_hash is the previous stored MAC; the first
 * is 64 zeros), seq continuity, and content: before the first `epoch` entry with the older
 * unkeyed sha256 formula, from it on with HMAC under `key` (skipped when `key` is null). Keeps
 * only what the findings need, so a long trail verifies in constant memory besides `wanted`.
 */
export function walkAuditChain(
  rows: Iterable<AuditRow>,
  key: Buffer | null,
  wanted: Set<number>,
  start?: ChainStart,
): ChainWalk {
  const walk: ChainWalk = {
    entries: 0,
    keyedEntries: 0,
    keyedVerified: 0,
    notable: [],
    legacy: { entries: 0, head: null },
    macs: new Map(),
  };
  // After a compaction the table starts inside the keyed chain: at the seq and MAC it recorded.
  let expected = start?.seq ?? 1;
  let prevMac = start?.prevMac ?? GENESIS_HASH;
  let keyed = start !== undefined;
  let afterBad = false;
  for (const row of rows) {
    walk.entries += 1;
    if (row.kind === 'epoch') keyed = true;
    let body: unknown;
    let jsonOk = true;
    try {
      body = JSON.parse(row.body_json);
    } catch {
      jsonOk = false;
    }
    let contentOk: boolean | null;
    if (!jsonOk) contentOk = false;
    else if (!keyed) contentOk = computeAuditHash(row.prev_hash, fieldsOf(row, body)) === row.hash;
    else contentOk = key ? computeAuditMac(key, row.prev_hash, fieldsOf(row, body)) === row.hash : null;
    const verdict: RowVerdict = {
      seq: row.seq,
      kind: row.kind,
      ts: row.ts,
      mac: row.hash,
      legacy: !keyed,
      contentOk,
      linkOk: row.prev_hash === prevMac,
      gapBefore: Math.max(0, row.seq - expected),
      jsonOk,
    };
    if (row.kind === 'epoch' && jsonOk) {
      const epoch = EpochBodySchema.safeParse(body);
      if (epoch.success) verdict.epoch = epoch.data;
    }
    if (keyed) {
      walk.keyedEntries += 1;
      if (contentOk) walk.keyedVerified += 1;
    } else {
      walk.legacy.entries += 1;
      walk.legacy.head = row.hash;
      if (!walk.legacy.problem && (contentOk === false || !verdict.linkOk || verdict.gapBefore > 0)) {
        walk.legacy.problem = {
          seq: row.seq,
          message:
            verdict.gapBefore > 0
              ? `entry #${expected} is missing`
              : contentOk === false
                ? `entry #${row.seq} does not match its hash`
                : `entry #${row.seq} does not chain to the entry before it`,
        };
      }
    }
    const bad = contentOk === false || !verdict.linkOk || verdict.gapBefore > 0;
    if (bad || afterBad || verdict.epoch || row.kind === 'epoch') walk.notable.push(verdict);
    afterBad = bad;
    if (wanted.has(row.seq)) walk.macs.set(row.seq, row.hash);
    walk.first ??= verdict;
    walk.last = verdict;
    prevMac = row.hash;
    expected = row.seq + 1;
  }
  return walk;
}
