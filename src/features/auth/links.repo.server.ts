import { createHash, randomBytes } from 'node:crypto';
import { db } from '#platform/db.ts';
import { fieldsOf, resealed, type ResealBatch } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';

/**
 * The only writer of `account_links`: one-time links to reset a password (1 hour) or to accept an
 * invitation (72 hours). The link carries a random 256-bit token; only its SHA-256 is stored. The
 * secret an invitation page showed is kept sealed until a code confirms it.
 */

export type LinkKind = 'reset' | 'invitation';

export interface AccountLink {
  tokenHash: string;
  userId: number;
  kind: LinkKind;
  createdAt: string;
  expiresAt: string;
  usedAt: string | undefined;
  /** The TOTP secret shown on the invitation page ('' when none was shown yet). */
  totpSecret: string;
}

interface Row {
  token_hash: string;
  user_id: number;
  kind: LinkKind;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  totp_secret: string | null;
}

const statements = lazy(() => {
  const d = db();
  return {
    insert: d.prepare('INSERT INTO account_links (token_hash, user_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
    get: d.prepare('SELECT * FROM account_links WHERE token_hash = ?'),
    use: d.prepare('UPDATE account_links SET used_at = ?, totp_secret = NULL WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?'),
    // A new link, a used one, or a password changed otherwise: every other open link of the account stops working.
    closeOthers: d.prepare('UPDATE account_links SET used_at = ?, totp_secret = NULL WHERE user_id = ? AND used_at IS NULL AND token_hash <> ?'),
    setSecret: d.prepare('UPDATE account_links SET totp_secret = ? WHERE token_hash = ?'),
    recent: d.prepare('SELECT count(*) AS n FROM account_links WHERE user_id = ? AND kind = ? AND created_at > ?'),
    purge: d.prepare('DELETE FROM account_links WHERE expires_at <= ?'),
    batch: d.prepare('SELECT token_hash, totp_secret FROM account_links WHERE token_hash > ? ORDER BY token_hash LIMIT ?'),
    reseal: d.prepare('UPDATE account_links SET totp_secret = ? WHERE token_hash = ?'),
  };
});

const fields = fieldsOf('account_links');

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new link for the account; every other open link of the account ends. Returns the token for the URL. */
export function createLink(userId: number, kind: LinkKind, at: Date, validMs: number): string {
  const token = randomBytes(32).toString('base64url');
  const hash = hashLinkToken(token);
  statements().insert.run(hash, userId, kind, at.toISOString(), new Date(at.getTime() + validMs).toISOString());
  statements().closeOthers.run(at.toISOString(), userId, hash);
  return token;
}

/** The link behind a token, if it is open (not used, not expired). */
export function openLink(token: string | undefined, at: Date): AccountLink | undefined {
  if (!token || token.length > 100) return undefined;
  const hash = hashLinkToken(token);
  const row = statements().get.get(hash) as Row | undefined;
  if (!row || row.used_at !== null || new Date(row.expires_at) <= at) return undefined;
  return {
    tokenHash: row.token_hash,
    userId: row.user_id,
    kind: row.kind,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: undefined,
    totpSecret: fields.open('totp_secret', row.token_hash, row.totp_secret) ?? '',
  };
}

/** Marks the link used (once): false when it was used or expired in the meantime. Other open links of the account end too. */
export function useLink(link: AccountLink, at: Date): boolean {
  const used = statements().use.run(at.toISOString(), link.tokenHash, at.toISOString()).changes === 1;
  if (used) statements().closeOthers.run(at.toISOString(), link.userId, link.tokenHash);
  return used;
}

/** Ends every open link of an account (its password was changed another way, or it was disabled). */
export function closeLinksOf(userId: number, at: Date): void {
  statements().closeOthers.run(at.toISOString(), userId, '');
}

/** Keeps the secret an invitation page showed, so that the code the person types can confirm it. */
export function keepShownSecret(link: AccountLink, secret: string): void {
  statements().setSecret.run(fields.seal('totp_secret', link.tokenHash, secret), link.tokenHash);
}

/** How many links of this kind the account got since `since` (to brake repeated reset requests). */
export function linksSince(userId: number, kind: LinkKind, since: Date): number {
  return (statements().recent.get(userId, kind, since.toISOString()) as { n: number }).n;
}

export function purgeLinks(at: Date): number {
  return statements().purge.run(at.toISOString()).changes;
}

/** The encryption pass over account_links: the shown secrets sealed again where needed. */
export function resealLinks(after: string, limit: number): ResealBatch<string> {
  const rows = statements().batch.all(after, limit) as { token_hash: string; totp_secret: string | null }[];
  let changed = 0;
  for (const r of rows) {
    const next = resealed(fields, 'totp_secret', r.token_hash, r.totp_secret);
    if (next === r.totp_secret) continue;
    statements().reseal.run(next, r.token_hash);
    changed++;
  }
  return { last: rows.at(-1)?.token_hash, changed };
}
