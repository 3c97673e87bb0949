// Mail is rendered when it is sent (issue 16): an outbox row keeps its kind and parameters, the worker
// renders the text and HTML just before sending. The same text as rendering at enqueue gave; secrets
// (a reset link's token, the police's registration number) never stored in clear; and mail queued by the
// version before (rendered then, in the old outbox) still goes out after the upgrade.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { useTempDatabase } from '#tests/support/unit-db.ts';

const file = useTempDatabase('render-at-send');
const { migrate, readMigrations } = await import('#platform/migrate.ts');
const { fieldsOf } = await import('#platform/crypto/fields.server.ts');
const { SEALED_FORMAT } = await import('#tests/support/sealed.ts');

// The database as the version before left it: every migration up to the one that renders at send time,
// with mail queued then (rendered at enqueue; the reset mail's bodies sealed, as that version did).
const migrations = readMigrations();
const renderAtSend = migrations.findIndex((m) => m.name.endsWith('-mail-rendered-at-send.sql'));
assert.ok(renderAtSend > 0, 'the migration that renders mail at send time');
const legacy = {
  confirmation: { messageId: '<oud-1@meldpunt.example>', to: 'oud.melder@example.nl', subject: 'Bevestiging van uw melding MB-OUDE2345', text: 'Beste melder,\n\nOude tekst.\n', html: '<p>Oude tekst.</p>' },
  reset: { messageId: '<oud-2@meldpunt.example>', to: 'oud.collega@example.nl', subject: 'Nieuw wachtwoord', text: 'https://x/intern/wachtwoord-instellen?sleutel=oudgeheim\n', html: '<a href="https://x/intern/wachtwoord-instellen?sleutel=oudgeheim">link</a>' },
};
{
  const old = new Database(file);
  migrate(old, migrations.slice(0, renderAtSend));
  const sealed = fieldsOf('outbox');
  const insert = old.prepare(`INSERT INTO outbox (kind, recipient, subject, text_body, html_body, message_id, state, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, ?, ?, 'pending', '2026-03-02T10:00:00.000Z', '2026-03-02T10:00:00.000Z')`);
  const c = legacy.confirmation;
  insert.run('reporter_confirmation', sealed.seal('recipient', c.messageId, c.to), c.subject, c.text, c.html, c.messageId);
  const r = legacy.reset;
  insert.run('password_reset', sealed.seal('recipient', r.messageId, r.to), r.subject, sealed.seal('text_body', r.messageId, r.text), sealed.seal('html_body', r.messageId, r.html), r.messageId);
  old.close();
}

const { db } = await import('#platform/db.ts');
const { config } = await import('#platform/config.ts');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { requestReset } = await import('#features/auth/credentials.server.ts');
const { insertUser } = await import('#features/auth/users.repo.server.ts');
const { enqueueMail } = await import('./outbox.repo.server.ts');
const { flushOutbox, renderWith } = await import('./worker.server.ts');
const templates = await import('./templates.rules.ts');
type OutgoingMail = import('./transport.server.ts').OutgoingMail;

/** Sends everything due by `at` through a recorder; returns what went out. */
async function sendAll(at: Date): Promise<OutgoingMail[]> {
  const sent: OutgoingMail[] = [];
  await flushOutbox({ send: async (m) => void sent.push(m), render: renderWith(config()), now: () => at, mailFrom: 'Meldpunt <noreply@test.example>', retryBaseMs: 1000, pollMs: 1000 });
  return sent;
}
const later = new Date(Date.now() + 3_600_000);
const rowOf = (messageId: string) => db().prepare('SELECT * FROM outbox WHERE message_id = ?').get(messageId) as Record<string, string | number | null>;

describe('mail queued before the upgrade', () => {
  test('still goes out after the migration, exactly as it was rendered then; the sealed reset body is emptied once sent', async () => {
    // db() migrated the file on first use.
    assert.equal(db().pragma('user_version', { simple: true }), migrations.length);
    const before = rowOf(legacy.reset.messageId);
    assert.equal(before['params'], null);
    assert.match(String(before['text_body']), SEALED_FORMAT);
    const sent = await sendAll(later);
    for (const m of [legacy.confirmation, legacy.reset]) {
      const mail = sent.find((s) => s.messageId === m.messageId);
      assert.ok(mail, `${m.subject} sent`);
      assert.deepEqual([mail.to, mail.subject, mail.text, mail.html], [m.to, m.subject, m.text, m.html]);
      assert.equal(rowOf(m.messageId)['state'], 'sent');
    }
    const reset = rowOf(legacy.reset.messageId);
    assert.deepEqual([reset['text_body'], reset['html_body']], ['', '']);
  });
});

describe('mail queued now', () => {
  test('a report queues parameters only, and the worker sends the same text rendering at enqueue gave', async () => {
    const { id, reference } = recordReport({
      channel: 'kcc', acuteDanger: false, personName: 'Piet Parameter', locationKind: 'adres', postcode: '9351AB', houseNumber: '12', street: 'Hoofdstraat',
      place: 'Leek', concerns: ['eenzaamheid'], involved: [], description: 'Zorgen over Piet Parameter', anonymous: false, reporterName: 'Anna',
      reporterEmail: 'anna@voorbeeld.nl', captchaStatus: 'niet_van_toepassing',
    });
    const rows = db().prepare('SELECT kind, params, subject, text_body, html_body, message_id AS messageId FROM outbox WHERE report_id = ? ORDER BY kind').all(id) as Record<string, string | null>[];
    assert.deepEqual(rows.map((r) => [r['kind'], r['subject'], r['text_body'], r['html_body']]), [
      ['coordinator_notification', null, null, null],
      ['reporter_confirmation', null, null, null],
    ]);
    const notification = JSON.parse(rows[0]!['params']!) as { urgency: string };
    assert.deepEqual(notification, { reference, channel: 'kcc', urgency: notification.urgency });
    assert.deepEqual(JSON.parse(rows[1]!['params']!), { reference });
    for (const r of rows) assert.doesNotMatch(r['params']!, /Piet|Parameter|Hoofdstraat|Leek|Anna|voorbeeld/);
    assert.ok(rows.every((r) => r['params']!.length < 100), 'a few dozen bytes per mail');

    const sent = await sendAll(later);
    const cfg = config();
    const expected = {
      coordinator_notification: templates.coordinatorNotification({ reference, channel: 'kcc', suggestedUrgency: notification.urgency as 'normaal' }, cfg),
      reporter_confirmation: templates.reporterConfirmation(reference, cfg),
    };
    for (const r of rows) {
      const mail = sent.find((s) => s.messageId === r['messageId'])!;
      const want = expected[r['kind'] as keyof typeof expected];
      assert.deepEqual({ subject: mail.subject, text: mail.text, html: mail.html }, want, String(r['kind']));
    }
    // The texts themselves (spec §7): the reference, what happens next, nothing of the report.
    const confirmation = sent.find((s) => s.messageId === rows[1]!['messageId'])!;
    assert.equal(confirmation.subject, `Bevestiging van uw melding ${reference}`);
    assert.match(confirmation.text, new RegExp(`^Beste melder,\\n\\nBedankt voor uw melding bij het .+\\n\\nUw referentienummer is ${reference}\\. Noem dit nummer als u contact met ons opneemt\\.\\n`));
    assert.equal(confirmation.to, 'anna@voorbeeld.nl');
  });

  test('a password reset: the token is never stored in clear, sealed in the parameters, emptied once sent', async () => {
    insertUser({ email: 'vergeten@test.example', name: 'Vergeten', role: 'kcc', passwordHash: 'x', totpSecret: 'JBSWY3DPEHPK3PXP' });
    requestReset('vergeten@test.example', '127.0.0.1', new Date());
    const row = db().prepare("SELECT * FROM outbox WHERE kind = 'password_reset' AND state = 'pending'").get() as Record<string, string | null>;
    assert.match(row['params']!, SEALED_FORMAT);
    const sent = (await sendAll(later)).filter((m) => m.messageId === row['message_id']);
    assert.equal(sent.length, 1);
    const token = /sleutel=([A-Za-z0-9_-]{43})/.exec(sent[0]!.text)?.[1];
    assert.ok(token, sent[0]!.text);
    assert.deepEqual(sent[0], { ...sent[0]!, ...templates.passwordResetMail(`${config().publicUrl}/intern/wachtwoord-instellen?sleutel=${token}`, config()) });
    // Nowhere in the database in clear: not in the outbox (before or after sending), nor anywhere else.
    assert.doesNotMatch(JSON.stringify(row), new RegExp(token));
    const everything = (db().prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[])
      .map(({ name }) => JSON.stringify(db().prepare(`SELECT * FROM "${name}"`).raw().all()))
      .join('');
    assert.doesNotMatch(everything, new RegExp(token));
    assert.equal(rowOf(row['message_id']!)['params'], '');
  });

  test("the police's registration number is sealed in the outbox as in the report, and in the police mail", async () => {
    const messageIds = (): string[] => (db().prepare("SELECT message_id AS m FROM outbox WHERE kind = 'police_feedback'").all() as { m: string }[]).map((r) => r.m);
    enqueueMail({ kind: 'police_feedback', recipient: 'wijkagent@politie.example', reference: 'MB-ABCD2345', moment: 'afgehandeld', registration: 'PL0100-2026999999' }, config().publicUrl, new Date());
    const [messageId] = messageIds();
    const stored = rowOf(messageId!);
    assert.match(String(stored['params']), SEALED_FORMAT);
    const sent = (await sendAll(later)).find((m) => m.messageId === messageId)!;
    assert.deepEqual({ subject: sent.subject, text: sent.text, html: sent.html }, templates.feedbackMail({ kind: 'politie', registration: 'PL0100-2026999999' }, 'afgehandeld', 'MB-ABCD2345', config()));
    assert.equal(rowOf(messageId!)['params'], '');
  });

  test('a row whose parameters do not fit its kind is a dead letter at once, and the rest of the batch goes out', async () => {
    enqueueMail({ kind: 'role_notice', recipient: 'meldpunt@test.example' }, config().publicUrl, new Date());
    enqueueMail({ kind: 'role_notice', recipient: 'meldpunt@test.example' }, config().publicUrl, new Date());
    const [bad, good] = (db().prepare("SELECT id, message_id AS m FROM outbox WHERE kind = 'role_notice' AND state = 'pending' ORDER BY id").all() as { id: number; m: string }[]);
    db().prepare(`UPDATE outbox SET params = '{"reference":"MB-ABCD2345"}' WHERE id = ?`).run(bad!.id);
    const sent = await sendAll(later);
    assert.deepEqual(sent.map((m) => m.messageId), [good!.m]);
    assert.deepEqual(sent.map((m) => m.subject), [templates.coordinatorRoleNotice(config()).subject]);
    assert.deepEqual([rowOf(bad!.m)['state'], rowOf(bad!.m)['last_error']], ['dead', 'ERENDER']);
  });
});
