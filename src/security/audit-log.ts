/**
 * The audit log's public face: who read confidential data, when and why. The entries, their
 * checks and the rows live in src/stores/audit-store.ts, so stores that open sealed data can
 * audit before they return it.
 */
export { MissingReasonError, recordRead, recordReads, type AuditAction, type AuditActor, type AuditEntry } from '../stores/audit-store.ts';
