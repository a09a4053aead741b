/** The hash-chained audit trail and its readable security summary. */
export {
  type AuditAppend,
  AuditAppendSchema,
  type AuditEntry,
  AuditEntrySchema,
  type AuditKind,
  AuditKindSchema,
  computeAuditHash,
  GENESIS_HASH,
} from './audit-entry.js';
export { type AuditTrail, createAuditTrail } from './audit-trail.js';
export { canonicalJson } from './canonical-json.js';
export { appendSecuritySummary, SECURITY_AUDIT_FILE } from './security-summary.js';
export { type AuditVerification, AuditVerificationSchema, verifyAuditRows } from './verify-audit-chain.js';
