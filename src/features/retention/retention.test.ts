import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useTempDatabase } from '#tests/support/unit-db.ts';
import { residentReport } from '#tests/support/intake.ts';

useTempDatabase('retention');
const { db } = await import('#platform/db.ts');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { applyRetention, nextBatchSize, RETENTION_BATCH_MS } = await import('./retention.server.ts');
const { deletedEarlier } = await import('./retention.queries.server.ts');
const { CONTACT_WIPED_ERROR, reviveDeadLetter } = await import('#features/mail/outbox.repo.server.ts');
const { blindLookups, findReportByReference } = await import('#features/reports/reports.repo.server.ts');

const DAY = 86_400_000;
const at = new Date('2030-06-01T10:00:00Z');
const daysAgo = (n: number) => new Date(at.getTime() - n * DAY).toISOString();

function report(status: string, closedDaysAgo: number | null, email = 'melder@test.example'): string {
  const { id, reference } = recordReport(residentReport({ reporterEmail: email }));
  db().prepare('UPDATE reports SET status = ?, closed_at = ?, outcome = ? WHERE id = ?').run(status, closedDaysAgo === null ? null : daysAgo(closedDaysAgo), 'geen_actie', id);
  return reference;
}

/**
 * Retention after a report that came in just now: retention never deletes the newest report (its id would be
 * given again, see stillClosedBefore), and in these tests the newest would otherwise be one that expired.
 */
function runRetention(...args: Parameters<typeof applyRetention>): ReturnType<typeof applyRetention> {
  report('in_behandeling', null);
  return applyRetention(...args);
}

const row = (reference: string) => {
  const r = findReportByReference(reference);
  const erased = db().prepare('SELECT contact_erased_at FROM reports WHERE reference = ?').get(reference) as { contact_erased_at: string | null } | undefined;
  return r && erased
    ? { reporter_name: r.reporterName ?? null, reporter_phone: r.reporterPhone ?? null, reporter_email: r.reporterEmail ?? null, contact_erased_at: erased.contact_erased_at }
    : undefined;
};

test('retention: contact details, cancelled reports and old reports, with a deletion log', async () => {
  const open = report('in_behandeling', null);
  const recent = report('afgesloten', 100);
  const yearOld = report('afgesloten', 400);
  const cancelledOld = report('geannuleerd', 400);
  const cancelledNew = report('geannuleerd', 10);
  const ancient = report('afgesloten', 1900);

  // The keys swept after a deletion: all but address, BAG object and person, which the deletion log keeps.
  const KEPT = "('reference', 'address', 'bag', 'person')";
  const keysOf = (references: string[], which = `kind NOT IN ${KEPT}`) =>
    db()
      .prepare(`SELECT count(*) FROM report_keys WHERE ${which} AND report_id IN (SELECT id FROM reports WHERE reference IN (SELECT value FROM json_each(?)))`)
      .pluck()
      .get(JSON.stringify(references)) as number;
  const kindsOf = (references: string[]) =>
    db()
      .prepare(`SELECT count(DISTINCT kind) FROM report_keys WHERE kind NOT IN ${KEPT} AND report_id IN (SELECT id FROM reports WHERE reference IN (SELECT value FROM json_each(?)))`)
      .pluck()
      .get(JSON.stringify(references)) as number;
  const keys = keysOf([cancelledOld, ancient]);
  const kinds = kindsOf([cancelledOld, ancient]);
  const kept = keysOf([cancelledOld, ancient], `kind IN ${KEPT}`);
  assert.ok(keys >= 4 && kinds >= 2 && kept >= 4, 'the postcode and the name of each, and its reference, address and person');

  const { batches, longestBatchMs, keyBatches, ...result } = await runRetention(at);
  // Deleted reports first; the contact details of the one closed a year ago are erased (the deleted ones are gone).
  assert.deepEqual(result, { contactsErased: 1, callersErased: 0, cancelledDeleted: 1, reportsDeleted: 1, casesDeleted: 0, keysSwept: keys });
  // One transaction per kind: deletions (cancelled and old together, in id order), erasures of reporters and of
  // callers, casussen; then one per kind of key of the deleted reports, and one that forgets them.
  assert.equal(keyBatches, kinds + 1);
  assert.equal(batches, 4 + keyBatches);
  // The keys the deleted reports left are gone too, and so is the list of them; address and person stay,
  // found through the deletion log.
  assert.equal(db().prepare(`SELECT count(*) FROM report_keys WHERE kind NOT IN ${KEPT} AND report_id NOT IN (SELECT id FROM reports)`).pluck().get(), 0);
  assert.equal(
    db().prepare(`SELECT count(*) FROM report_keys k JOIN deletion_log d ON d.report_id = k.report_id WHERE d.reference IN (?, ?)`).pluck().get(cancelledOld, ancient),
    kept,
  );
  assert.equal(db().prepare('SELECT count(*) FROM report_keys_gone').pluck().get(), 0);
  assert.ok(keysOf([open, recent, yearOld, cancelledNew], '1') >= 12, 'the kept reports keep their keys');
  assert.ok(longestBatchMs > 0);

  assert.equal(row(open)?.reporter_name, 'Melder Naam', 'an open report keeps the reporter');
  assert.equal(row(recent)?.reporter_email, 'melder@test.example', 'closed 100 days ago: kept');
  assert.deepEqual({ ...row(yearOld), contact_erased_at: undefined }, { reporter_name: null, reporter_phone: null, reporter_email: null, contact_erased_at: undefined });
  assert.ok(row(yearOld)?.contact_erased_at);
  assert.equal(row(cancelledOld), undefined, 'cancelled over a year ago: deleted');
  assert.ok(row(cancelledNew), 'cancelled 10 days ago: kept');
  assert.equal(row(ancient), undefined, 'closed over 5 years ago: deleted');

  const log = db().prepare('SELECT reference, rule, status, outcome FROM deletion_log ORDER BY id').all();
  assert.deepEqual(log, [
    { reference: cancelledOld, rule: 'geannuleerd', status: 'geannuleerd', outcome: 'geen_actie' },
    { reference: ancient, rule: 'bewaartermijn', status: 'afgesloten', outcome: 'geen_actie' },
  ]);
  for (const reference of [cancelledOld, ancient]) {
    const left = db().prepare('SELECT count(*) AS n FROM report_concerns c JOIN reports r ON r.id = c.report_id WHERE r.reference = ?').get(reference) as { n: number };
    assert.equal(left.n, 0);
  }
  const audited = db().prepare("SELECT detail FROM audit_log WHERE action = 'bewaartermijn_toegepast'").all() as { detail: string }[];
  assert.equal(audited.length, 1);
  assert.doesNotMatch(audited[0]!.detail, /Melder|Dhr/);

  const { batches: _b, longestBatchMs: _l, ...again } = await runRetention(at);
  assert.deepEqual(
    again,
    { contactsErased: 0, callersErased: 0, cancelledDeleted: 0, reportsDeleted: 0, casesDeleted: 0, keysSwept: 0, keyBatches: 0 },
    'a second run changes nothing',
  );
});

test("'uitgezet' and acute records are closed reports too: contact erased after a year, deleted after five", async () => {
  const handedOnYearAgo = report('uitgezet', 400);
  const handedOnLongAgo = report('uitgezet', 1900);
  const acute = (createdDaysAgo: number) =>
    recordReport(residentReport({ status: 'acuut_doorgezet', acuteDanger: true }), { now: new Date(daysAgo(createdDaysAgo)) }).reference;
  const acuteNew = acute(10);
  const acuteOld = acute(1900);
  const closedAt = (reference: string) => db().prepare('SELECT closed_at FROM reports WHERE reference = ?').pluck().get(reference);
  assert.equal(closedAt(acuteNew), daysAgo(10), 'an acute record is closed when it is made');

  const result = await runRetention(at);
  assert.equal(result.reportsDeleted, 2);
  assert.equal(row(handedOnYearAgo)?.reporter_email, null, 'uitgezet a year ago: the reporter erased');
  assert.ok(row(handedOnYearAgo)?.contact_erased_at);
  assert.equal(row(handedOnLongAgo), undefined, 'uitgezet over 5 years ago: deleted');
  assert.ok(findReportByReference(acuteNew), 'an acute record of 10 days: kept');
  assert.equal(findReportByReference(acuteOld), undefined, 'an acute record of over 5 years: deleted');
  const log = db().prepare('SELECT reference, rule, status FROM deletion_log WHERE reference IN (?, ?) ORDER BY id').all(handedOnLongAgo, acuteOld);
  assert.deepEqual(log, [
    { reference: handedOnLongAgo, rule: 'bewaartermijn', status: 'uitgezet' },
    { reference: acuteOld, rule: 'bewaartermijn', status: 'acuut_doorgezet' },
  ]);
  // Its confirmation mail was never sent (no worker here): it loses the reporter's address with the report,
  // and is not sent any more; so does that of a deleted report.
  const confirmation = db()
    .prepare("SELECT o.recipient, o.state, o.last_error AS lastError FROM outbox o JOIN reports r ON r.id = o.report_id WHERE r.reference = ? AND o.kind = 'reporter_confirmation'")
    .all(handedOnYearAgo);
  assert.deepEqual(confirmation, [{ recipient: '', state: 'dead', lastError: CONTACT_WIPED_ERROR }]);
  const wiped = db().prepare("SELECT o.id FROM outbox o JOIN reports r ON r.id = o.report_id WHERE r.reference = ? AND o.kind = 'reporter_confirmation'").pluck().get(handedOnYearAgo) as number;
  assert.equal(reviveDeadLetter(wiped, at), false, 'an admin cannot send it again: it has no address');
  assert.equal(db().prepare("SELECT count(*) FROM outbox WHERE report_id IS NULL AND kind = 'reporter_confirmation' AND recipient <> ''").pluck().get(), 0);
  assert.ok((db().prepare("SELECT count(*) FROM outbox WHERE report_id IS NULL AND kind = 'reporter_confirmation'").pluck().get() as number) >= 1);
  const mails = db().prepare("SELECT count(*) FILTER (WHERE o.recipient <> '') AS addressed, count(*) AS n FROM outbox o JOIN reports r ON r.id = o.report_id WHERE r.reference = ?");
  const kept = mails.get(acuteNew) as { addressed: number; n: number };
  assert.ok(kept.n >= 1 && kept.addressed === kept.n, 'a kept report keeps the addresses of its mails');
});

test('recurrence survives deletion: the deletion log keeps blind indexes of address and person, no content', async () => {
  const before = db().prepare('SELECT count(*) AS n FROM deletion_log').get() as { n: number };
  report('afgesloten', 2000);
  await runRetention(at);
  const logged = db().prepare('SELECT * FROM deletion_log ORDER BY id DESC LIMIT 1').get() as Record<string, unknown>;
  assert.equal((db().prepare('SELECT count(*) AS n FROM deletion_log').get() as { n: number }).n, before.n + 1);
  // Its reference, address and person keys stay in report_keys under the report's id (migration 0028), not in the row.
  assert.ok(Number(logged['report_id']) > 0);
  assert.equal(logged['address_key'], null);
  const keptKeys = db().prepare("SELECT kind, key FROM report_keys WHERE report_id = ? AND kind IN ('address', 'person') ORDER BY kind").all(logged['report_id']) as { kind: string; key: string }[];
  assert.deepEqual(keptKeys.map((k) => k.kind), ['address', 'person']);
  for (const k of keptKeys) assert.match(k.key, /^[\w-]{22}$/);
  assert.doesNotMatch(JSON.stringify(logged), /9351|Dhr|Melder|beschrijving/i);

  // A new report about the same address (another spelling) and person finds them; another address does not.
  const fresh = findReportByReference(report('in_behandeling', null));
  assert.ok(fresh);
  const found = deletedEarlier(blindLookups({ ...fresh, postcode: '9351AB', houseNumber: '012' }));
  assert.ok(found.address && found.address.count >= 2, 'the address: every deleted report about it');
  assert.ok(found.person && found.person.count >= 2, 'the person');
  assert.equal(found.address.lastCreatedAt, (db().prepare('SELECT max(created_at) AS m FROM deletion_log').get() as { m: string }).m);
  const elsewhere = deletedEarlier(blindLookups({ ...fresh, postcode: '9351AC', personName: 'Iemand Anders' }));
  assert.deepEqual(elsewhere, { address: undefined, person: undefined });
});

test('notes are append-only in the database: no UPDATE, no DELETE, except with their report through retention', async () => {
  const { insertUser } = await import('#features/auth/users.repo.server.ts');
  const author = insertUser({ email: `notes-${Date.now()}@test.example`, name: 'Coördinator', role: 'coordinator', passwordHash: 'x', totpSecret: 'x' }, at);
  const kept = report('in_behandeling', null);
  const old = report('afgesloten', 1900);
  const addNote = (reference: string) =>
    db().prepare(`INSERT INTO report_notes (report_id, author_id, body, created_at) SELECT id, ?, 'Huisbezoek gedaan', ? FROM reports WHERE reference = ?`)
      .run(author, at.toISOString(), reference);
  addNote(kept);
  addNote(old);
  const notesOf = (reference: string) =>
    (db().prepare('SELECT count(*) AS n FROM report_notes n JOIN reports r ON r.id = n.report_id WHERE r.reference = ?').get(reference) as { n: number }).n;

  assert.throws(() => db().prepare('DELETE FROM report_notes').run(), /report_notes is append-only/);
  assert.throws(() => db().prepare(`UPDATE report_notes SET body = 'weg'`).run(), /report_notes is append-only/);
  assert.equal(notesOf(kept), 1);
  assert.equal(notesOf(old), 1);

  // Retention deletes the old report, and its note with it.
  const before = (db().prepare('SELECT count(*) AS n FROM report_notes').get() as { n: number }).n;
  assert.equal((await runRetention(at)).reportsDeleted, 1);
  assert.equal((db().prepare('SELECT count(*) AS n FROM report_notes').get() as { n: number }).n, before - 1);
  assert.equal(notesOf(kept), 1);
});

test('the clean-up of expired drafts and sessions leaves an audit row with counts when it deletes anything', async () => {
  const { purgeExpired } = await import('./retention.server.ts');
  const audits = () => db().prepare(`SELECT actor_role AS role, detail FROM audit_log WHERE action = 'verlopen_opgeruimd' ORDER BY id`).all() as { role: string; detail: string }[];
  const later = new Date(at.getTime() + 30 * DAY);
  // No drafts or sessions yet: nothing deleted, nothing audited.
  assert.deepEqual(purgeExpired(later), { drafts: 0, photos: 0, sessions: 0, links: 0 });
  assert.deepEqual(audits(), []);
  db().prepare(`INSERT INTO drafts (token_hash, answers, created_at, updated_at, expires_at) VALUES ('h1', '{}', ?, ?, ?)`).run(at.toISOString(), at.toISOString(), at.toISOString());
  assert.deepEqual(purgeExpired(later), { drafts: 1, photos: 0, sessions: 0, links: 0 });
  assert.deepEqual(audits(), [{ role: 'systeem', detail: "concepten 1, foto's 0, sessies 0, links 0" }]);
});

test('a closed report without contact details is not a candidate for erasure: nothing to erase, nothing written', async () => {
  const { id, reference } = recordReport({
    channel: 'inwoner',
    acuteDanger: false,
    personName: 'Dhr. Y',
    locationKind: 'adres',
    postcode: '9351AB',
    houseNumber: '14',
    concerns: ['eenzaamheid'],
    involved: [],
    description: 'Anoniem gemeld.',
    anonymous: true,
    captchaStatus: 'niet_van_toepassing',
  });
  db().prepare('UPDATE reports SET status = ?, closed_at = ?, outcome = ? WHERE id = ?').run('afgesloten', daysAgo(400), 'geen_actie', id);
  const withContact = report('afgesloten', 400);
  const before = db().prepare('SELECT updated_at, contact_erased_at FROM reports WHERE id = ?').get(id);
  const result = await runRetention(at);
  assert.equal(result.contactsErased, 1, 'only the report with contact details');
  assert.ok(row(withContact)?.contact_erased_at);
  assert.deepEqual(db().prepare('SELECT updated_at, contact_erased_at FROM reports WHERE id = ?').get(id), before);
  assert.equal(row(reference)?.contact_erased_at, null);
  // A contact detail added later makes it a candidate again, by that same write.
  db().prepare("UPDATE reports SET reporter_phone = 'x' WHERE id = ?").run(id);
  assert.equal((await runRetention(at)).contactsErased, 1);
  assert.ok(row(reference)?.contact_erased_at);
});

test("a caller's name and phone on an addition are erased with the reporter's details; the addition's text stays", async () => {
  const { insertAddition, additionsOf } = await import('#features/additions/additions.repo.server.ts');
  const idOf = (reference: string) => (db().prepare('SELECT id FROM reports WHERE reference = ?').get(reference) as { id: number }).id;
  const closed = idOf(report('afgesloten', 400));
  const open = idOf(report('in_behandeling', null));
  const { insertUser } = await import('#features/auth/users.repo.server.ts');
  const kcc = insertUser({ email: 'kcc@test.example', name: 'Karin', role: 'kcc', passwordHash: 'x', totpSecret: 'x' });
  const call = (reportId: number) => db().transaction(() => insertAddition({ reportId, source: 'kcc', body: 'Belde opnieuw.', callerName: 'Beller Naam', callerPhone: '0611111111', enteredBy: kcc }, at))();
  call(closed);
  call(open);
  const result = await runRetention(at);
  assert.equal(result.callersErased, 1);
  const [erased] = additionsOf([closed]);
  assert.deepEqual([erased?.body, erased?.callerName, erased?.callerPhone], ['Belde opnieuw.', undefined, undefined]);
  const [kept] = additionsOf([open]);
  assert.deepEqual([kept?.callerName, kept?.callerPhone], ['Beller Naam', '0611111111'], 'an open report keeps its callers');
  const audited = db().prepare("SELECT detail FROM audit_log WHERE action = 'bewaartermijn_toegepast' ORDER BY id DESC LIMIT 1").get() as { detail: string };
  assert.match(audited.detail, /bellers gewist 1/);
  assert.equal((await runRetention(at)).callersErased, 0, 'erased once');
});

test('the rows per batch follow the time per row of the last batch, so a batch holds the database about RETENTION_BATCH_MS', () => {
  assert.equal(nextBatchSize(100, RETENTION_BATCH_MS), 100, 'a batch that took the whole budget: the same size');
  assert.equal(nextBatchSize(100, 80), 62, 'at 1,000,000 reports (0.8 ms per deletion)');
  assert.equal(nextBatchSize(100, 5), 200, 'a small database: more per batch, at most twice as many as the last');
  assert.equal(nextBatchSize(1500, 0), 2000, 'never more than 2,000');
  assert.equal(nextBatchSize(100, 100_000), 10, 'never fewer than 10');
  assert.equal(nextBatchSize(0, 0), 20, 'nothing measured yet: the first size');
});

test('without a fixed size the batches grow while they stay short, and every expired report goes', async () => {
  const old = Array.from({ length: 70 }, () => report('afgesloten', 1900));
  const result = await runRetention(at);
  assert.equal(result.reportsDeleted, 70);
  for (const reference of old) assert.equal(row(reference), undefined);
  // Old reports: 20, then at most twice as many each time (20 + 40 < 70: at least three), at least 10 a batch;
  // one batch each for the callers' erasure and the casussen; none where nothing qualifies (cancelled, reporters).
  const batches = result.batches - result.keyBatches;
  assert.ok(batches >= 3 + 2 && batches <= 7 + 2, `${batches} batches`);
  // Their keys: reference, name and more of each, swept per kind, in batches that grow the same way.
  assert.ok(result.keysSwept >= 2 * 70 && result.keyBatches >= 2 * 3, `${result.keysSwept} keys in ${result.keyBatches} batches`);
  assert.ok(result.longestBatchMs < 1000);
});

test('retention works in batches and lets other work run between them', async () => {
  const old = Array.from({ length: 7 }, () => report('afgesloten', 1900));
  const erasable = Array.from({ length: 5 }, () => report('afgesloten', 400));
  let pauses = 0;
  const between: string[] = [];
  const result = await runRetention(at, {
    batchSize: 2,
    pause: async () => {
      pauses++;
      // Another writer gets its turn between two batches (the server's requests do).
      between.push(report('in_behandeling', null));
    },
  });
  assert.equal(result.reportsDeleted, 7);
  assert.equal(result.contactsErased, 5);
  // 7 deletions in batches of 2: 4 batches; 5 erasures: 3 batches; then the keys of the deleted reports, swept and
  // forgotten by ranges of the list: a pause after each batch.
  assert.equal(pauses, 7 + result.keyBatches);
  assert.ok(result.keyBatches >= 4 + 4 + 7, 'two kinds of key swept or more (postcode, name), 7 of each: 4 batches each, and 7 to forget them');
  for (const reference of old) assert.equal(row(reference), undefined);
  for (const reference of erasable) assert.equal(row(reference)?.reporter_name, null);
  for (const reference of between) assert.equal(row(reference)?.reporter_name, 'Melder Naam', 'written between batches, and kept');
  // Stopped (at shutdown): what was done stays done, the rest waits for the next run.
  const more = Array.from({ length: 4 }, () => report('afgesloten', 1900));
  let asked = 0;
  // Asked before each batch: one batch of old ones, then stop (no cancelled report qualifies: no batch).
  const audits = () => db().prepare("SELECT count(*) FROM audit_log WHERE action = 'bewaartermijn_toegepast'").pluck().get() as number;
  const auditsBefore = audits();
  const stopped = await runRetention(at, { batchSize: 2, stopped: () => ++asked > 1 });
  assert.equal(stopped.reportsDeleted, 2);
  assert.equal(audits(), auditsBefore + 1, 'a stopped run still audits what it did');
  assert.equal(more.filter((r) => row(r) === undefined).length, 2);
  assert.equal((await runRetention(at)).reportsDeleted, 2);
});

test('a run stopped in the middle of the sweep leaves the rest of the keys for the next run, which sweeps and forgets them all', async () => {
  const old = Array.from({ length: 6 }, () => report('afgesloten', 1900));
  const gone = () => db().prepare('SELECT count(*) FROM report_keys_gone').pluck().get() as number;
  const orphans = () => db().prepare('SELECT count(*) FROM report_keys WHERE report_id NOT IN (SELECT id FROM reports) AND kind NOT IN (\'reference\', \'address\', \'bag\', \'person\')').pluck().get() as number;
  // Batches of 2: the six deletions take 3, the callers and the casussen one each; then two batches of the sweep.
  let asked = 0;
  const first = await runRetention(at, { batchSize: 2, stopped: () => ++asked > 7 });
  assert.equal(first.reportsDeleted, 6);
  for (const reference of old) assert.equal(row(reference), undefined);
  assert.equal(first.keysSwept, 4, 'two batches of two keys');
  const left = orphans();
  assert.ok(left >= 6 * 2 - 4, `the other keys wait: ${left}`);
  assert.ok(gone() >= 6 * 2, 'and none of the list is forgotten');
  const second = await runRetention(at, { batchSize: 2 });
  assert.equal(second.keysSwept, left + 4, 'the whole list again: sweeping a swept key again changes nothing');
  assert.equal(orphans(), 0);
  assert.equal(gone(), 0);
});

test('a run asked to stop while it reads candidates still audits what it did before', async () => {
  const old = Array.from({ length: 3 }, () => report('afgesloten', 1900));
  for (let i = 0; i < 5; i++) report('afgesloten', 400);
  const audits = () => db().prepare("SELECT detail FROM audit_log WHERE action = 'bewaartermijn_toegepast' ORDER BY id").all() as { detail: string }[];
  const before = audits().length;
  // Stop once the old reports are gone: the erasure's candidates are then being read, two at a time.
  const gone = () => old.every((reference) => row(reference) === undefined);
  const result = await runRetention(at, { readSize: 2, stopped: gone });
  assert.equal(result.reportsDeleted, 3);
  assert.equal(result.contactsErased, 0, 'stopped between two reads: nothing erased');
  const after = audits();
  assert.equal(after.length, before + 1, 'the deletions are audited');
  assert.match(after.at(-1)!.detail, /verwijderd 3/);
  // The rest waits for the next run.
  assert.equal((await runRetention(at)).contactsErased, 5);
});

test('a report read as a candidate and reopened before its batch is neither deleted nor erased', async () => {
  const old = [report('afgesloten', 1900), report('afgesloten', 1900)];
  const erasable = [report('afgesloten', 400), report('afgesloten', 400)];
  const reopen = (reference: string) =>
    db().prepare("UPDATE reports SET status = 'in_behandeling', closed_at = NULL WHERE reference = ?").run(reference);
  let pauses = 0;
  const result = await runRetention(at, {
    batchSize: 1,
    pause: async () => {
      // After the first batch of each kind, the coordinator reopens the other candidate.
      pauses++;
      if (pauses === 1) reopen(old[1]!);
      if (pauses === 3) reopen(erasable[1]!);
    },
  });
  assert.equal(result.reportsDeleted, 1);
  assert.equal(result.contactsErased, 1);
  assert.equal(row(old[0]!), undefined);
  assert.equal(row(old[1]!)?.reporter_name, 'Melder Naam', 'reopened: kept, with its reporter');
  assert.equal(row(erasable[0]!)?.reporter_name, null);
  assert.equal(row(erasable[1]!)?.reporter_name, 'Melder Naam', 'reopened: its reporter kept');
  assert.equal(
    (db().prepare('SELECT count(*) AS n FROM deletion_log WHERE reference = ?').get(old[1]!) as { n: number }).n,
    0,
    'no deletion logged for the reopened report',
  );
});

test('the newest report stays, even when it has expired: its id would otherwise be given to the next report', async () => {
  const expired = report('afgesloten', 1900);
  const newest = db().prepare('SELECT max(id) FROM reports').pluck().get() as number;
  assert.equal(findReportByReference(expired)?.id, newest);
  assert.equal((await applyRetention(at)).reportsDeleted, 0);
  assert.ok(row(expired), 'kept while it is the newest');
  // Once a newer report has come in, it goes; the next report gets a new id.
  const next = report('in_behandeling', null);
  assert.equal((await applyRetention(at)).reportsDeleted, 1);
  assert.equal(row(expired), undefined);
  assert.ok(findReportByReference(next)!.id > newest);
  assert.ok(findReportByReference(report('in_behandeling', null))!.id > newest);
});

test("a deleted report's keys find nothing before the sweep, and a new report never gets its reference", async () => {
  const { deleteReports } = await import('#features/reports/reports.repo.server.ts');
  const { queuePage } = await import('#features/triage/triage.queries.server.ts');
  const gone = report('afgesloten', 1900);
  const stored = findReportByReference(gone)!;
  report('in_behandeling', null);
  db().transaction(() => deleteReports([stored.id]))();
  // Not swept yet: its keys are still in the table, listed as gone.
  const keys = db().prepare("SELECT count(*) FROM report_keys WHERE report_id = ? AND kind NOT IN ('reference', 'address', 'bag', 'person')").pluck().get(stored.id) as number;
  assert.ok(keys >= 2);
  assert.equal(db().prepare('SELECT count(*) FROM report_keys_gone WHERE report_id = ?').pluck().get(stored.id), keys);
  assert.equal(findReportByReference(gone), undefined);
  for (const search of [gone, stored.personName!, stored.street!]) {
    assert.equal(queuePage({ search }, at.toISOString().slice(0, 10), 50, 0).rows.some((r) => r.reference === gone), false, search);
  }
  assert.throws(
    () => db().prepare("INSERT INTO reports (reference, channel, status, created_at, updated_at, due_on) VALUES (?, 'inwoner', 'nieuw', ?, ?, '2030-06-01')").run(gone, at.toISOString(), at.toISOString()),
    /UNIQUE constraint failed: reports\.reference/,
  );
  const insertWithItsReference = () =>
    db().prepare("INSERT INTO reports (reference, channel, status, created_at, updated_at, due_on) VALUES (?, 'inwoner', 'nieuw', ?, ?, '2030-06-01')").run(gone, at.toISOString(), at.toISOString());
  const result = await applyRetention(at);
  assert.equal(result.keysSwept, keys);
  // The reference stays taken after the sweep too (the deletion log shows it).
  assert.throws(insertWithItsReference, /UNIQUE constraint failed: reports\.reference/);
  // Swept: all but reference, address and person (the deletion log would keep those; this test deleted without logging).
  assert.deepEqual(db().prepare('SELECT DISTINCT kind FROM report_keys WHERE report_id = ? ORDER BY kind').pluck().all(stored.id), ['address', 'person', 'reference']);
  assert.equal(db().prepare('SELECT count(*) FROM report_keys_gone').pluck().get(), 0);
});

test('retention deletes with foreign keys off: every table that refers to a report is cleared by REPORT_CHILDREN, and nothing is left pointing at a deleted report', async () => {
  const { REPORT_CHILDREN } = await import('./retention.server.ts');
  const tables = db().prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  const referringTo = (target: string) =>
    tables.filter((t) => (db().prepare('SELECT count(*) FROM pragma_foreign_key_list(?) WHERE "table" = ?').pluck().get(t, target) as number) > 0).sort();
  const handled = REPORT_CHILDREN.flatMap((c) => c.tables);
  assert.deepEqual(referringTo('reports'), [...handled].sort(), 'every foreign key to reports.id, and only those');
  for (const child of handled.filter((t) => t !== 'reports')) assert.deepEqual(referringTo(child), [], `nothing refers to ${child}: its rows go without a cascade of their own`);

  const { insertUser } = await import('#features/auth/users.repo.server.ts');
  const { addNote, addEvent, linkReports } = await import('#features/triage/triage.repo.server.ts');
  const { insertCase, addReportToCase } = await import('#features/casus/casus.repo.server.ts');
  const { insertAddition } = await import('#features/additions/additions.repo.server.ts');
  const { insertWaitingPhoto, attachWaitingPhotos } = await import('#features/photos/photos.repo.server.ts');
  const by = insertUser({ email: `children-${Date.now()}@test.example`, name: 'Coördinator', role: 'coordinator', passwordHash: 'x', totpSecret: 'x' }, at);
  const idOf = (reference: string) => findReportByReference(reference)!.id;
  const kept = idOf(report('in_behandeling', null));
  const old = idOf(report('afgesloten', 1900));
  addNote(old, by, 'Huisbezoek gedaan', at);
  addEvent(old, by, at, 'status', 'nieuw', 'afgesloten');
  linkReports(kept, old, by, at);
  const casus = insertCase('Casus', 'ave2', by, at);
  addReportToCase(old, casus, by, at);
  addReportToCase(kept, casus, by, at);
  insertAddition({ reportId: old, source: 'kcc', body: 'Belde terug', callerName: 'Beller', callerPhone: '0612345678', enteredBy: by }, at);
  insertWaitingPhoto({ image: new Uint8Array([1, 2, 3]), thumbnail: new Uint8Array([1]), width: 1, height: 1 }, { uploadKey: 'k', userId: by, position: 1 }, at, new Date(at.getTime() + DAY));
  assert.equal(attachWaitingPhotos(old, 'k', by, at), 1);
  const rowsOf = (id: number) =>
    Object.fromEntries(
      REPORT_CHILDREN.flatMap((c) => c.tables)
        .filter((t) => t !== 'reports')
        .map((t) => [t, db().prepare(`SELECT count(*) FROM ${t} WHERE report_id = ?`).pluck().get(id) as number]),
    );
  assert.ok(Object.entries(rowsOf(old)).every(([t, n]) => n > 0 || t === 'report_links'), JSON.stringify(rowsOf(old)));

  assert.equal((await runRetention(at)).reportsDeleted, 1);
  assert.equal(findReportByReference(String(old)), undefined);
  assert.deepEqual(Object.values(rowsOf(old)), Object.values(rowsOf(old)).map(() => 0), 'nothing of the deleted report is left');
  assert.equal(db().prepare('SELECT count(*) FROM report_links WHERE linked_id = ? OR report_id = ?').pluck().get(old, old), 0, 'the link from the kept report went');
  assert.deepEqual(db().pragma('foreign_key_check'), [], 'no reference to a deleted report');
  assert.equal(db().pragma('foreign_keys', { simple: true }), 1, 'foreign keys are enforced again after the run');
  assert.equal(db().pragma('synchronous', { simple: true }), 2, 'and every commit waits for the disk again (FULL)');
  assert.equal(db().prepare('SELECT count(*) FROM case_reports WHERE case_id = ?').pluck().get(casus), 1, 'the casus keeps the other report');
});
