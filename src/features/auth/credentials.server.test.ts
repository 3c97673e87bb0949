import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/**
 * Staff's own secrets against a real SQLite file (credentials.server.ts): invitation links and reset
 * links are 256-bit tokens stored only as a hash, used once, expiring after 72 hours and 1 hour; the mails
 * that carry them are sealed in the outbox; the invitation completes only with a code of the secret shown.
 */

useTempDatabase('credentials');
const { inviteAccount, openInvitation, acceptInvitation, requestReset, useReset, adminReset, enrolmentForShownSecret } = await import('./credentials.server.ts');
const { insertUser, findUserByEmail } = await import('./users.repo.server.ts');
const { createSession } = await import('./sessions.repo.server.ts');
const { hashPassword, verifyPassword } = await import('./passwords.server.ts');
const { timeStep, totpCode } = await import('./totp.server.ts');
const { claimDueMail, markSent } = await import('#features/mail/outbox.repo.server.ts');
const { renderWith } = await import('#features/mail/worker.server.ts');
const { config } = await import('#platform/config.ts');
const { db } = await import('#platform/db.ts');

const admin = { id: insertUser({ email: 'beheer@test.example', name: 'Beheer', role: 'admin', passwordHash: 'x', totpSecret: '' }), role: 'admin' as const, ip: '127.0.0.1' };
const at = new Date('2026-03-02T09:00:00Z');
const plus = (ms: number) => new Date(at.getTime() + ms);
const count = (sql: string, ...args: unknown[]) => (db().prepare(sql).get(...args) as { n: number }).n;

/** The token in the newest unsent mail of a kind, as the worker would send it (and then the mail is marked sent). */
function tokenFromMail(kind: string, when: Date): string {
  const mail = claimDueMail(when, plus(3_600_000), 50).filter((m) => m.kind === kind).at(-1);
  assert.ok(mail, `a ${kind} mail`);
  const { text } = renderWith(config())(mail);
  const token = /sleutel=([A-Za-z0-9_-]{43})/.exec(text)?.[1];
  assert.ok(token, text);
  markSent(mail.id, when);
  return token;
}

describe('invitation', () => {
  test('no password and no secret until the person enrols with a code of the secret shown; once only', async () => {
    const result = inviteAccount({ email: 'nieuw@test.example', name: 'Nieuwe Collega', role: 'coordinator', serviceNumber: '' }, admin, at);
    assert.equal(result.ok, true);
    const user = findUserByEmail('nieuw@test.example')!;
    assert.equal(user.passwordHash, '');
    assert.equal(user.totpSecret, '');
    assert.equal(user.invited, true);
    // Sealed while unsent: the stored parameters hold no link, and no body is stored.
    const stored = db().prepare("SELECT params, subject, text_body, html_body FROM outbox WHERE kind = 'invitation'").get() as Record<string, string | null>;
    assert.match(stored['params']!, /^v1\./);
    assert.doesNotMatch(stored['params']!, /sleutel|welkom/);
    assert.deepEqual([stored['subject'], stored['text_body'], stored['html_body']], [null, null, null]);
    // A coordinator: the coordinators' mailbox gets a notice.
    assert.equal(count("SELECT count(*) AS n FROM outbox WHERE kind = 'role_notice'"), 1);
    const token = tokenFromMail('invitation', at);
    // Sent: the parameters are emptied; only the token's hash is stored.
    assert.equal(count("SELECT count(*) AS n FROM outbox WHERE kind = 'invitation' AND params = ''"), 1);
    assert.equal(count('SELECT count(*) AS n FROM account_links WHERE token_hash = ?', token), 0);

    const shown = await openInvitation(token, plus(60_000));
    assert.ok(shown);
    assert.match(shown.qrSvg, /^<svg role="img" aria-label="QR-code om de authenticator-app in te stellen"/);
    // A refused form shows the same secret again.
    assert.equal((await enrolmentForShownSecret(token, plus(60_000)))?.secret, shown.secret);
    const wrong = await acceptInvitation(token, 'een zin die lang genoeg is', '000000', '127.0.0.1', plus(60_000));
    assert.equal(wrong.ok, false);
    assert.equal(findUserByEmail('nieuw@test.example')!.totpSecret, '');

    const when = plus(120_000);
    const done = await acceptInvitation(token, 'een zin die lang genoeg is', totpCode(shown.secret, timeStep(when)), '127.0.0.1', when);
    assert.deepEqual(done, { ok: true });
    const enrolled = findUserByEmail('nieuw@test.example')!;
    assert.equal(enrolled.totpSecret, shown.secret);
    assert.equal(await verifyPassword('een zin die lang genoeg is', enrolled.passwordHash), true);
    // Once only.
    assert.equal(await openInvitation(token, plus(180_000)), undefined);
    assert.equal((await acceptInvitation(token, 'nog een andere zin hier', totpCode(shown.secret, timeStep(when)), '127.0.0.1', plus(180_000))).ok, false);
  });

  test('expires after 72 hours', async () => {
    inviteAccount({ email: 'laat@test.example', name: 'Laat', role: 'kcc', serviceNumber: '' }, admin, at);
    const token = tokenFromMail('invitation', at);
    assert.ok(await openInvitation(token, plus(71 * 3_600_000)));
    assert.equal(await openInvitation(token, plus(72 * 3_600_000)), undefined);
  });
});

describe('password reset', () => {
  test('an unknown address sends nothing; a known one a link valid 1 hour, used once; the sessions end', async () => {
    const id = insertUser({ email: 'vergeten@test.example', name: 'Vergeten', role: 'kcc', passwordHash: await hashPassword('het oude wachtwoord'), totpSecret: 'JBSWY3DPEHPK3PXP' });
    const before = count("SELECT count(*) AS n FROM outbox WHERE kind = 'password_reset'");
    requestReset('niemand@test.example', '127.0.0.1', at);
    assert.equal(count("SELECT count(*) AS n FROM outbox WHERE kind = 'password_reset'"), before);
    requestReset('Vergeten@Test.example', '127.0.0.1', at);
    // Asked again within five minutes: no second mail.
    requestReset('vergeten@test.example', '127.0.0.1', plus(60_000));
    assert.equal(count("SELECT count(*) AS n FROM outbox WHERE kind = 'password_reset'"), before + 1);
    const token = tokenFromMail('password_reset', at);

    createSession(id, 'complete', undefined, at, plus(8 * 3_600_000));
    assert.equal(await useReset(token, 'een heel nieuw wachtwoord', '127.0.0.1', plus(61 * 60_000)), false);
    assert.equal(await useReset(token, 'een heel nieuw wachtwoord', '127.0.0.1', plus(59 * 60_000)), true);
    assert.equal(await verifyPassword('een heel nieuw wachtwoord', findUserByEmail('vergeten@test.example')!.passwordHash), true);
    assert.equal(count('SELECT count(*) AS n FROM sessions WHERE user_id = ?', id), 0);
    assert.equal(await useReset(token, 'nog een ander wachtwoord', '127.0.0.1', plus(59 * 60_000)), false);

    // The admin's reset ends the sessions at once, before the link is used.
    createSession(id, 'complete', undefined, at, plus(8 * 3_600_000));
    assert.equal(adminReset(id, admin, plus(2 * 3_600_000)), true);
    assert.equal(count('SELECT count(*) AS n FROM sessions WHERE user_id = ?', id), 0);
    const audited = db().prepare("SELECT action, result FROM audit_log WHERE object_id = ? AND action LIKE 'wachtwoord_%' ORDER BY id").all(String(id));
    assert.deepEqual(audited.map((r) => `${(r as { action: string }).action}:${(r as { result: string }).result}`), [
      'wachtwoord_herstel_gevraagd:gelukt',
      'wachtwoord_herstel_gevraagd:geweigerd',
      'wachtwoord_herstel_gebruikt:gelukt',
      'wachtwoord_herstel_gevraagd:gelukt',
    ]);
  });
});
