import { isRole, type Role } from './roles.schema.ts';

/**
 * Single sign-on's pure rules: the portal role from the provider's claim (spec §6a). The claim holds a
 * list of values (Entra app roles, Keycloak roles) or one value; OIDC_ROLE_MAP maps values to roles. When
 * several values map, the first entry of the map that the claim holds wins, so the order of OIDC_ROLE_MAP
 * decides (and can be read in the configuration).
 */
export function roleFromClaim(claim: unknown, roleMap: Record<string, string>): Role | undefined {
  const values = new Set((Array.isArray(claim) ? claim : [claim]).filter((v): v is string => typeof v === 'string'));
  for (const [value, role] of Object.entries(roleMap)) if (values.has(value) && isRole(role)) return role;
  return undefined;
}

/** A text claim, trimmed and cut to `max` characters; `undefined` when absent or empty. */
export function textClaim(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim().slice(0, max);
  return text || undefined;
}
