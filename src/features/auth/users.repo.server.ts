import { isRole, type Role } from './roles.schema.ts';
import { db } from '#platform/db.ts';
import { fieldsOf, resealed, type ResealBatch } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';
import { now } from '#platform/clock.ts';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  serviceNumber: string | undefined;
  disabled: boolean;
  createdAt: string;
  /** Comes through single sign-on: identity and role are the provider's (issuer + sub). */
  sso: boolean;
  /** A password account whose person has not yet chosen a password and enrolled (an open invitation). */
  invited: boolean;
}

export interface UserWithSecrets extends User {
  passwordHash: string;
  totpSecret: string;
  totpLastStep: number;
}

interface Row {
  id: number;
  email: string;
  name: string;
  role: string;
  service_number: string | null;
  password_hash: string;
  totp_secret: string;
  totp_last_step: number;
  disabled_at: string | null;
  created_at: string;
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

const statements = lazy(() => {
  const d = db();
  return {
    // The id is chosen first: the sealed TOTP secret names its row.
    nextId: d.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM users'),
    insert: d.prepare(`
      INSERT INTO users (id, email, name, role, service_number, password_hash, totp_secret, created_at, updated_at)
      VALUES (@id, @email, @name, @role, @serviceNumber, @passwordHash, @totpSecret, @now, @now)`),
    batch: d.prepare('SELECT id, totp_secret FROM users WHERE id > ? ORDER BY id LIMIT ?'),
    reseal: d.prepare('UPDATE users SET totp_secret = ? WHERE id = ?'),
    byEmail: d.prepare('SELECT * FROM users WHERE email = ? AND oidc_subject IS NULL'),
    byOidc: d.prepare('SELECT * FROM users WHERE oidc_issuer = ? AND oidc_subject = ?'),
    insertSso: d.prepare(`
      INSERT INTO users (email, name, role, service_number, password_hash, totp_secret, oidc_issuer, oidc_subject, created_at, updated_at)
      VALUES (@email, @name, @role, @serviceNumber, '', '', @issuer, @subject, @now, @now)`),
    updateSso: d.prepare('UPDATE users SET email = @email, name = @name, role = @role, service_number = coalesce(@serviceNumber, service_number), updated_at = @now WHERE id = @id'),
    setServiceNumber: d.prepare('UPDATE users SET service_number = ?, updated_at = ? WHERE id = ?'),
    setPassword: d.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?'),
    enrol: d.prepare('UPDATE users SET password_hash = ?, totp_secret = ?, totp_last_step = ?, updated_at = ? WHERE id = ?'),
    byId: d.prepare('SELECT * FROM users WHERE id = ?'),
    list: d.prepare('SELECT * FROM users ORDER BY disabled_at IS NOT NULL, name COLLATE NOCASE, id LIMIT ? OFFSET ?'),
    count: d.prepare('SELECT count(*) AS n FROM users'),
    useStep: d.prepare('UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?'),
    setDisabled: d.prepare('UPDATE users SET disabled_at = ?, updated_at = ? WHERE id = ?'),
    setRole: d.prepare('UPDATE users SET role = ?, updated_at = ? WHERE id = ?'),
    setSecret: d.prepare('UPDATE users SET totp_secret = ?, totp_last_step = 0, updated_at = ? WHERE id = ?'),
  };
});

/** The TOTP secrets are sealed at rest (spec §8): a copy of the database does not yield anyone's second factor. */
const fields = fieldsOf('users');

function toUser(r: Row): UserWithSecrets {
  if (!isRole(r.role)) throw new Error(`unknown role in users table: ${r.role}`);
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    serviceNumber: r.service_number ?? undefined,
    disabled: r.disabled_at !== null,
    createdAt: r.created_at,
    sso: r.oidc_subject !== null,
    invited: r.oidc_subject === null && r.password_hash === '',
    passwordHash: r.password_hash,
    totpSecret: fields.open('totp_secret', r.id, r.totp_secret) ?? '',
    totpLastStep: r.totp_last_step,
  };
}

/** Strips the secrets before a user leaves the auth code. */
export function publicUser(u: UserWithSecrets): User {
  const { passwordHash: _p, totpSecret: _t, totpLastStep: _s, ...user } = u;
  return user;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `at`: the services pass the server's clock; the default serves tests that make accounts directly. */
export function insertUser(u: { email: string; name: string; role: Role; serviceNumber?: string | undefined; passwordHash: string; totpSecret: string }, at: Date = now()): number {
  const id = (statements().nextId.get() as { id: number }).id;
  statements().insert.run({
    id,
    email: normaliseEmail(u.email),
    name: u.name.trim(),
    role: u.role,
    serviceNumber: u.serviceNumber?.trim() || null,
    passwordHash: u.passwordHash,
    // '' (an invited account): no second factor yet, nothing to seal.
    totpSecret: u.totpSecret === '' ? '' : fields.seal('totp_secret', id, u.totpSecret),
    now: at.toISOString(),
  });
  return id;
}

export function findUserByEmail(email: string): UserWithSecrets | undefined {
  const row = statements().byEmail.get(normaliseEmail(email)) as Row | undefined;
  return row ? toUser(row) : undefined;
}

export function findUserById(id: number): UserWithSecrets | undefined {
  const row = statements().byId.get(id) as Row | undefined;
  return row ? toUser(row) : undefined;
}

export function listUsers(limit: number, offset: number): User[] {
  return (statements().list.all(limit, offset) as Row[]).map((r) => publicUser(toUser(r)));
}

export function countUsers(): number {
  return (statements().count.get() as { n: number }).n;
}

/** The single sign-on account of this issuer and subject. */
export function findUserByOidc(issuer: string, subject: string): UserWithSecrets | undefined {
  const row = statements().byOidc.get(issuer, subject) as Row | undefined;
  return row ? toUser(row) : undefined;
}

/** Identity from the provider's claims: name, e-mail, role and (when the claim is there) service number. */
export interface SsoIdentity {
  issuer: string;
  subject: string;
  email: string;
  name: string;
  role: Role;
  serviceNumber: string | undefined;
}

/** Creates the account of a first single sign-on, or brings its identity and role up to date; returns its id. */
export function upsertSsoUser(identity: SsoIdentity, at: Date): number {
  const values = {
    email: normaliseEmail(identity.email),
    name: identity.name.trim(),
    role: identity.role,
    serviceNumber: identity.serviceNumber?.trim() || null,
    now: at.toISOString(),
  };
  const existing = findUserByOidc(identity.issuer, identity.subject);
  if (existing) {
    statements().updateSso.run({ ...values, id: existing.id });
    return existing.id;
  }
  return Number(statements().insertSso.run({ ...values, issuer: identity.issuer, subject: identity.subject }).lastInsertRowid);
}

/** A BOA's service number, set by the admin (single sign-on accounts whose provider sends none). */
export function setServiceNumber(userId: number, serviceNumber: string | undefined, at: Date = now()): void {
  statements().setServiceNumber.run(serviceNumber?.trim() || null, at.toISOString(), userId);
}

export function setPasswordHash(userId: number, passwordHash: string, at: Date = now()): void {
  statements().setPassword.run(passwordHash, at.toISOString(), userId);
}

/** The person's own password and second factor (invitation); `step`: the time step of the code that confirmed it. */
export function enrolUser(userId: number, passwordHash: string, secret: string, step: number, at: Date = now()): void {
  statements().enrol.run(passwordHash, fields.seal('totp_secret', userId, secret), step, at.toISOString(), userId);
}

/** Records a TOTP step as used; false when it (or a later one) was used already. */
export function useTotpStep(userId: number, step: number): boolean {
  return statements().useStep.run(step, userId, step).changes === 1;
}

export function setDisabled(userId: number, disabled: boolean, at: Date = now()): void {
  const iso = at.toISOString();
  statements().setDisabled.run(disabled ? iso : null, iso, userId);
}

export function setRole(userId: number, role: Role, at: Date = now()): void {
  statements().setRole.run(role, at.toISOString(), userId);
}

/** A new TOTP secret; '' takes the second factor away (the person enrols again through a link). */
export function setTotpSecret(userId: number, secret: string, at: Date = now()): void {
  statements().setSecret.run(secret === '' ? '' : fields.seal('totp_secret', userId, secret), at.toISOString(), userId);
}

/** The encryption pass over users (src/features/encryption): TOTP secrets after `afterId` sealed again where needed. */
export function resealUsers(afterId: number, limit: number): ResealBatch<number> {
  const rows = statements().batch.all(afterId, limit) as { id: number; totp_secret: string }[];
  let changed = 0;
  for (const r of rows) {
    const next = resealed(fields, 'totp_secret', r.id, r.totp_secret);
    if (next === r.totp_secret) continue;
    statements().reseal.run(next, r.id);
    changed++;
  }
  return { last: rows.at(-1)?.id, changed };
}
