import { z } from 'zod';

/** What `ralex audit verify` can find, each named after what was done to the trail. */
export const AuditFindingCodeSchema = z.enum([
  'row_edited',
  'row_deleted',
  'chain_recomputed',
  'chain_spliced',
  'truncated',
  'older_copy',
  'table_replaced',
  'head_edited',
  'head_missing',
  'head_mismatch',
  'key_missing',
  'key_invalid',
  'key_replaced',
  'key_permissions',
  'legacy_broken',
  'legacy_unsealed',
  'forged_mark',
]);
/** What `ralex audit verify` can find. */
export type AuditFindingCode = z.infer<typeof AuditFindingCodeSchema>;

/**
 * How bad a finding is: `tampered` (exit 1), `unverifiable` (exit 2: something needed to check
 * is missing), `warning` (reported, does not change the exit code).
 */
export const AuditSeveritySchema = z.enum(['tampered', 'unverifiable', 'warning']);
/** How bad a finding is. */
export type AuditSeverity = z.infer<typeof AuditSeveritySchema>;

/** One thing verification found: what, how bad, where (entries and file). */
export const AuditFindingSchema = z.object({
  code: AuditFindingCodeSchema,
  severity: AuditSeveritySchema,
  message: z.string(),
  /** The first entry concerned. */
  seq: z.number().int().optional(),
  /** The last entry concerned, for a range. */
  lastSeq: z.number().int().optional(),
  /** The file where it was found: the database, the head file, the key, a session log. */
  file: z.string().optional(),
});
/** One thing verification found. */
export type AuditFinding = z.infer<typeof AuditFindingSchema>;

/** A finding as Ralex records it in an epoch entry when it notices it on opening the trail. */
export const RecordedFindingSchema = z.object({
  code: AuditFindingCodeSchema,
  message: z.string(),
  seq: z.number().int().optional(),
  lastSeq: z.number().int().optional(),
});
/** A finding recorded in the chain. */
export type RecordedFinding = z.infer<typeof RecordedFindingSchema>;

/** Why an epoch entry starts a keyed segment of the chain. */
export const EpochReasonSchema = z.enum(['genesis', 'seal-legacy', 'rekey', 'discontinuity', 'compaction']);

/** What a `compaction` epoch dropped: the range, how many of each kind, and the MAC the rest chains from. */
export const DroppedRangeSchema = z.object({
  from: z.number().int(),
  through: z.number().int(),
  entries: z.number().int(),
  firstTs: z.string(),
  lastTs: z.string(),
  /** The MAC of entry `through`: the first entry kept links to it. */
  lastMac: z.string(),
  kinds: z.record(z.string(), z.number()),
  /** Why: e.g. "retention.audit_days: 365". */
  rule: z.string(),
});
/** What a compaction dropped. */
export type DroppedRange = z.infer<typeof DroppedRangeSchema>;

/** The body of an `epoch` entry. */
export const EpochBodySchema = z.object({
  reason: EpochReasonSchema,
  scheme: z.literal('hmac-sha256'),
  /** The trail's id, the same in every epoch of one trail and in the head file. */
  trail: z.string(),
  /** `auditKeyId` of the key the segment is MAC'd with. */
  keyId: z.string(),
  /** For `seal-legacy`: the unkeyed entries it seals, their last hash, what was wrong with them. */
  legacy: z
    .object({ entries: z.number().int(), head: z.string(), problem: z.string().optional() })
    .optional(),
  /** For `discontinuity` (and a seal or rekey): what Ralex found when it opened the trail. */
  found: z.array(RecordedFindingSchema).optional(),
  /** For `compaction`: the entries dropped from the start of the table (what was wrong with them is in `found`). */
  dropped: DroppedRangeSchema.optional(),
});
/** The body of an `epoch` entry. */
export type EpochBody = z.infer<typeof EpochBodySchema>;
