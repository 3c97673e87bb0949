import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useTempDatabase } from '#tests/support/unit-db.ts';

useTempDatabase('retention');
const { db } = await import('#platform/db.ts');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { applyRetention } = await import('./retention.server.ts');

const DAY = 86_400_000;
const at = new Date('2030-06-01T10:00:00Z');
const daysAgo = (n: number) => new Date(at.getTime() - n * DAY).toISOString();

function report(status: string, closedDaysAgo: number | null, email = 'melder@test.example'): string {
  const { id, reference } = recordReport({
    channel: 'inwoner',
    acuteDanger: false,
    personName: 'Dhr. X',
    concerns: ['eenzaamheid'],
    involved: [],
    description: 'Een beschrijving van de zorgen.',
    anonymous: false,
    reporterName: 'Melder Naam',
    reporterEmail: email,
    reporterPhone: '0612345678',
    captchaStatus: 'niet_van_toepassing',
  });
  db().prepare('UPDATE reports SET status = ?, closed_at = ?, outcome = ? WHERE id = ?').run(status, closedDaysAgo === null ? null : daysAgo(closedDaysAgo), 'geen_actie', id);
  return reference;
}

const row = (reference: string) =>
  db().prepare('SELECT reporter_name, reporter_phone, reporter_email, contact_erased_at FROM reports WHERE reference = ?').get(reference) as
    | { reporter_name: string | null; reporter_phone: string | null; reporter_email: string | null; contact_erased_at: string | null }
    | undefined;

test('retention: contact details, cancelled reports and old reports, with a deletion log', () => {
  const open = report('in_behandeling', null);
  const recent = report('afgesloten', 100);
  const yearOld = report('afgesloten', 400);
  const cancelledOld = report('geannuleerd', 400);
  const cancelledNew = report('geannuleerd', 10);
  const ancient = report('afgesloten', 1900);

  const result = applyRetention(at);
  assert.deepEqual(result, { contactsErased: 3, cancelledDeleted: 1, reportsDeleted: 1 });

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

  assert.deepEqual(applyRetention(at), { contactsErased: 0, cancelledDeleted: 0, reportsDeleted: 0 }, 'a second run changes nothing');
});
