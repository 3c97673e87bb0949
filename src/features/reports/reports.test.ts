import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { describe, test } from 'node:test';
import { sqliteCode, useTempDatabase } from '#tests/support/unit-db.ts';

useTempDatabase('reports');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { findReportByReference, insertReport, ReferenceClash } = await import('./reports.repo.server.ts');
const { rawReportRow, reportRow } = await import('#tests/support/sealed.ts');
type Row = import('#tests/support/sealed.ts').Row;
const { blind, fieldsOf } = await import('#platform/crypto/fields.server.ts');
const { db } = await import('#platform/db.ts');
const { insertUser } = await import('#features/auth/users.repo.server.ts');
type IntakeReport = import('#features/intake/intake.server.ts').IntakeReport;

// Thursday 24 December 2026, 10:00 UTC. The demo municipality lists 25 and 26 December as holidays.
const christmasEve = new Date('2026-12-24T10:00:00.000Z');
const monday = new Date('2026-03-02T09:30:00.000Z');

/** A complete resident report at an address, without any urgency trigger. */
const residentReport: IntakeReport = {
  channel: 'inwoner',
  acuteDanger: false,
  personName: 'Jan de Vries',
  personAge: '18_plus',
  locationKind: 'adres',
  postcode: '9351AB',
  houseNumber: '12',
  houseAddition: 'A',
  street: 'Hoofdstraat',
  place: 'Leek',
  childrenInHome: 'nee',
  concerns: ['vervuiling', 'eenzaamheid', 'verwaarlozing'],
  description: 'Hij komt al weken niet buiten.\nDe tuin ligt vol afval. 😟',
  concernSince: 'paar_maanden',
  dangerToSelf: 'weet_niet',
  dangerToOthers: 'nee',
  personAware: 'nee',
  involved: ['huisarts', 'woningcorporatie'],
  reporterRelation: 'buren',
  anonymous: false,
  reporterName: 'Anna Bakker',
  reporterPhone: '06 12345678',
  reporterEmail: 'anna@voorbeeld.nl',
  captchaStatus: 'geslaagd',
};

// The staff members who type KCC and BOA reports: reports.entered_by references users (migration 0006).
const staffMember = (role: 'kcc' | 'boa') => insertUser({ email: `${role}@test.example`, name: `Test ${role}`, role, passwordHash: 'x', totpSecret: 'x' });
const boaId = staffMember('boa');
const kccId = staffMember('kcc');

const rawRowOf = rawReportRow;
const rowOf = reportRow;
const countRows = (table: string): number => (db().prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const countReports = (): number => countRows('reports');

/** Makes crypto.randomInt (used by newReference through a live ESM binding) follow a script. */
function withRandomInt<T>(values: () => number, run: () => T): T {
  const original = crypto.randomInt;
  (crypto as { randomInt: unknown }).randomInt = () => values();
  syncBuiltinESMExports();
  try {
    return run();
  } finally {
    crypto.randomInt = original;
    syncBuiltinESMExports();
  }
}

describe('recordReport', () => {
  test('stores every field of a resident report and its concerns', () => {
    const { id, reference } = recordReport(residentReport, { now: monday });
    assert.match(reference, /^MB-[A-HJKMNP-Z2-9]{8}$/);
    const row = rowOf(reference);
    assert.equal(row['id'], id);
    assert.deepEqual(
      {
        channel: row['channel'],
        status: row['status'],
        created_at: row['created_at'],
        updated_at: row['updated_at'],
        entered_by: row['entered_by'],
        acute_danger: row['acute_danger'],
        person_name: row['person_name'],
        person_age: row['person_age'],
        location_kind: row['location_kind'],
        postcode: row['postcode'],
        house_number: row['house_number'],
        house_addition: row['house_addition'],
        street: row['street'],
        place: row['place'],
        location_description: row['location_description'],
        children_in_home: row['children_in_home'],
        description: row['description'],
        concern_since: row['concern_since'],
        danger_to_self: row['danger_to_self'],
        danger_to_others: row['danger_to_others'],
        person_aware: row['person_aware'],
        involved: row['involved'],
        reporter_relation: row['reporter_relation'],
        anonymous: row['anonymous'],
        reporter_name: row['reporter_name'],
        reporter_phone: row['reporter_phone'],
        reporter_email: row['reporter_email'],
        intake_method: row['intake_method'],
        observed_at: row['observed_at'],
        police_present: row['police_present'],
        police_reference: row['police_reference'],
        captcha_status: row['captcha_status'],
        suggested_urgency: row['suggested_urgency'],
        urgency: row['urgency'],
        due_on: row['due_on'],
        ave_phase: row['ave_phase'],
        assigned_to: row['assigned_to'],
        closed_at: row['closed_at'],
      },
      {
        channel: 'inwoner',
        status: 'nieuw',
        created_at: '2026-03-02T09:30:00.000Z',
        updated_at: '2026-03-02T09:30:00.000Z',
        entered_by: null,
        acute_danger: 0,
        person_name: 'Jan de Vries',
        person_age: '18_plus',
        location_kind: 'adres',
        postcode: '9351AB',
        house_number: '12',
        house_addition: 'A',
        street: 'Hoofdstraat',
        place: 'Leek',
        location_description: null,
        children_in_home: 'nee',
        description: 'Hij komt al weken niet buiten.\nDe tuin ligt vol afval. 😟',
        concern_since: 'paar_maanden',
        danger_to_self: 'weet_niet',
        danger_to_others: 'nee',
        person_aware: 'nee',
        involved: '["huisarts","woningcorporatie"]',
        reporter_relation: 'buren',
        anonymous: 0,
        reporter_name: 'Anna Bakker',
        reporter_phone: '06 12345678',
        reporter_email: 'anna@voorbeeld.nl',
        intake_method: null,
        observed_at: null,
        police_present: null,
        police_reference: null,
        captcha_status: 'geslaagd',
        suggested_urgency: 'normaal',
        urgency: 'normaal',
        due_on: '2026-03-05', // Monday + 3 working days (demo norm for normaal)
        ave_phase: 'onbekend',
        assigned_to: null,
        closed_at: null,
      },
    );
    const concerns = db().prepare('SELECT concern FROM report_concerns WHERE report_id = ? ORDER BY concern').all(id);
    assert.deepEqual(concerns, [{ concern: 'eenzaamheid' }, { concern: 'vervuiling' }, { concern: 'verwaarlozing' }]);
  });

  test('findReportByReference round-trips a resident report', () => {
    const { id, reference } = recordReport(residentReport, { now: monday });
    const stored = findReportByReference(reference);
    assert.ok(stored);
    // Concerns come back in a stable order (by code), not necessarily the order given.
    assert.deepEqual({ ...stored, concerns: [...stored.concerns].sort() }, {
      ...residentReport,
      concerns: [...residentReport.concerns].sort(),
      id,
      reference,
      status: 'nieuw',
      createdAt: '2026-03-02T09:30:00.000Z',
      enteredBy: undefined,
      locationDescription: undefined,
      intakeMethod: undefined,
      observedAt: undefined,
      policePresent: undefined,
      policeReference: undefined,
      incidentAt: undefined,
      incidentPlace: undefined,
      policeRequest: undefined,
      policeFeedback: undefined,
      policeOfficer: undefined,
      policeTeam: undefined,
      policePhone: undefined,
      policeEmail: undefined,
      feedbackOff: false,
      suggestedUrgency: 'normaal',
      urgency: 'normaal',
      dueOn: '2026-03-05',
      avePhase: 'onbekend',
      addressCheck: undefined,
    });
  });

  test('the address lookup is stored with the report and read back: BAG identifiers, village, wijk, buurt', () => {
    const match = {
      nummeraanduidingId: '1969200000035015',
      adresseerbaarobjectId: '1969010000035015',
      label: '',
      street: 'Hoofdstraat',
      houseNumber: '12',
      addition: 'A',
      postcode: '9351AB',
      place: 'Leek',
      municipalityCode: '1969',
      municipalityName: 'Westerkwartier',
      wijkCode: 'WK196901',
      wijkName: 'Wijk 01 Leek',
      buurtCode: 'BU19690100',
      buurtName: 'Leek Centrum',
    };
    const found = recordReport({ ...residentReport, addressCheck: { status: 'gevonden', match, checkedOn: '2026-03-02', otherMunicipality: undefined } }, { now: monday });
    assert.deepEqual(findReportByReference(found.reference)?.addressCheck, { status: 'gevonden', match, checkedOn: '2026-03-02', otherMunicipality: undefined });
    const opened = rowOf(found.reference);
    const row = Object.fromEntries(['bag_address_id', 'bag_object_id', 'woonplaats', 'municipality_code', 'wijk_code', 'buurt_name', 'other_municipality'].map((c) => [c, opened[c]]));
    // The BAG identifiers point at one dwelling: sealed (rowOf checked), found again by their blind index only.
    assert.ok(!JSON.stringify(rawRowOf(found.reference)).includes('1969200000035015'));
    assert.match(String(opened['bag_key']), /^[\w-]{22}$/);
    assert.deepEqual(row, { bag_address_id: '1969200000035015', bag_object_id: '1969010000035015', woonplaats: 'Leek', municipality_code: '1969', wijk_code: 'WK196901', buurt_name: 'Leek Centrum', other_municipality: 0 });
    // Down: marked, and outside the municipality by its postcode only.
    const down = recordReport({ ...residentReport, addressCheck: { status: 'niet_gecontroleerd', match: undefined, checkedOn: '2026-03-02', otherMunicipality: '' } }, { now: monday });
    assert.deepEqual(findReportByReference(down.reference)?.addressCheck, { status: 'niet_gecontroleerd', match: undefined, checkedOn: '2026-03-02', otherMunicipality: '' });
  });

  test('findReportByReference round-trips the KCC and BOA fields', () => {
    const boa: IntakeReport = {
      channel: 'boa',
      enteredBy: boaId,
      acuteDanger: false,
      personAge: 'onbekend',
      locationKind: 'geen_vast_adres',
      place: 'Zuidhorn',
      locationDescription: 'Bij het station, onder de fietsenstalling',
      concerns: ['verward_gedrag'],
      description: 'Persoon spreekt voorbijgangers verward aan.',
      concernSince: 'minder_dan_week',
      dangerToSelf: 'nee',
      dangerToOthers: 'nee',
      personAware: 'ja',
      involved: [],
      anonymous: false,
      intakeMethod: 'telefoon_0800',
      observedAt: '2026-03-02T08:15:00.000Z',
      policePresent: true,
      policeReference: 'PL0100-2026123456',
      captchaStatus: 'niet_van_toepassing',
    };
    const { reference } = recordReport(boa, { now: monday });
    const stored = findReportByReference(reference);
    assert.ok(stored);
    assert.equal(stored.channel, 'boa');
    assert.equal(stored.enteredBy, boaId);
    assert.equal(stored.intakeMethod, 'telefoon_0800');
    assert.equal(stored.observedAt, '2026-03-02T08:15:00.000Z');
    assert.equal(stored.policePresent, true);
    assert.equal(stored.policeReference, 'PL0100-2026123456');
    assert.equal(stored.locationDescription, 'Bij het station, onder de fietsenstalling');
    assert.equal(stored.postcode, undefined);
    assert.equal(stored.reporterName, undefined);
    assert.deepEqual(stored.involved, []);
    assert.deepEqual(stored.concerns, ['verward_gedrag']);

    const noPolice = findReportByReference(recordReport({ ...boa, policePresent: false }, { now: monday }).reference);
    assert.equal(noPolice?.policePresent, false);
  });

  test('a police report (E33): its fields sealed and read back, the registration number found by its blind index', () => {
    const police: IntakeReport = {
      ...residentReport,
      channel: 'politie',
      anonymous: false,
      reporterRelation: 'professional',
      reporterName: undefined,
      reporterPhone: undefined,
      reporterEmail: undefined,
      policeReference: 'PL0100-2026123456',
      incidentAt: '2026-03-01T21:15:00.000Z',
      incidentPlace: 'Bushokje Hoofdstraat',
      policeRequest: 'Graag beoordelen.',
      policeFeedback: true,
      policeOfficer: 'Agent J. de Boer',
      policeTeam: 'Basisteam Westerkwartier',
      policePhone: '0900 8844',
      policeEmail: 'j.deboer@politie.example',
    };
    const { reference } = recordReport(police, { now: monday });
    const stored = findReportByReference(reference);
    for (const key of ['policeReference', 'incidentAt', 'incidentPlace', 'policeRequest', 'policeFeedback', 'policeOfficer', 'policeTeam', 'policePhone', 'policeEmail'] as const) {
      assert.deepEqual(stored?.[key], police[key], key);
    }
    assert.equal(stored?.channel, 'politie');
    // Sealed at rest (reportRow asserts the format of every sealed column), plain once opened.
    const row = reportRow(reference);
    assert.equal(row['police_officer'], 'Agent J. de Boer');
    const raw = rawReportRow(reference);
    for (const column of ['incident_place', 'police_request', 'police_officer', 'police_team', 'police_phone', 'police_email', 'police_reference']) {
      assert.doesNotMatch(String(raw[column]), /Boer|Hoofdstraat|beoordelen|Westerkwartier|8844|politie\.example|2026123456/, column);
    }
    assert.equal(raw['police_reference_key'], blind('registration', 'PL01002026123456'));
  });

  test('an anonymous report stores no contact details', () => {
    const { reference } = recordReport(
      { ...residentReport, anonymous: true, reporterName: undefined, reporterPhone: undefined, reporterEmail: undefined },
      { now: monday },
    );
    const row = rowOf(reference);
    assert.equal(row['anonymous'], 1);
    assert.equal(row['reporter_name'], null);
    assert.equal(row['reporter_phone'], null);
    assert.equal(row['reporter_email'], null);
    assert.equal(findReportByReference(reference)?.anonymous, true);
  });

  test('findReportByReference: an unknown reference → undefined', () => {
    assert.equal(findReportByReference('MB-ZZZZZZZZ'), undefined);
    assert.equal(findReportByReference(''), undefined);
  });

  test('computes the suggested urgency and the due date in working days, skipping holidays', () => {
    // normaal: 3 working days from Thursday 24 December → Mon 28, Tue 29, Wed 30.
    const calm = rowOf(recordReport(residentReport, { now: christmasEve }).reference);
    assert.equal(calm['suggested_urgency'], 'normaal');
    assert.equal(calm['urgency'], 'normaal');
    assert.equal(calm['due_on'], '2026-12-30');
    // hoog: 1 working day; Friday 25 (Christmas) and the weekend are skipped → Monday 28.
    const urgent = rowOf(recordReport({ ...residentReport, dangerToSelf: 'ja' }, { now: christmasEve }).reference);
    assert.equal(urgent['suggested_urgency'], 'hoog');
    assert.equal(urgent['urgency'], 'hoog');
    assert.equal(urgent['due_on'], '2026-12-28');
    // Every trigger counts.
    for (const change of [
      { dangerToOthers: 'ja' },
      { concerns: ['dreigen_geweld'] },
      { concerns: ['zelfdoding'] },
      { childrenInHome: 'ja' },
    ] satisfies Partial<IntakeReport>[]) {
      const row = rowOf(recordReport({ ...residentReport, ...change }, { now: monday }).reference);
      assert.equal(row['suggested_urgency'], 'hoog', JSON.stringify(change));
      assert.equal(row['due_on'], '2026-03-03', JSON.stringify(change));
    }
  });

  test('references are unique across many reports', () => {
    const references = new Set<string>();
    for (let i = 0; i < 100; i++) references.add(recordReport(residentReport, { now: monday }).reference);
    assert.equal(references.size, 100);
  });

  test('a reference that is already taken is replaced by a new one', () => {
    // The first reference drawn is MB-AAAAAAAA, then MB-BBBBBBBB, then MB-CCCCCCCC.
    let draw = 0;
    const first = withRandomInt(() => Math.floor(draw++ / 8), () => recordReport(residentReport, { now: monday }));
    assert.equal(first.reference, 'MB-AAAAAAAA');
    draw = 0;
    const second = withRandomInt(() => Math.floor(draw++ / 8), () => recordReport(residentReport, { now: monday }));
    assert.equal(second.reference, 'MB-BBBBBBBB');
    assert.equal(findReportByReference('MB-AAAAAAAA')?.id, first.id);
    assert.equal(findReportByReference('MB-BBBBBBBB')?.id, second.id);
  });

  test('gives up (throws) when no free reference is found, storing nothing', () => {
    const before = countReports();
    assert.throws(() => withRandomInt(() => 0, () => recordReport(residentReport, { now: monday })), ReferenceClash);
    assert.throws(() => withRandomInt(() => 0, () => insertReport({ ...residentReport, suggestedUrgency: 'normaal', dueOn: '2026-03-03' }, monday)), ReferenceClash);
    assert.equal(countReports(), before);
  });

  test('the report, its concerns, its audit row and its mail commit together: a bad concern stores nothing', () => {
    const before = [countReports(), countRows('report_concerns'), countRows('audit_log'), countRows('outbox')];
    assert.throws(
      () => recordReport({ ...residentReport, concerns: ['eenzaamheid', 'onbekende_zorg'] }, { now: monday }),
      sqliteCode('SQLITE_CONSTRAINT_CHECK'),
    );
    assert.deepEqual([countReports(), countRows('report_concerns'), countRows('audit_log'), countRows('outbox')], before);
  });

  test('writes an audit row without report content, and the mail to the outbox', () => {
    const { id, reference } = recordReport(residentReport, { now: monday, actor: { role: 'inwoner', ip: '203.0.113.7' } });
    const audit = db().prepare('SELECT * FROM audit_log WHERE object_id = ?').all(reference) as Row[];
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.['actor_role'], 'inwoner');
    assert.equal(audit[0]?.['object_type'], 'melding');
    assert.equal(audit[0]?.['result'], 'gelukt');
    assert.equal(audit[0]?.['at'], monday.toISOString());
    const auditText = JSON.stringify(audit);
    for (const secret of ['Jan de Vries', 'Anna Bakker', 'anna@voorbeeld.nl', '9351AB', 'Hoofdstraat', 'afval']) {
      assert.ok(!auditText.includes(secret), `audit log holds ${secret}`);
    }
    const outbox = fieldsOf('outbox');
    const mail = (db().prepare('SELECT kind, recipient, message_id AS messageId FROM outbox WHERE report_id = ? ORDER BY kind').all(id) as { kind: string; recipient: string; messageId: string }[])
      .map((m) => {
        assert.ok(!m.recipient.includes('@'), 'recipients are sealed at rest');
        return { kind: m.kind, recipient: outbox.open('recipient', m.messageId, m.recipient) };
      });
    assert.deepEqual(mail, [
      { kind: 'coordinator_notification', recipient: 'meldpuntbezorgd@westerkwartier.example' },
      { kind: 'reporter_confirmation', recipient: 'anna@voorbeeld.nl' },
    ]);
  });

  test('no confirmation mail for an anonymous reporter', () => {
    const { id } = recordReport({ ...residentReport, anonymous: true, reporterName: undefined, reporterPhone: undefined }, { now: monday });
    const kinds = db().prepare('SELECT kind FROM outbox WHERE report_id = ?').all(id);
    assert.deepEqual(kinds, [{ kind: 'coordinator_notification' }]);
  });

  test('an acute KCC record: status acuut_doorgezet requires acute danger; urgency direct, due the same day', () => {
    const minimal: IntakeReport = {
      channel: 'kcc',
      status: 'acuut_doorgezet',
      enteredBy: kccId,
      acuteDanger: true,
      concerns: [],
      involved: [],
      anonymous: false,
      intakeMethod: 'telefoon',
      captchaStatus: 'niet_van_toepassing',
    };
    const { reference } = recordReport(minimal, { now: monday });
    const stored = findReportByReference(reference);
    assert.equal(stored?.status, 'acuut_doorgezet');
    assert.equal(stored?.acuteDanger, true);
    assert.equal(stored?.description, undefined);
    assert.deepEqual(stored?.concerns, []);
    assert.equal(stored?.suggestedUrgency, 'direct');
    assert.equal(stored?.dueOn, '2026-03-02');
    assert.throws(() => recordReport({ ...minimal, acuteDanger: false }, { now: monday }), sqliteCode('SQLITE_CONSTRAINT_CHECK'));
  });

  test('insertReport on its own stores the urgency it is given', () => {
    const { reference } = db()
      .transaction(() => insertReport({ ...residentReport, suggestedUrgency: 'laag', dueOn: '2026-03-09' }, monday))
      .immediate();
    const row = rowOf(reference);
    assert.equal(row['suggested_urgency'], 'laag');
    assert.equal(row['urgency'], 'laag');
    assert.equal(row['due_on'], '2026-03-09');
  });
});
