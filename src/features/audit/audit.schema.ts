/**
 * The audit log's domain sets: one home, audit.repo.server.ts types its rows by them and the admin's
 * log view filters by them (#features/admin/logboek.schema.ts). The log view shows roles and results
 * as their codes, so the labels are the codes.
 */
export const AUDIT_ROLES = {
  inwoner: 'inwoner',
  kcc: 'kcc',
  boa: 'boa',
  coordinator: 'coordinator',
  admin: 'admin',
  systeem: 'systeem',
  onbekend: 'onbekend',
} as const;

export const AUDIT_RESULTS = { gelukt: 'gelukt', mislukt: 'mislukt', geweigerd: 'geweigerd' } as const;

export type AuditRole = keyof typeof AUDIT_ROLES;
export type AuditResult = keyof typeof AUDIT_RESULTS;
