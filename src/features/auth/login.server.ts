import type { Role } from './roles.schema.ts';
import { audit } from '#features/audit/audit.repo.server.ts';
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
import { safeReturnTo } from './access.rules.ts';
import { LoginThrottle } from './throttle.rules.ts';
import { matchingStep } from './totp.server.ts';
import { findUserByEmail, findUserById, publicUser, useTotpStep, type User } from './users.repo.server.ts';

/**
 * Staff login in two steps (password, then a TOTP code), sessions with idle and absolute time-outs,
 * and throttling per (account, address) pair without a permanent lock-out (throttle.rules.ts). `at` is the server's
 * clock (#platform/clock.ts), read by the caller: the tests' clock moves sessions and throttling.
 */

export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 8 * 3_600_000;
const PENDING_MS = 5 * 60_000;
const TOUCH_EVERY_MS = 60_000;

const throttle = new LoginThrottle();

/** Refused: `retryAfterMs` says how long this address must wait before trying this account again. */
export type Throttled = { ok: false; reason: 'throttled'; retryAfterMs: number };
export type PasswordResult = { ok: true; token: string } | { ok: false; reason: 'failed' } | Throttled;
export type CodeResult =
  | { ok: true; token: string; role: Role; returnTo: string | undefined }
  | { ok: false; reason: 'failed' }
  | Throttled;
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
 * Step 1: e-mail and password (both filled in: passwordStepSchema). Success gives a short-lived
 * token for step 2, which remembers where to return to.
 */
export async function checkPassword(email: string, password: string, ip: string, returnTo: string | undefined, at: Date): Promise<PasswordResult> {
  const key = email.trim().toLowerCase();
  const refused = throttled(key, ip, at);
  if (refused) {
    audit({ actorRole: 'onbekend', action: 'inloggen_wachtwoord', objectType: 'sessie', result: 'geweigerd', clientIp: ip, detail: 'te veel pogingen' }, at);
    return refused;
  }
  const user = key ? findUserByEmail(key) : undefined;
  // Verify against a dummy hash for unknown accounts: the answer takes as long either way.
  const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  if (!user || !valid || user.disabled) return fail(key, ip, user?.id, user?.role, 'wachtwoord', at);
  const token = createSession(user.id, 'password', safeReturnTo(returnTo), at, new Date(at.getTime() + PENDING_MS));
  return { ok: true, token };
}

/**
 * Step 2: the code (six digits, or `undefined` when what was typed cannot be a code: it counts as a
 * wrong one). Success ends the pending login and starts a new session with a new token.
 */
export function checkCode(pendingToken: string | undefined, code: string | undefined, ip: string, at: Date): CodeResult {
  const pending = findSession(pendingToken);
  if (!pending || pending.stage !== 'password' || new Date(pending.expiresAt) <= at) {
    audit({ actorRole: 'onbekend', action: 'inloggen_code', objectType: 'sessie', result: 'mislukt', clientIp: ip, detail: 'geen lopende inlogpoging' }, at);
    return { ok: false, reason: 'failed' };
  }
  const user = findUserById(pending.userId);
  if (!user || user.disabled) return fail('', ip, pending.userId, user?.role, 'code', at);
  const refused = throttled(user.email, ip, at);
  if (refused) return refused;
  const step = code === undefined ? null : matchingStep(user.totpSecret, code, at);
  return db().transaction((): CodeResult => {
    if (step === null || !useTotpStep(user.id, step)) return fail(user.email, ip, user.id, user.role, 'code', at);
    deleteSession(pending.tokenHash);
    const token = createSession(user.id, 'complete', undefined, at, new Date(at.getTime() + ABSOLUTE_MS));
    throttle.succeed(user.email, ip);
    audit({ actorId: user.id, actorRole: user.role, action: 'inloggen', objectType: 'sessie', result: 'gelukt', clientIp: ip }, at);
    return { ok: true, token, role: user.role, returnTo: pending.returnTo };
  }).immediate();
}

export interface StaffSession {
  user: User;
  session: SessionRow;
}

/** The logged-in staff member behind a cookie, or `undefined` (expired, idle, disabled, pending). */
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
  if (!user || user.disabled) {
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

/** The pending login behind a cookie, to know whether the code page makes sense. */
export function pendingLogin(token: string | undefined, at: Date): boolean {
  const s = findSession(token);
  return s !== undefined && s.stage === 'password' && new Date(s.expiresAt) > at;
}
