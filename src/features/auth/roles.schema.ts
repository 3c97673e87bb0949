/** Staff roles (spec §6) with their Dutch names. */
export const ROLES = {
  kcc: 'KCC-medewerker',
  boa: 'BOA',
  coordinator: 'OGGz-coördinator',
  admin: 'Functioneel beheerder',
} as const;

export type Role = keyof typeof ROLES;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.hasOwn(ROLES, value);
}

/** Where each role starts after logging in. */
export const HOME: Record<Role, string> = {
  kcc: '/intern/kcc/melding',
  boa: '/intern/boa/melding',
  coordinator: '/intern/triage',
  admin: '/intern/beheer',
};
