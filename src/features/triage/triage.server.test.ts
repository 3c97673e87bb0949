import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/**
 * The coordinator's changes (src/features/triage/triage.server.ts, posted through report.handler.server.ts) against a real SQLite file: what a refused
 * change leaves behind (nothing but a 'geweigerd' audit row) and what an accepted one writes (the
 * change, its history event and exactly one audit row per report, in one transaction).
 */

useTempDatabase('triage-service');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { handleTriagePost } = await import('./report.handler.server.ts');
const { dueOn, wvggzDeadline } = await import('./triage.rules.ts');
const { config } = await import('#platform/config.ts');
/** The due date with the configured norms. */
const dueDate = (createdAt: string, urgency: import('#features/reports/urgency.rules.ts').Urgency) => dueOn(createdAt, urgency, config().municipality);
const { insertUser, findUserById, publicUser, setDisabled } = await import('#features/auth/users.repo.server.ts');
const { db } = await import('#platform/db.ts');
const { amsterdamDate } = await import('#lib/working-days.ts');
type IntakeReport = import('#features/intake/intake.server.ts').IntakeReport;
type StaffSession = import('#features/auth/login.server.ts').StaffSession;
type TriageOutcome = import('./report.handler.server.ts').TriageOutcome;
type Role = import('#features/auth/roles.schema.ts').Role;

let users = 0;
function staffMember(role: Role = 'coordinator', name = `Coördinator ${users + 1}`): StaffSession {
  users++;
  const id = insertUser({ email: `user${users}@test.example`, name, role, passwordHash: 'x', totpSecret: 'x' });
  const user = publicUser(findUserById(id)!);
  const at = new Date().toISOString();
  return { user, session: { tokenHash: `t${id}`, userId: id, stage: 'complete', returnTo: undefined, createdAt: at, lastSeenAt: at, expiresAt: at } };
}

const coordinator = staffMember('coordinator', 'Carla Coördinator');

const base: IntakeReport = {
  channel: 'inwoner',
  acuteDanger: false,
  personName: 'Dhr. P.',
  personAge: '18_plus',
  locationKind: 'adres',
  postcode: '9351AB',
  houseNumber: '12',
  street: 'Kerkstraat',
  place: 'Leek',
  concerns: ['overlast_agressie'],
  description: 'Schreeuwt dronken vanaf zijn balkon.',
  concernSince: 'paar_maanden',
  dangerToSelf: 'nee',
  dangerToOthers: 'nee',
  personAware: 'nee',
  involved: [],
  reporterRelation: 'buren',
  anonymous: false,
  reporterName: 'Anna',
  reporterPhone: '06 12345678',
  captchaStatus: 'geslaagd',
};

let houses = 0;
/** A new report at its own address (so repeat detection stays out of the way unless asked). */
function newReport(extra: Partial<IntakeReport> = {}): string {
  houses++;
  return recordReport({ ...base, houseNumber: String(100 + houses), personName: `Persoon ${houses}`, ...extra }).reference;
}

async function post(reference: string, fields: Record<string, string>, staff: StaffSession = coordinator, contentType = 'application/x-www-form-urlencoded'): Promise<TriageOutcome> {
  const request = new Request(`http://localhost/intern/triage/${reference}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: new URLSearchParams(fields).toString(),
  });
  return handleTriagePost(request, reference, staff, '127.0.0.1');
}

const { reportRow, eventRows, noteRows } = await import('#tests/support/sealed.ts');
type Row = import('#tests/support/sealed.ts').Row;
const idOf = (reference: string): number => Number(reportRow(reference)['id']);
const events = (reference: string): Row[] => eventRows(idOf(reference));
const auditRows = (reference: string): Row[] =>
  db().prepare("SELECT action, result, actor_id, actor_role, detail, object_type FROM audit_log WHERE object_id = ? AND action <> 'melding_aangemaakt' ORDER BY id").all(reference) as Row[];
const count = (table: string): number => (db().prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Everything a change could touch, to compare before and after a refusal. */
function snapshot(reference: string) {
  return {
    report: reportRow(reference),
    events: count('report_events'),
    notes: count('report_notes'),
    links: count('report_links'),
    reports: count('reports'),
  };
}

async function expectRefused(reference: string, fields: Record<string, string>, field: string, status: number) {
  const before = snapshot(reference);
  const auditBefore = auditRows(reference).length;
  const outcome = await post(reference, fields);
  assert.equal(outcome.kind, 'error', JSON.stringify(fields));
  if (outcome.kind !== 'error') return;
  assert.equal(outcome.status, status, JSON.stringify(fields));
  assert.ok(field in outcome.errors, `error on ${field}: ${JSON.stringify(outcome.errors)}`);
  assert.deepEqual(snapshot(reference), before, 'nothing changed');
  const audit = auditRows(reference).slice(auditBefore);
  assert.equal(audit.length, 1, 'one audit row');
  assert.equal(audit[0]!['result'], 'geweigerd');
  assert.equal(audit[0]!['actor_id'], coordinator.user.id);
  assert.equal(audit[0]!['actor_role'], 'coordinator');
  assert.equal(audit[0]!['object_type'], 'melding');
}

/** Runs an accepted change and returns the audit rows it wrote for `reference`. */
async function expectDone(reference: string, fields: Record<string, string>, staff: StaffSession = coordinator): Promise<Row[]> {
  const before = auditRows(reference).length;
  const outcome = await post(reference, fields, staff);
  assert.equal(outcome.kind, 'done', `${JSON.stringify(fields)} → ${JSON.stringify(outcome)}`);
  return auditRows(reference).slice(before);
}

describe('refused changes change nothing and are audited as geweigerd', () => {
  test('nieuw → afgesloten (not in the table), even with an outcome', async () => {
    const ref = newReport();
    await expectRefused(ref, { intent: 'status', status: 'afgesloten', outcome: 'geen_actie' }, 'status', 409);
    assert.equal(reportRow(ref)['status'], 'nieuw');
  });

  test('an unknown status', async () => {
    const ref = newReport();
    await expectRefused(ref, { intent: 'status', status: 'gesloten' }, 'status', 409);
    await expectRefused(ref, { intent: 'status', status: '' }, 'status', 409);
  });

  test('uitgezet without an outcome, and with an unknown one', async () => {
    const ref = newReport();
    await expectDone(ref, { intent: 'status', status: 'in_behandeling' });
    await expectRefused(ref, { intent: 'status', status: 'uitgezet' }, 'outcome', 400);
    await expectRefused(ref, { intent: 'status', status: 'uitgezet', outcome: 'iets' }, 'outcome', 400);
    await expectRefused(ref, { intent: 'status', status: 'afgesloten', outcome: '   ' }, 'outcome', 400);
  });

  test('samengevoegd without a target, with itself, with an unknown one, and with a report that is itself merged', async () => {
    const ref = newReport();
    await expectRefused(ref, { intent: 'status', status: 'samengevoegd' }, 'mergeInto', 400);
    await expectRefused(ref, { intent: 'status', status: 'samengevoegd', mergeInto: ref }, 'mergeInto', 400);
    await expectRefused(ref, { intent: 'status', status: 'samengevoegd', mergeInto: 'MB-ZZZZZZZZ' }, 'mergeInto', 400);
    const a = newReport();
    const b = newReport();
    await expectDone(a, { intent: 'status', status: 'samengevoegd', mergeInto: b });
    await expectRefused(ref, { intent: 'status', status: 'samengevoegd', mergeInto: a }, 'mergeInto', 400);
  });

  test('doorgestuurd without to whom; geannuleerd and reopening without a reason', async () => {
    const ref = newReport();
    await expectRefused(ref, { intent: 'status', status: 'doorgestuurd', forwardedTo: ' ' }, 'forwardedTo', 400);
    await expectRefused(ref, { intent: 'status', status: 'geannuleerd' }, 'reason', 400);
    await expectDone(ref, { intent: 'status', status: 'geannuleerd', reason: 'Test' });
    await expectRefused(ref, { intent: 'status', status: 'in_behandeling' }, 'reason', 400);
    assert.equal(reportRow(ref)['status'], 'geannuleerd');
  });

  test('a new AVE phase without a reason, an unknown urgency or phase', async () => {
    const ref = newReport();
    await expectRefused(ref, { intent: 'urgency_ave', urgency: 'normaal', avePhase: 'ave3', aveReason: '' }, 'aveReason', 400);
    await expectRefused(ref, { intent: 'urgency_ave', urgency: 'heel_hoog', avePhase: 'onbekend' }, 'urgency', 400);
    await expectRefused(ref, { intent: 'urgency_ave', urgency: 'hoog', avePhase: 'ave5', aveReason: 'x' }, 'avePhase', 400);
    await expectRefused(ref, { intent: 'urgency_ave', urgency: 'hoog', avePhase: 'ave2', aveReason: 'x'.repeat(1001) }, 'aveReason', 400);
  });

  test('an empty note, a note too long, a link to an unknown report, an assignment to a non-coordinator', async () => {
    const ref = newReport();
    await expectRefused(ref, { intent: 'note', note: '  \n ' }, 'note', 400);
    await expectRefused(ref, { intent: 'note', note: 'x'.repeat(4001) }, 'note', 400);
    await expectRefused(ref, { intent: 'link', other: 'MB-ZZZZZZZZ' }, 'other', 400);
    await expectRefused(ref, { intent: 'link', other: ref }, 'other', 400);
    const kcc = staffMember('kcc');
    await expectRefused(ref, { intent: 'assign', assignedTo: String(kcc.user.id) }, 'assignedTo', 400);
    await expectRefused(ref, { intent: 'assign', assignedTo: 'abc' }, 'assignedTo', 400);
    const gone = staffMember('coordinator');
    setDisabled(gone.user.id, true);
    await expectRefused(ref, { intent: 'assign', assignedTo: String(gone.user.id) }, 'assignedTo', 400);
  });

  test('an unknown intent; its name does not go into the audit log as given', async () => {
    const ref = newReport();
    const before = snapshot(ref);
    const outcome = await post(ref, { intent: '<script>x</script>' });
    assert.equal(outcome.kind, 'error');
    assert.deepEqual(snapshot(ref), before);
    const rows = auditRows(ref);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!['result'], 'geweigerd');
    assert.equal(rows[0]!['action'], 'wijziging_onbekend');
  });

  test('a body that is not a form, and a report that does not exist', async () => {
    const ref = newReport();
    const before = snapshot(ref);
    const outcome = await post(ref, { intent: 'status', status: 'in_behandeling' }, coordinator, 'application/json');
    assert.deepEqual([outcome.kind, outcome.kind === 'error' && outcome.status], ['error', 400]);
    assert.deepEqual(snapshot(ref), before);
    const missing = await post('MB-ZZZZZZZZ', { intent: 'status', status: 'in_behandeling' });
    assert.deepEqual([missing.kind, missing.kind === 'error' && missing.status], ['error', 404]);
  });
});

describe('accepted changes: the change, its history and one audit row, together', () => {
  test('nieuw → in_behandeling sets the triage time; one event, one audit row', async () => {
    const ref = newReport();
    const audit = await expectDone(ref, { intent: 'status', status: 'in_behandeling' });
    const row = reportRow(ref);
    assert.equal(row['status'], 'in_behandeling');
    assert.ok(row['triaged_at'], 'triaged_at set');
    assert.equal(row['closed_at'], null);
    assert.deepEqual(events(ref), [{ kind: 'status', from_value: 'nieuw', to_value: 'in_behandeling', reason: null, actor_id: coordinator.user.id }]);
    assert.deepEqual(audit.map((a) => [a['action'], a['result'], a['detail']]), [['status_gewijzigd', 'gelukt', 'nieuw naar in_behandeling']]);
  });

  test('the whole path: uitgezet with an outcome, afgesloten, reopened with a reason', async () => {
    const ref = newReport();
    await expectDone(ref, { intent: 'status', status: 'in_behandeling' });
    const triagedAt = reportRow(ref)['triaged_at'];
    assert.equal((await expectDone(ref, { intent: 'status', status: 'uitgezet', outcome: 'bemoeizorg' })).length, 1);
    assert.deepEqual([reportRow(ref)['status'], reportRow(ref)['outcome']], ['uitgezet', 'bemoeizorg']);
    // Uitgezet is closed (spec §7, §8): retention counts from here, unless it is closed as afgesloten later.
    const handedOn = reportRow(ref)['closed_at'] as string | null;
    assert.ok(handedOn, 'uitgezet sets closed_at');
    // The outcome is on the report already: closing needs no new one.
    assert.equal((await expectDone(ref, { intent: 'status', status: 'afgesloten' })).length, 1);
    assert.equal(reportRow(ref)['status'], 'afgesloten');
    assert.ok((reportRow(ref)['closed_at'] as string) >= handedOn, 'afgesloten moves closed_at on');
    assert.equal((await expectDone(ref, { intent: 'status', status: 'in_behandeling', reason: 'Nieuwe zorgen van de buren' })).length, 1);
    const row = reportRow(ref);
    assert.deepEqual([row['status'], row['closed_at'], row['triaged_at']], ['in_behandeling', null, triagedAt]);
    assert.deepEqual(
      events(ref).map((e) => [e['kind'], e['from_value'], e['to_value'], e['reason']]),
      [
        ['status', 'nieuw', 'in_behandeling', null],
        ['status', 'in_behandeling', 'uitgezet', null],
        ['uitkomst', null, 'bemoeizorg', null],
        ['status', 'uitgezet', 'afgesloten', null],
        ['status', 'afgesloten', 'in_behandeling', 'Nieuwe zorgen van de buren'],
      ],
    );
  });

  test('doorgestuurd records to whom; reopening clears it', async () => {
    const ref = newReport({ postcode: '9999AA' });
    const audit = await expectDone(ref, { intent: 'status', status: 'doorgestuurd', forwardedTo: 'Gemeente Groningen' });
    assert.equal(audit.length, 1);
    assert.deepEqual([reportRow(ref)['status'], reportRow(ref)['forwarded_to']], ['doorgestuurd', 'Gemeente Groningen']);
    assert.ok(reportRow(ref)['closed_at']);
    assert.equal(events(ref)[0]!['reason'], 'Gemeente Groningen');
    await expectDone(ref, { intent: 'status', status: 'in_behandeling', reason: 'Toch onze gemeente' });
    assert.deepEqual([reportRow(ref)['status'], reportRow(ref)['forwarded_to'], reportRow(ref)['closed_at']], ['in_behandeling', null, null]);
  });

  test('samengevoegd links both reports and records it on both; reopening ends the merge', async () => {
    const source = newReport();
    const target = newReport();
    const sourceAudit = await expectDone(source, { intent: 'status', status: 'samengevoegd', mergeInto: target.toLowerCase() });
    assert.deepEqual(sourceAudit.map((a) => a['action']), ['status_gewijzigd']);
    assert.deepEqual(auditRows(target).map((a) => [a['action'], a['detail']]), [['samengevoegd_ontvangen', `uit ${source}`]]);
    const row = reportRow(source);
    assert.deepEqual([row['status'], row['merged_into']], ['samengevoegd', idOf(target)]);
    const [low, high] = [idOf(source), idOf(target)].sort((x, y) => x - y);
    assert.deepEqual(db().prepare('SELECT report_id, linked_id FROM report_links WHERE report_id = ? AND linked_id = ?').all(low, high), [{ report_id: low, linked_id: high }]);
    assert.deepEqual(events(target).map((e) => [e['kind'], e['to_value']]), [['samengevoegd', source]]);
    await expectDone(source, { intent: 'status', status: 'in_behandeling', reason: 'Toch een andere persoon' });
    assert.deepEqual([reportRow(source)['status'], reportRow(source)['merged_into']], ['in_behandeling', null]);
  });

  test('urgency and AVE phase: the new due date, the reason, one audit row for both', async () => {
    const ref = newReport();
    const created = String(reportRow(ref)['created_at']);
    const audit = await expectDone(ref, { intent: 'urgency_ave', urgency: 'direct', avePhase: 'ave3', aveReason: 'Complexe problemen, zorg en veiligheid' });
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!['action'], 'triage_gewijzigd');
    const row = reportRow(ref);
    assert.deepEqual([row['urgency'], row['ave_phase'], row['due_on']], ['direct', 'ave3', dueDate(created, 'direct')]);
    assert.deepEqual(
      events(ref).map((e) => [e['kind'], e['from_value'], e['to_value'], e['reason']]),
      [
        ['urgentie', 'normaal', 'direct', null],
        ['ave_fase', 'onbekend', 'ave3', 'Complexe problemen, zorg en veiligheid'],
      ],
    );
    // The same values again: nothing to do, nothing written.
    assert.equal((await expectDone(ref, { intent: 'urgency_ave', urgency: 'direct', avePhase: 'ave3' })).length, 0);
    // Only the urgency: no reason needed.
    assert.equal((await expectDone(ref, { intent: 'urgency_ave', urgency: 'laag', avePhase: 'ave3' })).length, 1);
    assert.equal(reportRow(ref)['due_on'], dueDate(created, 'laag'));
  });

  test('regie: the three roles, one event each, one audit row', async () => {
    const ref = newReport();
    const audit = await expectDone(ref, { intent: 'regie', caseDirector: 'J. Jansen, Sociaal team', processDirector: 'PR Zorg en Veiligheid', treatmentDirector: 'Lentis' });
    assert.deepEqual(audit.map((a) => a['action']), ['regie_gewijzigd']);
    const row = reportRow(ref);
    assert.deepEqual([row['case_director'], row['process_director'], row['treatment_director']], ['J. Jansen, Sociaal team', 'PR Zorg en Veiligheid', 'Lentis']);
    assert.deepEqual(events(ref).map((e) => e['to_value']), ['CR: J. Jansen, Sociaal team', 'PR: PR Zorg en Veiligheid', 'BR: Lentis']);
  });

  test('a note is stored with its author; notes cannot be changed afterwards', async () => {
    const ref = newReport();
    const audit = await expectDone(ref, { intent: 'note', note: 'Gebeld met de huisarts.' });
    assert.deepEqual(audit.map((a) => a['action']), ['notitie_toegevoegd']);
    const notes = noteRows(idOf(ref));
    assert.deepEqual(notes.map((n) => [n['author_id'], n['body']]), [[coordinator.user.id, 'Gebeld met de huisarts.']]);
    assert.throws(() => db().prepare("UPDATE report_notes SET body = 'anders' WHERE id = ?").run(notes[0]!['id']), /append-only/);
  });

  test('assignment to me, to another coordinator, to nobody', async () => {
    const ref = newReport();
    const other = staffMember('coordinator');
    assert.equal((await expectDone(ref, { intent: 'assign', assignedTo: 'mij' })).length, 1);
    assert.equal(reportRow(ref)['assigned_to'], coordinator.user.id);
    await expectDone(ref, { intent: 'assign', assignedTo: String(other.user.id) });
    assert.equal(reportRow(ref)['assigned_to'], other.user.id);
    await expectDone(ref, { intent: 'assign', assignedTo: '' });
    assert.equal(reportRow(ref)['assigned_to'], null);
  });

  test('Wvggz: started today, due 14 days later; stopped again', async () => {
    const ref = newReport();
    assert.equal((await expectDone(ref, { intent: 'wvggz', wvggz: 'start' })).length, 1);
    const today = amsterdamDate(new Date());
    assert.equal(reportRow(ref)['wvggz_started_on'], today);
    assert.equal(wvggzDeadline('2026-11-22'), '2026-12-06');
    assert.equal(wvggzDeadline('2026-12-25'), '2027-01-08');
    await expectDone(ref, { intent: 'wvggz', wvggz: 'stop' });
    assert.equal(reportRow(ref)['wvggz_started_on'], null);
  });

  test('link: both reports get the event and an audit row; a second link writes nothing', async () => {
    const a = newReport();
    const b = newReport();
    const audit = await expectDone(a, { intent: 'link', other: b });
    assert.deepEqual(audit.map((r) => [r['action'], r['detail']]), [['gekoppeld', `met ${b}`]]);
    assert.deepEqual(auditRows(b).map((r) => [r['action'], r['detail']]), [['gekoppeld', `met ${a}`]]);
    assert.deepEqual(events(a).map((e) => e['to_value']), [b]);
    assert.deepEqual(events(b).map((e) => e['to_value']), [a]);
    assert.equal((await expectDone(b, { intent: 'link', other: a })).length, 0);
    assert.equal(events(a).length, 1);
  });

  test('reveal writes melder_getoond and changes nothing', async () => {
    const ref = newReport();
    const before = snapshot(ref);
    const outcome = await post(ref, { intent: 'reveal' });
    assert.equal(outcome.kind, 'reveal');
    assert.deepEqual(snapshot(ref), before);
    assert.deepEqual(auditRows(ref).map((a) => [a['action'], a['result']]), [['melder_getoond', 'gelukt']]);
  });

  test('when the audit row cannot be written, the change is rolled back with it', async () => {
    const ref = newReport();
    const before = snapshot(ref);
    db().exec(`CREATE TEMP TRIGGER refuse_status_audit BEFORE INSERT ON main.audit_log WHEN NEW.action = 'status_gewijzigd'
               BEGIN SELECT RAISE(ABORT, 'audit refused'); END`);
    try {
      await assert.rejects(post(ref, { intent: 'status', status: 'in_behandeling' }), /audit refused/);
    } finally {
      db().exec('DROP TRIGGER refuse_status_audit');
    }
    assert.deepEqual(snapshot(ref), before);
    assert.equal(events(ref).length, 0);
    // And the other way round: a change that fails after its audit row leaves no audit row.
    db().exec(`CREATE TEMP TRIGGER refuse_event BEFORE INSERT ON main.report_events BEGIN SELECT RAISE(ABORT, 'event refused'); END`);
    try {
      await assert.rejects(post(ref, { intent: 'urgency_ave', urgency: 'hoog', avePhase: 'ave2', aveReason: 'x' }), /event refused/);
    } finally {
      db().exec('DROP TRIGGER refuse_event');
    }
    assert.deepEqual(snapshot(ref), before);
    assert.deepEqual(auditRows(ref), []);
  });
});

describe('repeat reports (Eerdere meldingen)', () => {
  test('same address in any spelling, same person, and linked reports; newest first; never itself', async () => {
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 2, 9, minutes));
    const make = (minutes: number, extra: Partial<IntakeReport>) => recordReport({ ...base, ...extra }, { now: at(minutes) }).reference;
    const address = { postcode: '9351XZ', houseNumber: '77', houseAddition: 'B', personName: 'Iemand' };
    const first = make(1, address);
    const sameAddress = make(2, { ...address, houseNumber: '077', houseAddition: '-b', personName: 'Een ander' });
    const otherAddition = make(3, { ...address, houseAddition: 'C', personName: 'Weer een ander' });
    const samePerson = make(4, { personName: 'Mevr. Çelik', place: 'Marum', postcode: '9363AA', houseNumber: '1' });
    const samePerson2 = make(5, { personName: 'mevrouw celik', place: 'MARUM', postcode: '9363AB', houseNumber: '2' });
    const unrelated = make(6, { personName: 'Niemand', postcode: '9801AA', houseNumber: '3' });
    const { relatedReports, triageFields } = await import('./triage.queries.server.ts');
    const related = (ref: string) => relatedReports(triageFields(ref)!).map((r) => [r.reference, r.sameAddress, r.samePerson, r.linked]);
    assert.deepEqual(related(first), [[sameAddress, true, false, false]]);
    assert.deepEqual(related(samePerson), [[samePerson2, false, true, false]]);
    assert.deepEqual(related(unrelated), []);
    // Linked by hand: listed both ways, newest first, with what matches.
    await expectDone(first, { intent: 'link', other: unrelated });
    await expectDone(first, { intent: 'link', other: sameAddress });
    assert.deepEqual(related(first), [
      [unrelated, false, false, true],
      [sameAddress, true, false, true],
    ]);
    assert.deepEqual(related(unrelated), [[first, false, false, true]]);
    assert.deepEqual(related(otherAddition), []);
  });

  test('by BAG identifier where both reports have one: another spelling of the addition is the same address, the same typing of another dwelling is not', async () => {
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 3, 9, minutes));
    const bag = (id: string, addition: string) => ({
      status: 'gevonden' as const,
      checkedOn: '2026-11-03',
      otherMunicipality: undefined,
      match: {
        nummeraanduidingId: id, adresseerbaarobjectId: undefined, label: '', street: 'Kerkstraat', houseNumber: '14', addition, postcode: '9351XY',
        place: 'Leek', municipalityCode: '1969', municipalityName: 'Westerkwartier', wijkCode: undefined, wijkName: undefined, buurtCode: undefined, buurtName: undefined,
      },
    });
    const make = (minutes: number, extra: Partial<IntakeReport>) =>
      recordReport({ ...base, postcode: '9351XY', houseNumber: '14', personName: `Persoon ${minutes}`, ...extra }, { now: at(minutes) }).reference;
    // Typed "1 hoog" and chosen from the register as 14-1; typed "-1" and matched to 14-1: one dwelling.
    const upstairs = make(1, { houseAddition: '1 hoog', addressCheck: bag('1969200000035017', '1') });
    const upstairs2 = make(2, { houseAddition: '-1', addressCheck: bag('1969200000035017', '1') });
    // Nothing typed twice, but two different dwellings chosen (14 and 14A): not the same address.
    const ground = make(3, { houseAddition: '', addressCheck: bag('1969200000035014', '') });
    const letterA = make(4, { houseAddition: '', addressCheck: bag('1969200000035015', 'A') });
    // Without a lookup (service down) the typed address decides, also against a report that has one.
    const unchecked = make(5, { houseAddition: '' });
    const { relatedReports, triageFields } = await import('./triage.queries.server.ts');
    const sameAddress = (ref: string) => relatedReports(triageFields(ref)!).filter((r) => r.sameAddress).map((r) => r.reference);
    assert.deepEqual(sameAddress(upstairs), [upstairs2]);
    assert.deepEqual(sameAddress(ground), [unchecked]);
    assert.deepEqual(sameAddress(letterA), [unchecked]);
    assert.deepEqual(sameAddress(unchecked).sort(), [ground, letterA].sort());
  });

  test('at most 50, the newest', () => {
    const refs: string[] = [];
    for (let i = 0; i < 60; i++) refs.push(recordReport({ ...base, postcode: '9354QQ', houseNumber: '5', personName: `P ${i}` }, { now: new Date(Date.UTC(2026, 0, 1, 0, i)) }).reference);
    return import('./triage.queries.server.ts').then(({ relatedReports, triageFields }) => {
      const listed = relatedReports(triageFields(refs[0]!)!).map((r) => r.reference);
      assert.deepEqual(listed, refs.slice(10).reverse());
    });
  });
});

describe('due dates', () => {
  test('counted in working days from the urgency norm', () => {
    // Monday 2 March 2026: direct the same day, hoog 1, normaal 3, laag 5 working days.
    const monday = '2026-03-02T09:30:00.000Z';
    assert.deepEqual(
      (['direct', 'hoog', 'normaal', 'laag'] as const).map((u) => dueDate(monday, u)),
      ['2026-03-02', '2026-03-03', '2026-03-05', '2026-03-09'],
    );
    // Christmas Eve 2026 (Thursday): hoog skips the holidays and the weekend.
    assert.equal(dueDate('2026-12-24T10:00:00.000Z', 'hoog'), '2026-12-28');
  });
});
