import QRCode from 'qrcode';
import type { Actor } from '#features/audit/audit.repo.server.ts';
import { audit } from '#features/audit/audit.repo.server.ts';
import { enqueueMail } from '#features/mail/outbox.repo.server.ts';
import { nudgeMailWorker } from '#features/mail/worker.server.ts';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import type { InvitedAccountInput } from './accounts.schema.ts';
import { EMAIL_TAKEN } from './accounts.schema.ts';
import type { FieldErrors } from '#lib/forms.ts';
import { CREDENTIAL_MESSAGES } from './credentials.schema.ts';
import { closeLinksOf, createLink, keepShownSecret, linksSince, openLink, useLink, type AccountLink } from './links.repo.server.ts';
import { startSession } from './login.server.ts';
import { hashPassword, verifyPassword } from './passwords.server.ts';
import type { Role } from './roles.schema.ts';
import { deleteSessionsOfUser } from './sessions.repo.server.ts';
import { matchingStep, newTotpSecret, otpauthUri } from './totp.server.ts';
import { enrolUser, findUserByEmail, findUserById, insertUser, setPasswordHash, setTotpSecret, useTotpStep } from './users.repo.server.ts';

/**
 * Staff set their own secrets (spec §6a): change the password, a one-time reset link (1 hour), an
 * invitation (72 hours) where the person chooses a password and enrols the second factor with a QR code.
 * The admin never sees or chooses a password or a TOTP secret. Links are 256-bit tokens stored as a
 * hash (links.repo.server.ts); the mails that carry them are sealed in the outbox. Every step is audited.
 */

export const RESET_VALID_MS = 3_600_000;
export const INVITATION_VALID_MS = 72 * 3_600_000;
/** A reset requested again within this time sends no second mail (the answer is the same). */
const RESET_BRAKE_MS = 5 * 60_000;

export const RESET_PATH = '/intern/wachtwoord-instellen';
export const INVITATION_PATH = '/intern/welkom';

const linkUrl = (path: string, token: string) => `${config().publicUrl}${path}?sleutel=${token}`;

function sendReset(userId: number, email: string, at: Date): string {
  const token = createLink(userId, 'reset', at, RESET_VALID_MS);
  const link = linkUrl(RESET_PATH, token);
  enqueueMail({ kind: 'password_reset', recipient: email, link }, config().publicUrl, at);
  // The worker runs 200 ms later, after the caller's transaction has committed.
  nudgeMailWorker();
  return link;
}

function sendInvitation(userId: number, email: string, at: Date): void {
  const token = createLink(userId, 'invitation', at, INVITATION_VALID_MS);
  enqueueMail({ kind: 'invitation', recipient: email, link: linkUrl(INVITATION_PATH, token) }, config().publicUrl, at);
  nudgeMailWorker();
}

/** An account got the coordinator role: a content-free notice to the coordinators' mailbox, audited. */
export function noticeCoordinatorRole(userId: number, actor: Actor, at: Date): void {
  enqueueMail({ kind: 'role_notice', recipient: config().coordinatorEmail }, config().publicUrl, at);
  nudgeMailWorker();
  audit({ actorId: actor.id, actorRole: actor.role, action: 'coordinatorrol_gemeld', objectType: 'account', objectId: userId, result: 'gelukt', clientIp: actor.ip }, at);
}

// ---------------------------------------------------------------------------------------------
// Invitations

/** The admin creates an account: no password, no second factor; the person gets an invitation link by e-mail. */
export function inviteAccount(input: InvitedAccountInput, actor: Actor, at: Date): { ok: true; id: number } | { ok: false; errors: FieldErrors } {
  if (findUserByEmail(input.email)) return { ok: false, errors: { email: EMAIL_TAKEN } };
  const id = db().transaction(() => {
    const newId = insertUser({ email: input.email, name: input.name, role: input.role, serviceNumber: input.serviceNumber || undefined, passwordHash: '', totpSecret: '' }, at);
    audit({ actorId: actor.id, actorRole: actor.role, action: 'account_aangemaakt', objectType: 'account', objectId: newId, result: 'gelukt', clientIp: actor.ip, detail: `rol ${input.role}` }, at);
    sendInvitation(newId, input.email, at);
    audit({ actorId: actor.id, actorRole: actor.role, action: 'uitnodiging_verstuurd', objectType: 'account', objectId: newId, result: 'gelukt', clientIp: actor.ip }, at);
    if (input.role === 'coordinator') noticeCoordinatorRole(newId, actor, at);
    return newId;
  }).immediate();
  return { ok: true, id };
}

/**
 * `Tweede factor opnieuw`: the old app stops working, the sessions end, and the person gets an
 * invitation to choose a password and enrol a new second factor. The admin sees no secret.
 */
export function reenrolSecondFactor(id: number, actor: Actor, at: Date): boolean {
  const user = findUserById(id);
  if (!user || user.sso) return false;
  db().transaction(() => {
    setTotpSecret(id, '', at);
    deleteSessionsOfUser(id);
    audit({ actorId: actor.id, actorRole: actor.role, action: 'tweede_factor_hersteld', objectType: 'account', objectId: id, result: 'gelukt', clientIp: actor.ip }, at);
    sendInvitation(id, user.email, at);
    audit({ actorId: actor.id, actorRole: actor.role, action: 'uitnodiging_verstuurd', objectType: 'account', objectId: id, result: 'gelukt', clientIp: actor.ip }, at);
  }).immediate();
  return true;
}

export interface Enrolment {
  email: string;
  name: string;
  /** The secret in base32 (shown in groups of four) and the QR code of its otpauth:// URI, as SVG markup. */
  secret: string;
  qrSvg: string;
}

async function enrolmentOf(link: AccountLink, secret: string): Promise<Enrolment | undefined> {
  const user = findUserById(link.userId);
  if (!user) return undefined;
  const uri = otpauthUri(secret, user.email, config().municipality.meldpuntName);
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  const qrSvg = svg.replace('<svg ', '<svg role="img" aria-label="QR-code om de authenticator-app in te stellen" class="mb-qr" ');
  return { email: user.email, name: user.name, secret, qrSvg };
}

/**
 * The invitation page is opened: a new secret, shown once (every opening of the page makes a new one; the
 * earlier one stops counting), kept sealed with the link until a code confirms it.
 */
export async function openInvitation(token: string | undefined, at: Date): Promise<Enrolment | undefined> {
  const link = openLink(token, at);
  if (!link || link.kind !== 'invitation') return undefined;
  const secret = newTotpSecret();
  keepShownSecret(link, secret);
  return enrolmentOf(link, secret);
}

/** The invitation page refused a form: the secret it showed, again (not a new one). */
export async function enrolmentForShownSecret(token: string | undefined, at: Date): Promise<Enrolment | undefined> {
  const link = openLink(token, at);
  if (!link || link.kind !== 'invitation' || link.totpSecret === '') return undefined;
  return enrolmentOf(link, link.totpSecret);
}

export type InvitationResult = { ok: true } | { ok: false; enrolment: Enrolment | undefined; errors: FieldErrors };

/** The person's password and the code from the app: the account is theirs. The link is used up. */
export async function acceptInvitation(token: string | undefined, password: string, code: string, ip: string, at: Date): Promise<InvitationResult> {
  const link = openLink(token, at);
  if (!link || link.kind !== 'invitation') return { ok: false, enrolment: undefined, errors: {} };
  const user = findUserById(link.userId);
  if (!user || link.totpSecret === '') return { ok: false, enrolment: undefined, errors: {} };
  const step = matchingStep(link.totpSecret, code, at);
  if (step === null) {
    audit({ actorId: user.id, actorRole: user.role, action: 'uitnodiging_gebruikt', objectType: 'account', objectId: user.id, result: 'mislukt', clientIp: ip, detail: 'code klopt niet' }, at);
    return { ok: false, enrolment: await enrolmentOf(link, link.totpSecret), errors: { code: CREDENTIAL_MESSAGES.codeWrong } };
  }
  const hash = await hashPassword(password);
  const used = db().transaction(() => {
    if (!useLink(link, at)) return false;
    enrolUser(user.id, hash, link.totpSecret, step, at);
    deleteSessionsOfUser(user.id);
    audit({ actorId: user.id, actorRole: user.role, action: 'uitnodiging_gebruikt', objectType: 'account', objectId: user.id, result: 'gelukt', clientIp: ip }, at);
    return true;
  }).immediate();
  return used ? { ok: true } : { ok: false, enrolment: undefined, errors: {} };
}

/** Whom an open link of this kind is for (the page's password rules use the name and address). */
export function linkHolder(token: string | undefined, kind: 'reset' | 'invitation', at: Date): { email: string; name: string; secret: string } | undefined {
  const link = openLink(token, at);
  if (!link || link.kind !== kind) return undefined;
  const user = findUserById(link.userId);
  return user && { email: user.email, name: user.name, secret: link.totpSecret };
}

// ---------------------------------------------------------------------------------------------
// Password reset

/**
 * `Wachtwoord vergeten?`: a reset link by e-mail when the address is a password account that can log in.
 * The answer is the same whether or not it is (the caller shows one message); a second request within
 * five minutes sends nothing more.
 */
export function requestReset(email: string, ip: string, at: Date): void {
  const user = findUserByEmail(email);
  const usable = user && !user.disabled && !user.invited && !user.sso;
  db().transaction(() => {
    if (!usable) {
      audit({ actorRole: 'onbekend', action: 'wachtwoord_herstel_gevraagd', objectType: 'account', result: 'mislukt', clientIp: ip, detail: 'geen bruikbaar account' }, at);
      return;
    }
    if (linksSince(user.id, 'reset', new Date(at.getTime() - RESET_BRAKE_MS)) > 0) {
      audit({ actorId: user.id, actorRole: user.role, action: 'wachtwoord_herstel_gevraagd', objectType: 'account', objectId: user.id, result: 'geweigerd', clientIp: ip, detail: 'al een link verstuurd' }, at);
      return;
    }
    sendReset(user.id, user.email, at);
    audit({ actorId: user.id, actorRole: user.role, action: 'wachtwoord_herstel_gevraagd', objectType: 'account', objectId: user.id, result: 'gelukt', clientIp: ip }, at);
  }).immediate();
}

/** The admin's `Wachtwoord opnieuw instellen`: a reset link by e-mail; the account's sessions end. */
export function adminReset(id: number, actor: Actor, at: Date): boolean {
  const user = findUserById(id);
  if (!user || user.sso) return false;
  db().transaction(() => {
    deleteSessionsOfUser(id);
    sendReset(id, user.email, at);
    audit({ actorId: actor.id, actorRole: actor.role, action: 'wachtwoord_herstel_gevraagd', objectType: 'account', objectId: id, result: 'gelukt', clientIp: actor.ip, detail: 'door beheerder' }, at);
  }).immediate();
  return true;
}

/** `npm run user:reset-password`: the link for the operator to pass on (also mailed); the sessions end. */
export function operatorResetLink(id: number, at: Date): string | undefined {
  const user = findUserById(id);
  if (!user || user.sso) return undefined;
  return db().transaction(() => {
    deleteSessionsOfUser(id);
    const link = sendReset(id, user.email, at);
    audit({ actorRole: 'systeem', action: 'wachtwoord_herstel_gevraagd', objectType: 'account', objectId: id, result: 'gelukt', detail: 'door beheerder (opdrachtregel)' }, at);
    return link;
  }).immediate();
}

/** The reset link's page: the new password. The link is used up; every session of the account ends. */
export async function useReset(token: string | undefined, password: string, ip: string, at: Date): Promise<boolean> {
  const link = openLink(token, at);
  if (!link || link.kind !== 'reset') return false;
  const user = findUserById(link.userId);
  if (!user) return false;
  const hash = await hashPassword(password);
  return db().transaction(() => {
    if (!useLink(link, at)) return false;
    setPasswordHash(user.id, hash, at);
    deleteSessionsOfUser(user.id);
    audit({ actorId: user.id, actorRole: user.role, action: 'wachtwoord_herstel_gebruikt', objectType: 'account', objectId: user.id, result: 'gelukt', clientIp: ip }, at);
    return true;
  }).immediate();
}

// ---------------------------------------------------------------------------------------------
// Changing one's own password

export type ChangeResult = { ok: true; token: string } | { ok: false; errors: FieldErrors };

/**
 * /intern/account: the current password and a fresh code, then the new password. Every session of the
 * account ends (another device logged in with the old password is logged out); this one gets a new token.
 */
export async function changePassword(userId: number, role: Role, current: string, next: string, code: string, ip: string, at: Date): Promise<ChangeResult> {
  const user = findUserById(userId);
  if (!user || user.sso) return { ok: false, errors: { currentPassword: CREDENTIAL_MESSAGES.currentWrong } };
  const valid = await verifyPassword(current, user.passwordHash || 'x');
  const step = valid ? matchingStep(user.totpSecret, code, at) : null;
  const hash = await hashPassword(next);
  return db().transaction((): ChangeResult => {
    if (step === null || !useTotpStep(user.id, step)) {
      audit({ actorId: user.id, actorRole: role, action: 'wachtwoord_gewijzigd', objectType: 'account', objectId: user.id, result: 'mislukt', clientIp: ip }, at);
      return { ok: false, errors: { currentPassword: CREDENTIAL_MESSAGES.currentWrong } };
    }
    setPasswordHash(user.id, hash, at);
    deleteSessionsOfUser(user.id);
    closeLinksOf(user.id, at);
    const token = startSession(user.id, at);
    audit({ actorId: user.id, actorRole: role, action: 'wachtwoord_gewijzigd', objectType: 'account', objectId: user.id, result: 'gelukt', clientIp: ip }, at);
    return { ok: true, token };
  }).immediate();
}
