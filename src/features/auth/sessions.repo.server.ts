import { createHash, randomBytes } from 'node:crypto';
import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';

export type SessionStage = 'password' | 'complete';

export interface SessionRow {
  tokenHash: string;
  userId: number;
  stage: SessionStage;
  returnTo: string | undefined;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

const statements = lazy(() => {
  const d = db();
  return {
    insert: d.prepare(`
      INSERT INTO sessions (token_hash, user_id, stage, return_to, created_at, last_seen_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
    get: d.prepare(`
      SELECT token_hash AS tokenHash, user_id AS userId, stage, return_to AS returnTo, created_at AS createdAt,
             last_seen_at AS lastSeenAt, expires_at AS expiresAt
      FROM sessions WHERE token_hash = ?`),
    touch: d.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?'),
    remove: d.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    removeForUser: d.prepare('DELETE FROM sessions WHERE user_id = ?'),
    purge: d.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?'),
  };
});

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new session; returns the 256-bit token for the cookie. */
export function createSession(userId: number, stage: SessionStage, returnTo: string | undefined, at: Date, expiresAt: Date): string {
  const token = randomBytes(32).toString('base64url');
  const iso = at.toISOString();
  statements().insert.run(hashSessionToken(token), userId, stage, returnTo ?? null, iso, iso, expiresAt.toISOString());
  return token;
}

export function findSession(token: string | undefined): SessionRow | undefined {
  if (!token || token.length > 100) return undefined;
  const row = statements().get.get(hashSessionToken(token)) as (Omit<SessionRow, 'returnTo'> & { returnTo: string | null }) | undefined;
  return row ? { ...row, returnTo: row.returnTo ?? undefined } : undefined;
}

export function touchSession(tokenHash: string, at: Date): void {
  statements().touch.run(at.toISOString(), tokenHash);
}

export function deleteSession(tokenHash: string): void {
  statements().remove.run(tokenHash);
}

/** Ends every session of a user (account disabled, role changed, second factor reset). */
export function deleteSessionsOfUser(userId: number): void {
  statements().removeForUser.run(userId);
}

export function purgeSessions(at: Date, idleCutoff: Date): number {
  return statements().purge.run(at.toISOString(), idleCutoff.toISOString()).changes;
}
