/**
 * The audit log's domain sets: one home, audit.repo.server.ts types its rows by them and the admin's
 * log view filters by them (#features/admin/logboek.schema.ts) and shows their Dutch labels: codes
 * such as `coordinator` never reach a page.
 */
export const AUDIT_ROLES = {
  inwoner: 'Inwoner',
  kcc: 'KCC-medewerker',
  boa: 'BOA',
  coordinator: 'OGGz-coördinator',
  admin: 'Functioneel beheerder',
  systeem: 'Systeem',
  onbekend: 'Onbekend',
} as const;

export const AUDIT_RESULTS = { gelukt: 'Gelukt', mislukt: 'Mislukt', geweigerd: 'Geweigerd' } as const;

/** What an audit row is about, in words (`object_type`). */
export const AUDIT_OBJECTS: Record<string, string> = {
  melding: 'Melding',
  account: 'Account',
  sessie: 'Sessie',
  export: 'Export',
  mail: 'E-mail',
};

/** Who a staff member acted for (`on_behalf_of`). */
export const AUDIT_ON_BEHALF_OF: Record<string, string> = { beller: 'Beller' };

/** An action code in words: `account_aangemaakt` → `Account aangemaakt`. */
export function auditActionLabel(action: string): string {
  const words = action.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type AuditRole = keyof typeof AUDIT_ROLES;
export type AuditResult = keyof typeof AUDIT_RESULTS;
