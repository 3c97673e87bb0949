import { createHash, randomBytes } from 'node:crypto';
import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';

/**
 * The only writer of `oidc_logins`: a single sign-on in progress. The browser holds a random binding
 * token in a cookie (only its hash is stored); the row holds what the callback must match (state, nonce)
 * and the PKCE verifier. Taken once, valid ten minutes.
 */

export interface OidcLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string | undefined;
  expiresAt: string;
}

export const OIDC_LOGIN_MS = 10 * 60_000;

const statements = lazy(() => {
  const d = db();
  return {
    insert: d.prepare('INSERT INTO oidc_logins (binding_hash, state, nonce, code_verifier, return_to, expires_at) VALUES (?, ?, ?, ?, ?, ?)'),
    take: d.prepare('DELETE FROM oidc_logins WHERE binding_hash = ? RETURNING state, nonce, code_verifier AS codeVerifier, return_to AS returnTo, expires_at AS expiresAt'),
    purge: d.prepare('DELETE FROM oidc_logins WHERE expires_at <= ?'),
  };
});

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Records a login in progress; returns the binding token for the cookie. */
export function beginOidcLogin(login: Omit<OidcLogin, 'expiresAt'>, at: Date): string {
  const binding = randomBytes(32).toString('base64url');
  statements().purge.run(at.toISOString());
  statements().insert.run(hash(binding), login.state, login.nonce, login.codeVerifier, login.returnTo ?? null, new Date(at.getTime() + OIDC_LOGIN_MS).toISOString());
  return binding;
}

/** The login in progress behind the cookie, taken (it works once); undefined when absent or expired. */
export function takeOidcLogin(binding: string | undefined, at: Date): OidcLogin | undefined {
  if (!binding || binding.length > 100) return undefined;
  const row = statements().take.get(hash(binding)) as (Omit<OidcLogin, 'returnTo'> & { returnTo: string | null }) | undefined;
  if (!row || new Date(row.expiresAt) <= at) return undefined;
  return { ...row, returnTo: row.returnTo ?? undefined };
}
