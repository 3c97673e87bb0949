import type { Role } from './roles.schema.ts';
import { audit } from '#features/audit/audit.repo.server.ts';
import { now } from '#platform/clock.ts';
import { db } from '#platform/db.ts';
import { RateLimiter } from '#platform/rate-limit.ts';
import { dummyHash, verifyPassword } from './passwords.server.ts';
import {
  createSession,
  deleteSession,
  findSession,
  purgeSessions,
  touchSession,
  type SessionRow,
} from './sessions.repo.server.ts';
import { matchingStep } from './totp.server.ts';
import { findUserByEmail, findUserById, publicUser, useTotpStep, type User } from './users.repo.server.ts';

/**
 * Staff login in two steps (password, then a TOTP code), sessions with idle and absolute time-outs,
 * and throttling per account and per address without a permanent lock-out.
 */

export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 8 * 3_600_000;
const PENDING_MS = 5 * 60_000;
const TOUCH_EVERY_MS = 60_000;

/** One message for a wrong e-mail, password or code: nothing tells which one was wrong. */
export const LOGIN_FAILED = 'Inloggen is niet gelukt. Controleer uw e-mailadres, wachtwoord en code, en probeer het opnieuw.';
export const LOGIN_THROTTLED = 'Er is te vaak geprobeerd in te loggen. Wacht 15 minuten en probeer het dan opnieuw.';

const WINDOW = 15 * 60_000;
const accountFailures = new RateLimiter(() => 5, WINDOW);
// Per address generous: a whole town hall may sit behind one address.
const addressFailures = new RateLimiter(() => 100, WINDOW);

export type LoginResult =
  | { ok: true; token: string; returnTo: string | undefined }
  | { ok: false; reason: 'failed' | 'throttled' };

// The windows follow the server's clock (clock.ts), like the session time-outs.
function throttled(email: string, ip: string): boolean {
  const at = now().getTime();
  return accountFailures.exhausted(`a:${email}`, at) || addressFailures.exhausted(`i:${ip}`, at);
}

function fail(email: string, ip: string, userId: number | undefined, role: Role | undefined, step: string): LoginResult {
  const at = now().getTime();
  accountFailures.allow(`a:${email}`, at);
  addressFailures.allow(`i:${ip}`, at);
  audit({ actorId: userId, actorRole: role ?? 'onbekend', action: `inloggen_${step}`, objectType: 'sessie', result: 'mislukt', clientIp: ip });
  return { ok: false, reason: 'failed' };
}

/** Only a path inside /intern may be a place to return to after login. */
export function safeReturnTo(value: string | null | undefined): string | undefined {
  if (!value || value.length > 300) return undefined;
  if (!/^\/intern(\/[A-Za-z0-9/_-]*)?(\?[A-Za-z0-9=&_%-]*)?$/.test(value) || value.includes('//')) return undefined;
  if (value.startsWith('/intern/inloggen') || value.startsWith('/intern/uitloggen')) return undefined;
  return value;
}

/** Step 1: e-mail and password. Success gives a short-lived token for step 2. */
export async function checkPassword(email: string, password: string, ip: string, returnTo: string | undefined): Promise<LoginResult> {
  const key = email.trim().toLowerCase();
  if (throttled(key, ip)) {
    audit({ actorRole: 'onbekend', action: 'inloggen_wachtwoord', objectType: 'sessie', result: 'geweigerd', clientIp: ip, detail: 'te veel pogingen' });
    return { ok: false, reason: 'throttled' };
  }
  const user = key ? findUserByEmail(key) : undefined;
  // Verify against a dummy hash for unknown accounts: the answer takes as long either way.
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !valid || user.disabled) return fail(key, ip, user?.id, user?.role, 'wachtwoord');
  const at = now();
  const token = createSession(user.id, 'password', safeReturnTo(returnTo), at, new Date(at.getTime() + PENDING_MS));
  return { ok: true, token, returnTo: undefined };
}

/** Step 2: the code. Success ends the pending login and starts a new session with a new token. */
export function checkCode(pendingToken: string | undefined, code: string, ip: string): LoginResult {
  const at = now();
  const pending = findSession(pendingToken);
  if (!pending || pending.stage !== 'password' || new Date(pending.expiresAt) <= at) {
    audit({ actorRole: 'onbekend', action: 'inloggen_code', objectType: 'sessie', result: 'mislukt', clientIp: ip, detail: 'geen lopende inlogpoging' });
    return { ok: false, reason: 'failed' };
  }
  const user = findUserById(pending.userId);
  if (!user || user.disabled) return fail('', ip, pending.userId, user?.role, 'code');
  if (throttled(user.email, ip)) return { ok: false, reason: 'throttled' };
  const step = matchingStep(user.totpSecret, code, at);
  return db().transaction((): LoginResult => {
    if (step === null || !useTotpStep(user.id, step)) return fail(user.email, ip, user.id, user.role, 'code');
    deleteSession(pending.tokenHash);
    const token = createSession(user.id, 'complete', undefined, at, new Date(at.getTime() + ABSOLUTE_MS));
    accountFailures.reset(`a:${user.email}`);
    audit({ actorId: user.id, actorRole: user.role, action: 'inloggen', objectType: 'sessie', result: 'gelukt', clientIp: ip });
    return { ok: true, token, returnTo: pending.returnTo };
  }).immediate();
}

export interface StaffSession {
  user: User;
  session: SessionRow;
}

/** The logged-in staff member behind a cookie, or `undefined` (expired, idle, disabled, pending). */
export function currentStaff(token: string | undefined): StaffSession | undefined {
  const session = findSession(token);
  if (!session || session.stage !== 'complete') return undefined;
  const at = now();
  const idleSince = new Date(session.lastSeenAt).getTime();
  if (new Date(session.expiresAt) <= at || at.getTime() - idleSince > IDLE_MS) {
    deleteSession(session.tokenHash);
    purgeSessions(at, new Date(at.getTime() - IDLE_MS));
    return undefined;
  }
  const user = findUserById(session.userId);
  if (!user || user.disabled) {
    deleteSession(session.tokenHash);
    return undefined;
  }
  if (at.getTime() - idleSince > TOUCH_EVERY_MS) touchSession(session.tokenHash, at);
  return { user: publicUser(user), session };
}

/** Ends the session on the server. */
export function logout(staff: StaffSession, ip: string): void {
  db().transaction(() => {
    deleteSession(staff.session.tokenHash);
    audit({ actorId: staff.user.id, actorRole: staff.user.role, action: 'uitloggen', objectType: 'sessie', result: 'gelukt', clientIp: ip });
  })();
}

/** The pending login behind a cookie, to know whether the code page makes sense. */
export function pendingLogin(token: string | undefined): boolean {
  const s = findSession(token);
  return s !== undefined && s.stage === 'password' && new Date(s.expiresAt) > now();
}
