import { z } from 'astro/zod';
import { ROLES, type Role } from './roles.schema.ts';
import { codes } from '#lib/forms.ts';
import { fieldErrors, type FieldDef, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { audit, type Actor } from '#features/audit/audit.repo.server.ts';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { hashPassword, passwordProblem } from './passwords.server.ts';
import { deleteSessionsOfUser } from './sessions.repo.server.ts';
import { newTotpSecret, otpauthUri } from './totp.server.ts';
import { findUserByEmail, findUserById, insertUser, setDisabled, setRole, setTotpSecret } from './users.repo.server.ts';

/**
 * Staff account management, shared by the admin page and the `user:*` commands. Every change is
 * audited and ends the account's sessions where it changes what the account may do.
 */

export const accountFields: FieldDef[] = [
  { name: 'email', label: 'E-mailadres', kind: 'email', autocomplete: 'off', inputMode: 'email' },
  { name: 'name', label: 'Naam', kind: 'text', maxLength: 200, autocomplete: 'off' },
  { name: 'role', label: 'Rol', kind: 'radio', options: ROLES },
  { name: 'serviceNumber', label: 'Dienstnummer', kind: 'text', maxLength: 50, optional: true, autocomplete: 'off', hint: 'Alleen voor een BOA.' },
  { name: 'password', label: 'Eerste wachtwoord', kind: 'password', autocomplete: 'new-password',
    hint: 'Minstens 12 tekens. Geef het wachtwoord persoonlijk door.' },
];

const accountSchema = z
  .object({
    email: z.string().trim().toLowerCase().regex(/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/, { error: 'Vul een e-mailadres in zoals naam@gemeente.nl' }).max(254),
    name: z.string().trim().min(1, { error: 'Vul de naam in' }).max(200, { error: 'Gebruik maximaal 200 tekens' }),
    role: z.enum(codes(ROLES), { error: 'Kies een rol' }),
    serviceNumber: z.string().trim().max(50, { error: 'Gebruik maximaal 50 tekens' }),
    password: z.string(),
  })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, { email: v.email, name: v.name });
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });

export type AccountResult = { ok: true; id: number; otpauthUri: string } | { ok: false; errors: FieldErrors };

function uriFor(email: string, secret: string): string {
  return otpauthUri(secret, email, config().municipality.meldpuntName);
}

/** Creates an account; returns the TOTP secret as an otpauth:// URI, to be shown once. */
export async function createAccount(raw: RawAnswers, actor: Actor): Promise<AccountResult> {
  const parsed = accountSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const v = parsed.data;
  if (findUserByEmail(v.email)) return { ok: false, errors: { email: 'Er is al een account met dit e-mailadres' } };
  const passwordHash = await hashPassword(v.password);
  const secret = newTotpSecret();
  const id = db().transaction(() => {
    const newId = insertUser({ email: v.email, name: v.name, role: v.role, serviceNumber: v.serviceNumber || undefined, passwordHash, totpSecret: secret });
    audit({ actorId: actor.id, actorRole: actor.role, action: 'account_aangemaakt', objectType: 'account', objectId: newId, result: 'gelukt', clientIp: actor.ip, detail: `rol ${v.role}` });
    return newId;
  }).immediate();
  return { ok: true, id, otpauthUri: uriFor(v.email, secret) };
}

function change(id: number, actor: Actor, action: string, detail: string | undefined, apply: () => void): boolean {
  const user = findUserById(id);
  if (!user) return false;
  db().transaction(() => {
    apply();
    deleteSessionsOfUser(id);
    audit({ actorId: actor.id, actorRole: actor.role, action, objectType: 'account', objectId: id, result: 'gelukt', clientIp: actor.ip, detail });
  }).immediate();
  return true;
}

export function disableAccount(id: number, actor: Actor): boolean {
  return change(id, actor, 'account_geblokkeerd', undefined, () => setDisabled(id, true));
}

export function enableAccount(id: number, actor: Actor): boolean {
  return change(id, actor, 'account_gedeblokkeerd', undefined, () => setDisabled(id, false));
}

export function changeRole(id: number, role: Role, actor: Actor): boolean {
  return change(id, actor, 'rol_gewijzigd', `rol ${role}`, () => setRole(id, role));
}

/** A new TOTP secret (the old app stops working); returns the new URI, to be shown once. */
export function resetSecondFactor(id: number, actor: Actor): string | undefined {
  const user = findUserById(id);
  if (!user) return undefined;
  const secret = newTotpSecret();
  change(id, actor, 'tweede_factor_hersteld', undefined, () => setTotpSecret(id, secret));
  return uriFor(user.email, secret);
}
