import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

useTempDatabase('encryption');
const { db } = await import('#platform/db.ts');
const { config } = await import('#platform/config.ts');
const { keyring, resetKeyring } = await import('#platform/crypto/keyring.server.ts');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { findReportByReference } = await import('#features/reports/reports.repo.server.ts');
const { addNote, addEvent } = await import('#features/triage/triage.repo.server.ts');
const { insertUser, findUserById } = await import('#features/auth/users.repo.server.ts');
const { queuePage } = await import('#features/triage/triage.queries.server.ts');
const { insertCase, updateCase, addCaseEvent, insertAction } = await import('#features/casus/casus.repo.server.ts');
const { caseDetails } = await import('#features/casus/casus.queries.server.ts');
const { insertMeeting, insertAgendaItem, recordAgreements } = await import('#features/mdo/mdo.repo.server.ts');
const { meetingById, meetingsOfCase } = await import('#features/mdo/mdo.queries.server.ts');
const { passNeeded, runPass, prepareEncryption } = await import('./encryption.server.ts');
const { anyPlainValue } = await import('./encryption.queries.server.ts');
const { reportRow, noteRows, eventRows, SEALED_FORMAT } = await import('#tests/support/sealed.ts');
const { createLink, keepShownSecret, openLink } = await import('#features/auth/links.repo.server.ts');
const { claimDueMail, enqueueMail } = await import('#features/mail/outbox.repo.server.ts');

const author = insertUser({ email: 'c@test.example', name: 'Carla', role: 'coordinator', passwordHash: 'x', totpSecret: 'JBSWY3DPEHPK3PXP' });
const report = (name: string) =>
  recordReport({
    channel: 'inwoner', acuteDanger: false, personName: name, locationKind: 'adres', postcode: '9351AB', houseNumber: '12', street: 'Hoofdstraat',
    place: 'Leek', concerns: ['eenzaamheid'], involved: [], description: `Zorgen over ${name}`, anonymous: false, reporterName: 'Anna',
    reporterEmail: 'anna@voorbeeld.nl', captchaStatus: 'niet_van_toepassing',
  });
const keyIds = (): Set<string> => {
  const values = [
    ...(db().prepare('SELECT person_name AS v FROM reports UNION ALL SELECT description FROM reports UNION ALL SELECT body FROM report_notes UNION ALL SELECT reason FROM report_events WHERE reason IS NOT NULL UNION ALL SELECT answers FROM drafts UNION ALL SELECT recipient FROM outbox UNION ALL SELECT totp_secret FROM users WHERE totp_secret <> \'\' UNION ALL SELECT params FROM outbox WHERE kind IN (\'password_reset\', \'invitation\', \'police_feedback\') AND params <> \'\' UNION ALL SELECT totp_secret FROM account_links WHERE totp_secret IS NOT NULL UNION ALL SELECT name FROM cases UNION ALL SELECT case_director FROM cases WHERE case_director IS NOT NULL UNION ALL SELECT reason FROM case_events WHERE reason IS NOT NULL UNION ALL SELECT to_value FROM case_events WHERE kind = \'regie\' UNION ALL SELECT what FROM case_actions UNION ALL SELECT who FROM case_actions UNION ALL SELECT participants FROM meetings UNION ALL SELECT question FROM meeting_items UNION ALL SELECT agreements FROM meeting_items WHERE agreements IS NOT NULL').all() as { v: string }[]),
  ];
  return new Set(values.map((r) => r.v.split('.')[1]!));
};

test('the upgrade: plain values from before encryption are sealed by the pass, blind indexes computed, nothing lost', () => {
  const { id, reference } = report('Piet Plain');
  addNote(id, author, 'Huisbezoek gedaan', new Date());
  // A database from before encryption: put the plain text back, as migration 0010 copies it.
  db().prepare("UPDATE reports SET person_name = 'Piet Plain', description = 'Zorgen over Piet Plain', street = 'Hoofdstraat', address_key = NULL, name_key = NULL WHERE id = ?").run(id);
  db().exec("DROP TRIGGER report_notes_append_only_update");
  db().prepare("UPDATE report_notes SET body = 'Huisbezoek gedaan' WHERE report_id = ?").run(id);
  db().exec(`CREATE TRIGGER report_notes_append_only_update BEFORE UPDATE ON report_notes
    WHEN NEW.id IS NOT OLD.id OR NEW.report_id IS NOT OLD.report_id OR NEW.author_id IS NOT OLD.author_id
      OR NEW.created_at IS NOT OLD.created_at OR meldpunt_rekeying() IS NOT 1
    BEGIN SELECT RAISE(ABORT, 'report_notes is append-only'); END;`);
  db().prepare("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE id = ?").run(author);
  assert.equal(queuePage({ search: 'Piet Plain', status: 'alle' }, '2026-01-01', 10, 0).total, 0, 'no blind index yet');

  assert.equal(passNeeded(), true);
  assert.equal(anyPlainValue(), true);
  const logged: string[] = [];
  prepareEncryption((line) => logged.push(line));
  assert.ok(logged.some((l) => /versleuteld/.test(l)));
  assert.equal(passNeeded(), false);
  assert.equal(anyPlainValue(), false);
  assert.match(String(db().prepare('SELECT person_name FROM reports WHERE id = ?').pluck().get(id)), SEALED_FORMAT);
  assert.equal(reportRow(reference)['person_name'], 'Piet Plain');
  assert.equal(noteRows(id)[0]!['body'], 'Huisbezoek gedaan');
  assert.equal(findUserById(author)?.totpSecret, 'JBSWY3DPEHPK3PXP');
  assert.equal(queuePage({ search: 'piet plain', status: 'alle' }, '2026-01-01', 10, 0).rows[0]?.reference, reference, 'found by its new blind index');
  // Nothing plain is left anywhere.
  assert.deepEqual([...keyIds()], [keyring().current.id]);
  // A second pass changes nothing.
  assert.deepEqual(Object.values(runPass()).reduce((a, b) => a + b, 0), 0);
});

test('rotation: a new key in the file, the old one still reads; the pass re-keys every value in batches, resumable', () => {
  const { id, reference } = report('Rita Rotatie');
  addEvent(id, author, new Date(), 'regie', null, 'CR: J. Jansen, Sociaal team', 'Besproken in het MDO');
  // A casus of hers: its name, regisseur and trajectory are sealed too.
  const nummer = insertCase('Mevr. R., Hoofdstraat', 'ave2', author, new Date());
  updateCase(nummer, { case_director: 'J. Jansen, Sociaal team' }, new Date());
  addCaseEvent(nummer, author, new Date(), 'opgeschaald', 'ave2', 'ave3', 'Zorg en veiligheid');
  addCaseEvent(nummer, author, new Date(), 'regie', null, 'Casusregisseur: J. Jansen, Sociaal team');
  insertAction(nummer, { what: 'Huisbezoek plannen', who: 'Sociaal team', dueOn: '2026-12-01' }, author, new Date());
  // Her MDO: participants, the question and the agreements are sealed too.
  const overleg = insertMeeting({ heldOn: '2026-12-03', kind: 'mdo', participants: 'GGZ, Sociaal team' }, author, new Date());
  recordAgreements(insertAgendaItem(overleg, nummer, 'Wie neemt de regie?', author, new Date()), 'Sociaal team neemt de regie', author, new Date());
  // An invitation whose page showed a secret, and a reset mail with its one-time link: both sealed.
  const link = createLink(author, 'invitation', new Date(), 3_600_000);
  keepShownSecret(openLink(link, new Date())!, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
  enqueueMail({ kind: 'password_reset', recipient: 'c@test.example', link: 'https://x/intern/wachtwoord-instellen?sleutel=geheim' }, 'https://meldpunt.example', new Date());
  const oldId = keyring().current.id;
  appendFileSync(config().dataKey.file, `${randomBytes(32).toString('base64')}\n`);
  resetKeyring();
  const newId = keyring().current.id;
  assert.notEqual(newId, oldId);
  // Before the pass: old values still read, new values go under the new key, search finds both.
  assert.equal(findReportByReference(reference)?.personName, 'Rita Rotatie');
  assert.equal(queuePage({ search: 'Rita Rotatie', status: 'alle' }, '2026-01-01', 10, 0).total, 1);
  assert.deepEqual([...keyIds()].sort(), [oldId].sort());
  assert.equal(passNeeded(), true);

  // A pass stopped after its first batch (a crash) leaves a mix; running it again completes it.
  let batches = 0;
  assert.throws(() =>
    runPass({
      batchSize: 1,
      onBatch: () => {
        if (++batches === 1) throw new Error('kill -9');
      },
    }),
  );
  assert.equal(keyIds().size, 2, 'halfway: both keys in use');
  assert.equal(passNeeded(), true);
  runPass({ batchSize: 2 });
  assert.deepEqual([...keyIds()], [newId]);
  assert.equal(passNeeded(), false);
  assert.equal(reportRow(reference)['person_name'], 'Rita Rotatie');
  assert.deepEqual(eventRows(id).map((e) => [e['to_value'], e['reason']]), [['CR: J. Jansen, Sociaal team', 'Besproken in het MDO']]);
  assert.equal(queuePage({ search: 'rita rotatie', status: 'alle' }, '2026-01-01', 10, 0).rows[0]?.reference, reference);
  assert.equal(findUserById(author)?.totpSecret, 'JBSWY3DPEHPK3PXP');
  assert.equal(openLink(link, new Date())?.totpSecret, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567');
  assert.deepEqual(claimDueMail(new Date(Date.now() + 60_000), new Date(Date.now() + 120_000), 10).find((m) => m.kind === 'password_reset')?.content, { params: { kind: 'password_reset', link: 'https://x/intern/wachtwoord-instellen?sleutel=geheim' } });
  const casus = caseDetails(nummer)!;
  assert.equal(casus.summary.name, 'Mevr. R., Hoofdstraat');
  assert.equal(casus.summary.caseDirector, 'J. Jansen, Sociaal team');
  assert.deepEqual(casus.actions.map((a) => [a.what, a.who]), [['Huisbezoek plannen', 'Sociaal team']]);
  assert.equal(meetingById(overleg)?.participants, 'GGZ, Sociaal team');
  assert.deepEqual(meetingsOfCase(nummer).map((m) => [m.question, m.agreements]), [['Wie neemt de regie?', 'Sociaal team neemt de regie']]);
  assert.deepEqual(casus.events.map((e) => [e.kind, e.toValue, e.reason]).sort(), [['opgeschaald', 'ave3', 'Zorg en veiligheid'], ['regie', 'Casusregisseur: J. Jansen, Sociaal team', null]]);
});

test('notes stay append-only outside the pass, also for the same text sealed again', () => {
  const { id } = report('Nora Notitie');
  addNote(id, author, 'Gebeld', new Date());
  const note = db().prepare('SELECT id, body FROM report_notes WHERE report_id = ?').get(id) as { id: number; body: string };
  assert.throws(() => db().prepare('UPDATE report_notes SET body = ? WHERE id = ?').run(note.body, note.id), /append-only/);
});

test('a database encrypted under a key that is not there: the start refuses, names the key, creates none', async () => {
  const { rmSync, existsSync, writeFileSync } = await import('node:fs');
  const file = config().dataKey.file;
  rmSync(file);
  resetKeyring();
  assert.throws(() => prepareEncryption(() => {}), /versleuteld met sleutel [0-9a-f]{8}, maar die staat niet in .*data-key/);
  assert.equal(existsSync(file), false, 'no new key made over an encrypted database');
  writeFileSync(file, `${randomBytes(32).toString('base64')}\n`);
  resetKeyring();
  assert.throws(() => prepareEncryption(() => {}), /Zet het sleutelbestand terug/);
});
