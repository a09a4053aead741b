import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';

/** The `prev_hash` of the first entry: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an audit entry records. */
export const AuditKindSchema = z.enum([
  'command',
  'decision',
  'approval',
  'tool_call',
  'file_write',
  'file_delete',
  'commit',
  'rollback',
  'checkpoint',
  'process',
  'auth',
  'anomaly',
  'config',
  /** Where a keyed segment of the chain begins: first start, the seal of an old chain, a new key, a discontinuity found at start. */
  'epoch',
]);
/** What an audit entry records. */
export type AuditKind = z.infer<typeof AuditKindSchema>;

/** What a caller appends: the trail adds seq, time and hashes. */
export const AuditAppendSchema = z.object({
  kind: AuditKindSchema,
  sessionId: z.string().nullable().optional(),
  commandId: z.string().nullable().optional(),
  /** Any JSON object: a decision, an approval outcome, a tool call's input and result, … */
  body: z.record(z.string(), z.unknown()),
});
/** What a caller appends. */
export type AuditAppend = z.input<typeof AuditAppendSchema>;

/** One stored entry of the audit log (`prevHash`/`hash` hold HMACs from the first epoch entry on). */
export const AuditEntrySchema = z.object({
  seq: z.number().int().positive(),
  ts: z.string(),
  sessionId: z.string().nullable(),
  commandId: z.string().nullable(),
  /** An AuditKind for entries this version wrote; kept as a string so older or newer kinds still verify. */
  kind: z.string(),
  body: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
/** One stored entry of the hash-chained audit log. */
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** The fields an entry's hash commits to, under their column names. */
export interface HashedFields {
  seq: number;
  ts: string;
  session_id: string | null;
  command_id: string | null;
  kind: string;
  body: unknown;
}

/** The unkeyed chain of older versions: sha256(prev_hash + canonical JSON of the fields), hex. */
export function computeAuditHash(prevHash: string, fields: HashedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}

const ENTRY_DOMAIN = 'ralex.audit.entry.v2\n';

/** The keyed chain: HMAC-SHA256(key, domain + prev MAC + canonical JSON of the fields), hex. */
export function computeAuditMac(key: Buffer, prevMac: string, fields: HashedFields): string {
  return createHmac('sha256', key)
    .update(ENTRY_DOMAIN)
    .update(prevMac)
    .update(canonicalJson(fields))
    .digest('hex');
}
