import type { Role } from './roles.schema.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { audit, type Actor } from '#features/audit/audit.repo.server.ts';
import { db } from '#platform/db.ts';
import { EMAIL_TAKEN, type AccountInput } from './accounts.schema.ts';
import { hashPassword } from './passwords.server.ts';
import { deleteSessionsOfUser } from './sessions.repo.server.ts';
import { newTotpSecret, otpauthUri } from './totp.server.ts';
import { countUsers, findUserByEmail, findUserById, insertUser, listUsers, setDisabled, setRole, setServiceNumber, setTotpSecret, type User } from './users.repo.server.ts';
import { noticeCoordinatorRole } from './credentials.server.ts';
import { closeLinksOf } from './links.repo.server.ts';

/**
 * Staff account management, shared by the admin page and the `user:*` commands. Every change is
 * audited and ends the account's sessions where it changes what the account may do.
 */

/** Who changes an account, and when (the server's clock, read by the caller). */
export interface AccountChange {
  actor: Actor;
  at: Date;
}

/** A change that shows a new TOTP secret: `issuer` names the portal in the authenticator app. */
export interface SecretChange extends AccountChange {
  issuer: string;
}

export type AccountResult = { ok: true; id: number; otpauthUri: string } | { ok: false; errors: FieldErrors };

/**
 * Creates an account with a password from the operator (`npm run user:add`, input checked by
 * passwordAccountSchema); returns the TOTP secret as an otpauth:// URI, printed once at the operator's
 * terminal. The admin page invites instead (credentials.server.ts: the admin never holds a secret).
 */
export async function createAccount(input: AccountInput, change: SecretChange): Promise<AccountResult> {
  const { actor, at } = change;
  if (findUserByEmail(input.email)) return { ok: false, errors: { email: EMAIL_TAKEN } };
  const passwordHash = await hashPassword(input.password);
  const secret = newTotpSecret();
  const id = db().transaction(() => {
    const newId = insertUser({ email: input.email, name: input.name, role: input.role, serviceNumber: input.serviceNumber || undefined, passwordHash, totpSecret: secret }, at);
    audit({ actorId: actor.id, actorRole: actor.role, action: 'account_aangemaakt', objectType: 'account', objectId: newId, result: 'gelukt', clientIp: actor.ip, detail: `rol ${input.role}` }, at);
    if (input.role === 'coordinator') noticeCoordinatorRole(newId, actor, at);
    return newId;
  }).immediate();
  return { ok: true, id, otpauthUri: otpauthUri(secret, input.email, change.issuer) };
}

function apply(id: number, change: AccountChange, action: string, detail: string | undefined, write: () => void): boolean {
  const { actor, at } = change;
  const user = findUserById(id);
  if (!user) return false;
  db().transaction(() => {
    write();
    deleteSessionsOfUser(id);
    audit({ actorId: actor.id, actorRole: actor.role, action, objectType: 'account', objectId: id, result: 'gelukt', clientIp: actor.ip, detail }, at);
  }).immediate();
  return true;
}

/** False when there is no such account. */
export function disableAccount(id: number, change: AccountChange): boolean {
  return apply(id, change, 'account_geblokkeerd', undefined, () => {
    setDisabled(id, true, change.at);
    closeLinksOf(id, change.at);
  });
}

export function enableAccount(id: number, change: AccountChange): boolean {
  return apply(id, change, 'account_gedeblokkeerd', undefined, () => setDisabled(id, false, change.at));
}

/**
 * A password account's role. A single sign-on account's role comes from the provider at every login:
 * refused here (false). Becoming coordinator sends the coordinators' mailbox a notice.
 */
export function changeRole(id: number, role: Role, change: AccountChange): boolean {
  const user = findUserById(id);
  if (!user || user.sso) return false;
  return apply(id, change, 'rol_gewijzigd', `rol ${role}`, () => {
    setRole(id, role, change.at);
    if (role === 'coordinator' && user.role !== 'coordinator') noticeCoordinatorRole(id, change.actor, change.at);
  });
}

/** A BOA's service number on a single sign-on account whose provider sends none. */
export function changeServiceNumber(id: number, serviceNumber: string, change: AccountChange): boolean {
  return apply(id, change, 'dienstnummer_gewijzigd', undefined, () => setServiceNumber(id, serviceNumber, change.at));
}

/** A new TOTP secret (the old app stops working), for the operator's `user:reset-2fa`; returns the new URI, printed once. */
export function resetSecondFactor(id: number, change: SecretChange): string | undefined {
  const user = findUserById(id);
  if (!user) return undefined;
  const secret = newTotpSecret();
  apply(id, change, 'tweede_factor_hersteld', undefined, () => setTotpSecret(id, secret, change.at));
  return otpauthUri(secret, user.email, change.issuer);
}

export interface AccountList {
  users: User[];
  /** All accounts, over all pages. */
  total: number;
  /** The page shown (the requested one, within 1…pages). */
  page: number;
  pages: number;
}

/** One page of accounts: active first, then by name. */
export function listAccounts(requestedPage: number, pageSize: number): AccountList {
  return db().transaction((): AccountList => {
    const total = countUsers();
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const page = Math.min(pages, Math.max(1, requestedPage));
    return { users: listUsers(pageSize, (page - 1) * pageSize), total, page, pages };
  })();
}
