import { createHash } from 'node:crypto';
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

/** One stored entry of the hash-chained audit log. */
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

/** sha256(prev_hash + canonical JSON of {seq, ts, session_id, command_id, kind, body}), hex. */
export function computeAuditHash(prevHash: string, fields: HashedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}
