import type { Role } from './roles.schema.ts';
import { audit, type StaffActor } from '#features/audit/audit.repo.server.ts';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { dummyHash, verifyPassword } from './passwords.server.ts';
import {
  createSession,
  deleteSession,
  findSession,
  purgeSessions,
  touchSession,
  type SessionRow,
} from './sessions.repo.server.ts';
import { LoginThrottle } from './throttle.rules.ts';
import { matchingStep } from './totp.server.ts';
import { findUserByEmail, findUserById, publicUser, useTotpStep, type User } from './users.repo.server.ts';

/**
 * Staff login (e-mail, password and a TOTP code on one form; or single sign-on, oidc.server.ts), sessions with idle and absolute time-outs,
 * and throttling per (account, address) pair without a permanent lock-out (throttle.rules.ts). `at` is the server's
 * clock (#platform/clock.ts), read by the caller: the tests' clock moves sessions and throttling.
 */

export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 8 * 3_600_000;
const TOUCH_EVERY_MS = 60_000;

const throttle = new LoginThrottle();

/** Refused: `retryAfterMs` says how long this address must wait before trying this account again. */
export type Throttled = { ok: false; reason: 'throttled'; retryAfterMs: number };
export type LoginResult = { ok: true; token: string; role: Role } | { ok: false; reason: 'failed' } | Throttled;
type Failed = { ok: false; reason: 'failed' };

// The waits follow the server's clock, like the session time-outs.
function throttled(email: string, ip: string, at: Date): Throttled | undefined {
  const verdict = throttle.check(email, ip, at.getTime());
  return verdict.allowed ? undefined : { ok: false, reason: 'throttled', retryAfterMs: verdict.retryAfterMs };
}

function fail(email: string, ip: string, userId: number | undefined, role: Role | undefined, step: string, at: Date): Failed {
  throttle.fail(email, ip, at.getTime());
  audit({ actorId: userId, actorRole: role ?? 'onbekend', action: `inloggen_${step}`, objectType: 'sessie', result: 'mislukt', clientIp: ip }, at);
  return { ok: false, reason: 'failed' };
}

/**
 * The login: e-mail, password and code on one form (all filled in: loginSchema). The password and the
 * code are both checked before anything is answered, so the answer never tells that the password was
 * right. Success starts a session with a new token.
 */
export async function checkLogin(email: string, password: string, code: string | undefined, ip: string, at: Date): Promise<LoginResult> {
  const key = email.trim().toLowerCase();
  const refused = throttled(key, ip, at);
  if (refused) {
    audit({ actorRole: 'onbekend', action: 'inloggen_wachtwoord', objectType: 'sessie', result: 'geweigerd', clientIp: ip, detail: 'te veel pogingen' }, at);
    return refused;
  }
  const user = key ? findUserByEmail(key) : undefined;
  // Verify against a dummy hash for unknown accounts: the answer takes as long either way.
  const valid = await verifyPassword(password, user?.passwordHash || (await dummyHash()));
  if (!user || !valid || user.disabled) return fail(key, ip, user?.id, user?.role, 'wachtwoord', at);
  const step = code === undefined ? null : matchingStep(user.totpSecret, code, at);
  return db().transaction((): LoginResult => {
    if (step === null || !useTotpStep(user.id, step)) return fail(key, ip, user.id, user.role, 'code', at);
    const token = startSession(user.id, at);
    throttle.succeed(key, ip);
    audit({ actorId: user.id, actorRole: user.role, action: 'inloggen', objectType: 'sessie', result: 'gelukt', clientIp: ip }, at);
    return { ok: true, token, role: user.role };
  }).immediate();
}

/** A new full session (password and code, or single sign-on); returns the token for the cookie. */
export function startSession(userId: number, at: Date): string {
  return createSession(userId, 'complete', undefined, at, new Date(at.getTime() + ABSOLUTE_MS));
}

export interface StaffSession {
  user: User;
  session: SessionRow;
}

/** The staff member at work as the audit log records them: who, in which role, from which address. */
export function staffActor(staff: StaffSession, ip: string | undefined): StaffActor {
  return { id: staff.user.id, role: staff.user.role, ip };
}

/** The logged-in staff member behind a cookie, or `undefined` (expired, idle, disabled, pending, a password account with LOCAL_LOGIN=off). */
export function currentStaff(token: string | undefined, at: Date): StaffSession | undefined {
  const session = findSession(token);
  if (!session || session.stage !== 'complete') return undefined;
  const idleSince = new Date(session.lastSeenAt).getTime();
  if (new Date(session.expiresAt) <= at || at.getTime() - idleSince > IDLE_MS) {
    deleteSession(session.tokenHash);
    purgeSessions(at, new Date(at.getTime() - IDLE_MS));
    return undefined;
  }
  const user = findUserById(session.userId);
  // With LOCAL_LOGIN=off a password account's session ends too, also one begun before the switch.
  if (!user || user.disabled || (!user.sso && !config().localLogin)) {
    deleteSession(session.tokenHash);
    return undefined;
  }
  if (at.getTime() - idleSince > TOUCH_EVERY_MS) touchSession(session.tokenHash, at);
  return { user: publicUser(user), session };
}

/** Ends the session on the server. */
export function logout(staff: StaffSession, ip: string, at: Date): void {
  db().transaction(() => {
    deleteSession(staff.session.tokenHash);
    audit({ actorId: staff.user.id, actorRole: staff.user.role, action: 'uitloggen', objectType: 'sessie', result: 'gelukt', clientIp: ip }, at);
  })();
}

