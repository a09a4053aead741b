/** The keyed audit trail, its verification and its readable security summary. */
export {
  type AuditAppend,
  AuditAppendSchema,
  type AuditEntry,
  AuditEntrySchema,
  type AuditKind,
  AuditKindSchema,
  computeAuditHash,
  computeAuditMac,
  GENESIS_HASH,
} from './audit-entry.js';
export { type AuditFiles, auditFilesIn } from './audit-files.js';
export {
  type AuditFinding,
  type AuditFindingCode,
  AuditFindingSchema,
  type EpochBody,
  EpochBodySchema,
} from './audit-findings.js';
export { type AuditHead, AuditHeadSchema, findHeadMarks, headMark, readHeadFile } from './audit-head.js';
export { auditKeyId, loadOrCreateAuditKey, readAuditKey } from './audit-key.js';
export { type AuditTrail, createAuditTrail } from './audit-trail.js';
export { canonicalJson } from './canonical-json.js';
export { appendSecuritySummary, SECURITY_AUDIT_FILE } from './security-summary.js';
export { type AuditVerification, AuditVerificationSchema, verifyAuditTrail } from './verify-audit-trail.js';
