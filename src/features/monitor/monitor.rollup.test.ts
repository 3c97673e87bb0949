import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/**
 * The AVE-monitor's rollup (migration 0020: monitor_daily, kept current by triggers) against the monitor
 * counted directly with the SQL it ran before (tests/support/monitor-direct.ts), after every kind of change
 * a report goes through, each made by the code that makes it in the portal: new reports from every channel
 * and an acute record, triage (urgency and AVE, regie, status with triage time and outcome), a merge and its
 * undoing, a casus move, retention's batched deletion, the encryption pass sealing everything again; and
 * the changes no service makes today (an address, a receipt time, a concern) straight in SQL. Several
 * periods, among them single days on which the clocks change and a year end.
 */

useTempDatabase('monitor-rollup');
const { db } = await import('#platform/db.ts');
const { config } = await import('#platform/config.ts');
const { amsterdamDate } = await import('#lib/working-days.ts');
const { monitorCounts } = await import('./monitor.queries.server.ts');
const { monitorOf } = await import('./monitor.rules.ts');
const { deleteCountedInBulk } = await import('./monitor.repo.server.ts');
const { directMonitorCounts, tenthsOfHour } = await import('#tests/support/monitor-direct.ts');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { changeReport } = await import('#features/triage/triage.server.ts');
const { reportIdOf } = await import('#features/triage/triage.queries.server.ts');
const { addReportToOpenCase, changeCase, createCaseFromReport, caseOfReport } = await import('#features/casus/casus.server.ts');
const { applyRetention } = await import('#features/retention/retention.server.ts');
const { runPass } = await import('#features/encryption/encryption.server.ts');
const { keyring, resetKeyring } = await import('#platform/crypto/keyring.server.ts');
const { insertUser } = await import('#features/auth/users.repo.server.ts');
type Period = import('./monitor.rules.ts').Period;
type IntakeReport = import('#features/intake/intake.server.ts').IntakeReport;
type BagAddress = import('#features/address/address.schema.ts').BagAddress;

const HOUR = 3_600_000;
const TODAY = '2026-12-15';

const PERIODS: Period[] = [
  { from: '2026-01-01', to: '2026-12-31', areaBy: 'dorp' },
  { from: '2026-01-01', to: '2026-12-31', areaBy: 'wijk' },
  { from: '2026-03-01', to: '2026-03-31', areaBy: 'dorp' },
  // One day each: the clocks go forward (23 hours), and back (25 hours).
  { from: '2026-03-29', to: '2026-03-29', areaBy: 'wijk' },
  { from: '2026-10-25', to: '2026-10-25', areaBy: 'dorp' },
  { from: '2026-10-24', to: '2026-11-15', areaBy: 'wijk' },
  { from: '2026-12-31', to: '2027-01-01', areaBy: 'dorp' },
  { from: '2025-06-01', to: '2027-06-30', areaBy: 'dorp' },
  // Partial months at both ends, read as their days or as the month less the days left out.
  { from: '2026-03-02', to: '2026-10-30', areaBy: 'dorp' },
  { from: '2026-03-10', to: '2026-03-20', areaBy: 'wijk' },
  { from: '2026-03-02', to: '2026-03-30', areaBy: 'dorp' },
  { from: '2026-02-28', to: '2026-11-02', areaBy: 'wijk' },
];

/** Every row of the rollup that counts, and what every report contributes now, summed: equal when nothing drifted. */
const rollupRows = () => ({
  daily: db().prepare('SELECT day, dimension, value, n FROM monitor_daily WHERE n > 0 ORDER BY day, dimension, value').all(),
  triage: db().prepare('SELECT day, tenths, n FROM monitor_triage WHERE n > 0 ORDER BY day, tenths').all(),
  monthly: db().prepare('SELECT month, tenths, n FROM monitor_triage_monthly WHERE n > 0 ORDER BY month, tenths').all(),
});
const recomputedRows = () => ({
  daily: db().prepare("SELECT day, dimension, value, count(*) AS n FROM monitor_contributions WHERE dimension <> 'triage_tenths' GROUP BY day, dimension, value ORDER BY day, dimension, value").all(),
  triage: db().prepare("SELECT day, value AS tenths, count(*) AS n FROM monitor_contributions WHERE dimension = 'triage_tenths' GROUP BY day, value ORDER BY day, tenths").all(),
  monthly: db().prepare("SELECT substr(day, 1, 7) AS month, value AS tenths, count(*) AS n FROM monitor_contributions WHERE dimension = 'triage_tenths' GROUP BY month, value ORDER BY month, tenths").all(),
});

/** The monitor from the rollup equals the monitor counted directly, for every period; the rollup holds no leftovers. */
function assertRollupIsDirect(when: string): void {
  for (const p of PERIODS) {
    const rolled = monitorCounts(p, TODAY);
    assert.deepEqual(rolled, directMonitorCounts(p, TODAY), `${when}: ${p.from} t/m ${p.to} by ${p.areaBy}`);
    // And so the page and the export.
    assert.deepEqual(monitorOf(p, rolled), monitorOf(p, directMonitorCounts(p, TODAY)));
  }
  assert.deepEqual(rollupRows(), recomputedRows(), `${when}: the rollup is the sum of what the reports contribute now`);
  assert.equal(db().prepare('SELECT count(*) AS n FROM monitor_bulk_delete').pluck().get(), 0, 'the bulk-delete flag is never left set');
}

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
let made = 0;
/** A reference no report of the services has (they draw theirs at random): counted up from MB-ZZZZZZZZ's end of the alphabet. */
function reference(): string {
  const i = made++;
  return `MB-${Array.from({ length: 8 }, (_, d) => ALPHABET[ALPHABET.length - 1 - (Math.floor(i / ALPHABET.length ** d) % ALPHABET.length)]).join('')}`;
}

/** Inside a savepoint that is rolled back: the raw rows of a test of SQL expressions leave nothing behind. */
function rolledBack(work: () => void): void {
  db().exec('SAVEPOINT scratch');
  try {
    work();
  } finally {
    db().exec('ROLLBACK TO scratch; RELEASE scratch');
  }
}

const insertRaw = () =>
  db().prepare(`INSERT INTO reports (reference, channel, created_at, updated_at, acute_danger, suggested_urgency, urgency, due_on, triaged_at)
                VALUES (@reference, 'inwoner', @createdAt, @createdAt, 0, 'normaal', 'normaal', '2026-01-01', @triagedAt)`);

describe('the SQL of the rollup', () => {
  test('the Amsterdam day of created_at equals amsterdamDate(), every hour around the clock changes of 2024–2031 and all of 2026, and the last millisecond before each hour', () => {
    const instants: number[] = [];
    for (let year = 2024; year <= 2031; year++) {
      for (const [from, to] of [[`${year}-03-20`, `${year}-04-03`], [`${year}-10-18`, `${year}-11-01`], [`${year}-12-30`, `${year + 1}-01-02`]] as const) {
        for (let t = Date.parse(`${from}T00:00:00.000Z`); t < Date.parse(`${to}T00:00:00.000Z`); t += HOUR) instants.push(t, t - 1);
      }
    }
    for (let t = Date.parse('2026-01-01T00:00:00.000Z'); t < Date.parse('2027-01-01T00:00:00.000Z'); t += HOUR) instants.push(t);
    rolledBack(() => {
      const insert = insertRaw();
      for (const t of instants) insert.run({ reference: reference(), createdAt: new Date(t).toISOString(), triagedAt: null });
      const rows = db().prepare("SELECT r.created_at AS at, c.day FROM monitor_contributions c JOIN reports r ON r.id = c.id WHERE c.dimension = 'total'").all() as { at: string; day: string }[];
      assert.equal(rows.length, instants.length);
      const wrong = rows.filter((r) => r.day !== amsterdamDate(new Date(r.at)));
      assert.deepEqual(wrong.slice(0, 5), []);
      // The edges themselves: 22:00 UTC is midnight in summer, 23:00 UTC in winter.
      const dayOf = new Map(rows.map((r) => [r.at, r.day]));
      assert.equal(dayOf.get('2026-03-29T21:59:59.999Z'), '2026-03-29');
      assert.equal(dayOf.get('2026-03-29T22:00:00.000Z'), '2026-03-30');
      assert.equal(dayOf.get('2026-03-28T22:00:00.000Z'), '2026-03-28');
      assert.equal(dayOf.get('2026-03-28T23:00:00.000Z'), '2026-03-29');
      assert.equal(dayOf.get('2026-10-24T22:00:00.000Z'), '2026-10-25');
      assert.equal(dayOf.get('2026-10-25T22:00:00.000Z'), '2026-10-25');
      assert.equal(dayOf.get('2026-10-25T23:00:00.000Z'), '2026-10-26');
      assert.equal(dayOf.get('2026-12-31T23:00:00.000Z'), '2027-01-01');
    });
  });

  test('triage hours in tenths: exactly Math.round(hours * 10) of whole milliseconds, at every half tenth up to 300 hours and around it', () => {
    const cases: { created: string; ms: number }[] = [];
    const starts = ['2026-03-02T10:00:00.000Z', '2026-03-28T23:59:59.999Z', '2026-10-25T00:30:00.123Z', '2026-06-30T21:17:43.456Z'];
    for (let k = 0; k < 3000; k++) {
      // 180,000 ms is half a tenth of an hour: the ties, where rounding could go either way.
      const tie = 180_000 * (2 * k + 1);
      for (const ms of [tie - 1, tie, tie + 1]) cases.push({ created: starts[k % starts.length]!, ms });
    }
    let seed = 7;
    for (let i = 0; i < 3000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      cases.push({ created: starts[i % starts.length]!, ms: seed % (40 * 24 * HOUR) });
    }
    for (const ms of [0, 1, 359_999, 360_000, 17 * 24 * HOUR]) cases.push({ created: starts[0]!, ms });
    rolledBack(() => {
      const insert = insertRaw();
      const ids = cases.map((c) => Number(insert.run({ reference: reference(), createdAt: c.created, triagedAt: new Date(Date.parse(c.created) + c.ms).toISOString() }).lastInsertRowid));
      const tenths = new Map(
        (db().prepare("SELECT id, value FROM monitor_contributions WHERE dimension = 'triage_tenths'").all() as { id: number; value: string }[]).map((r) => [r.id, Number(r.value)]),
      );
      const wrong = cases.map((c, i) => ({ ...c, sql: tenths.get(ids[i]!), js: tenthsOfHour(c.created, new Date(Date.parse(c.created) + c.ms).toISOString()) })).filter((c) => c.sql !== c.js);
      assert.deepEqual(wrong.slice(0, 5), []);
      assert.equal(tenths.get(ids[0]!), 0);
      assert.equal(tenths.get(ids[1]!), 1, 'a tie rounds up, as Math.round does');
    });
  });

  test('a rollup row cannot count below zero, and every dimension is a known one', () => {
    assert.throws(() => db().prepare("INSERT INTO monitor_daily (day, dimension, value, n) VALUES ('2026-01-01', 'total', '', -1)").run(), /CHECK/);
    assert.throws(() => db().prepare("INSERT INTO monitor_daily (day, dimension, value, n) VALUES ('2026-01-01', 'naam', '', 1)").run(), /CHECK/);
  });
});

describe('the rollup equals a direct count after every kind of change', () => {
  const coordinator = insertUser({ email: 'coordinator@test.example', name: 'Carla', role: 'coordinator', passwordHash: 'x', totpSecret: 'x' });
  const kcc = insertUser({ email: 'kcc@test.example', name: 'Kees', role: 'kcc', passwordHash: 'x', totpSecret: 'x' });
  const boa = insertUser({ email: 'boa@test.example', name: 'Bea', role: 'boa', passwordHash: 'x', totpSecret: 'x' });
  const actor = { id: coordinator, role: 'coordinator' as const, ip: '127.0.0.1' };
  const norms = config().municipality;
  const at = (iso: string) => new Date(iso);

  const bag = (place: string, wijkName: string | undefined): BagAddress => ({
    nummeraanduidingId: '0000200000000001', adresseerbaarobjectId: undefined, label: `Dorpsstraat 1, ${place}`, street: 'Dorpsstraat', houseNumber: '1',
    addition: '', postcode: '9351AB', place, municipalityCode: '1969', municipalityName: 'Westerkwartier', wijkCode: undefined, wijkName,
    buurtCode: undefined, buurtName: undefined,
  });
  const base = (i: number, channel: IntakeReport['channel']): IntakeReport => ({
    channel, acuteDanger: false, personName: `Persoon ${i}`, locationKind: 'adres', postcode: '9351AB', houseNumber: String(i), street: 'Dorpsstraat',
    place: 'Leek', concerns: [['eenzaamheid'], ['vervuiling', 'verwaarlozing'], ['verward_gedrag', 'dementie', 'anders']][i % 3]!, involved: [],
    description: 'Zorgen.', anonymous: i % 2 === 0, reporterName: 'Melder', reporterEmail: 'melder@test.example', captchaStatus: 'niet_van_toepassing',
    ...(channel === 'kcc' ? { enteredBy: kcc, intakeMethod: 'telefoon' } : {}),
    ...(channel === 'boa' ? { enteredBy: boa, observedAt: '2026-03-01T10:00', policePresent: false } : {}),
    ...(channel === 'politie' ? { incidentAt: '2026-03-01T09:00:00.000Z', policeRequest: 'Graag beoordelen', policeFeedback: true, policeReference: `PL0100-${i}` } : {}),
    ...(i % 4 === 3
      ? {}
      : { addressCheck: { status: 'gevonden' as const, checkedOn: '2026-03-01', otherMunicipality: undefined, match: bag(['Leek', 'Zuidhorn', 'Marum'][i % 3]!, i % 4 === 2 ? undefined : `Wijk 0${i % 3} ${['Leek', 'Zuidhorn', 'Marum'][i % 3]}`) } }),
  });

  // Receipt times on both sides of Amsterdam midnight, on the days the clocks change, and at the year's end.
  const RECEIVED = [
    '2026-03-28T22:59:59.999Z', '2026-03-28T23:00:00.000Z', '2026-03-29T00:59:59.999Z', '2026-03-29T01:00:00.000Z', '2026-03-29T21:59:59.999Z',
    '2026-03-29T22:00:00.000Z', '2026-03-15T12:00:00.000Z', '2026-06-30T21:30:00.000Z', '2026-06-30T22:30:00.000Z', '2026-10-24T21:59:59.999Z',
    '2026-10-24T22:00:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z', '2026-10-25T22:59:59.999Z', '2026-10-25T23:00:00.000Z',
    '2026-11-10T08:15:00.000Z', '2026-12-31T22:59:59.999Z', '2026-12-31T23:00:00.000Z', '2027-01-01T10:00:00.000Z', '2026-02-28T23:00:00.000Z',
  ];
  const CHANNELS = ['inwoner', 'kcc', 'boa', 'politie'] as const;
  const refs: string[] = [];
  const idOf = (ref: string) => reportIdOf(ref)!.id;
  const change = (ref: string, intent: string, answers: Record<string, string>, when: string) => {
    const outcome = changeReport({ reference: ref, intent, answers, actor, at: at(when), norms });
    assert.equal(outcome.kind, 'done', `${intent} ${JSON.stringify(answers)}: ${JSON.stringify(outcome)}`);
  };
  const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

  test('new reports from every channel, and an acute record', () => {
    RECEIVED.forEach((when, i) => {
      const channel = CHANNELS[i % CHANNELS.length]!;
      refs.push(recordReport(base(i, channel), { now: at(when) }).reference);
    });
    recordReport({ ...base(90, 'kcc'), status: 'acuut_doorgezet', acuteDanger: true }, { now: at('2026-03-29T12:00:00.000Z') });
    const year = monitorCounts(PERIODS[0]!, TODAY);
    assert.equal(year.acute, 1);
    assert.deepEqual(year.channels.map((c) => c.k).sort(), [...CHANNELS].sort());
    assert.ok(year.areas.some((a) => a.k === null) && year.areas.length >= 3);
    assertRollupIsDirect('new reports');
  });

  test('triage: urgency and AVE phase (a new due date), regie, status with the triage time, outcomes', () => {
    refs.forEach((ref, i) => {
      const created = RECEIVED[i]!;
      if (i % 5 === 0) return; // some stay new
      change(ref, 'urgency_ave', { urgency: ['hoog', 'laag', 'direct', 'normaal'][i % 4]!, avePhase: ['ave1', 'ave2', 'ave3', 'ave4'][i % 4]!, aveReason: 'Beoordeeld' }, plus(created, HOUR));
      if (i % 3 === 0) change(ref, 'regie', { caseDirector: 'J. Jansen, Sociaal team', processDirector: i % 2 ? 'Zorg- en Veiligheidshuis' : '', treatmentDirector: '' }, plus(created, 2 * HOUR));
      // Triaged from 3 minutes (half a tenth of an hour: a tie) to days after receipt.
      change(ref, 'status', { status: 'in_behandeling', outcome: '', forwardedTo: '', mergeInto: '', reason: '' }, plus(created, [180_000, 540_000, 26 * HOUR, 73 * HOUR + 1][i % 4]!));
      if (i % 4 === 1) change(ref, 'status', { status: 'afgesloten', outcome: 'sociaal_team', forwardedTo: '', mergeInto: '', reason: '' }, plus(created, 80 * HOUR));
      if (i % 4 === 2) change(ref, 'status', { status: 'uitgezet', outcome: 'bemoeizorg', forwardedTo: '', mergeInto: '', reason: '' }, plus(created, 90 * HOUR));
      if (i === 7) change(ref, 'status', { status: 'wacht_op_info', outcome: '', forwardedTo: '', mergeInto: '', reason: '' }, plus(created, 95 * HOUR));
    });
    const year = monitorOf(PERIODS[0]!, monitorCounts(PERIODS[0]!, TODAY));
    assert.ok(year.triage.triaged > 10 && year.triage.withinNorm > 0 && year.triage.medianHours !== null);
    assertRollupIsDirect('triage');
    // Regie taken away again: the report no longer counts under it.
    change(refs[3]!, 'regie', { caseDirector: '', processDirector: '', treatmentDirector: '' }, '2027-01-02T10:00:00.000Z');
    assertRollupIsDirect('regie removed');
    // Each director alone, with nothing else changing afterwards.
    change(refs[16]!, 'regie', { caseDirector: 'A. de Vries, Sociaal team', processDirector: '', treatmentDirector: '' }, '2027-01-02T10:00:00.000Z');
    assertRollupIsDirect('a case director only');
    change(refs[17]!, 'regie', { caseDirector: '', processDirector: '', treatmentDirector: 'Lentis' }, '2027-01-02T10:00:00.000Z');
    assertRollupIsDirect('a treatment director only');
    change(refs[17]!, 'regie', { caseDirector: '', processDirector: 'Zorg- en Veiligheidshuis', treatmentDirector: 'Lentis' }, '2027-01-02T10:00:00.000Z');
    assertRollupIsDirect('a process director added');
  });

  test('a merge counts the report apart, undoing it counts it again', () => {
    change(refs[5]!, 'status', { status: 'samengevoegd', outcome: '', forwardedTo: '', mergeInto: refs[6]!, reason: '' }, '2027-01-02T11:00:00.000Z');
    change(refs[10]!, 'status', { status: 'samengevoegd', outcome: '', forwardedTo: '', mergeInto: refs[6]!, reason: '' }, '2027-01-02T11:00:00.000Z');
    assert.ok(monitorCounts(PERIODS[0]!, TODAY).merged >= 2);
    assertRollupIsDirect('merged');
    change(refs[10]!, 'status', { status: 'in_behandeling', outcome: '', forwardedTo: '', mergeInto: '', reason: 'Toch een andere persoon' }, '2027-01-02T12:00:00.000Z');
    assertRollupIsDirect('merge undone');
  });

  test('a report moved from one casus to another (the casus part follows; the report counts stay)', () => {
    const one = createCaseFromReport({ reference: refs[1]!, answers: { caseName: 'Dhr. A.' }, actor, at: at('2026-11-01T10:00:00.000Z') });
    const two = createCaseFromReport({ reference: refs[2]!, answers: { caseName: 'Mevr. B.' }, actor, at: at('2026-11-01T10:05:00.000Z') });
    assert.ok(one.kind === 'done' && two.kind === 'done');
    assert.equal(addReportToOpenCase({ reference: refs[9]!, answers: { caseNumber: `casus-${one.nummer}` }, actor, at: at('2026-11-02T10:00:00.000Z') }).kind, 'done');
    assertRollupIsDirect('in a casus');
    const before = rollupRows();
    const removed = changeCase({ nummer: one.nummer, intent: 'remove', answers: { removeReference: refs[9]!, removeReason: 'Andere persoon' }, actor, at: at('2026-11-03T10:00:00.000Z'), findReport: reportIdOf });
    assert.equal(removed.kind, 'done');
    assert.equal(addReportToOpenCase({ reference: refs[9]!, answers: { caseNumber: `casus-${two.nummer}` }, actor, at: at('2026-11-03T10:01:00.000Z') }).kind, 'done');
    assert.equal(caseOfReport(idOf(refs[9]!), []).current?.id, two.nummer);
    assert.deepEqual(rollupRows(), before, 'a casus move changes no report count');
    assertRollupIsDirect('moved to another casus');

    // Up to AVE 4 after the move: a period that ends before that counts the casus at its phase then (its
    // history), a period that ends after it at the phase it has now (one pass over the casussen).
    const up = changeCase({ nummer: one.nummer, intent: 'ave', answers: { avePhase: 'ave4', aveReason: 'Openbare orde in het geding' }, actor, at: at('2026-11-04T10:00:00.000Z'), findReport: reportIdOf });
    assert.equal(up.kind, 'done');
    const phases = (p: Period) => monitorCounts(p, TODAY).cases.byPhase;
    const before4th: Period = { from: '2026-10-01', to: '2026-11-03', areaBy: 'dorp' };
    const after4th: Period = { from: '2026-10-01', to: '2026-11-30', areaBy: 'dorp' };
    assert.deepEqual(phases(before4th), directMonitorCounts(before4th, TODAY).cases.byPhase);
    assert.deepEqual(phases(after4th), directMonitorCounts(after4th, TODAY).cases.byPhase);
    assert.ok(phases(after4th).some((r) => r.k === 'ave4' && r.n === 1), JSON.stringify(phases(after4th)));
    assert.ok(!phases(before4th).some((r) => r.k === 'ave4'), JSON.stringify(phases(before4th)));
    assertRollupIsDirect('a casus up to AVE 4');
  });

  test('changes no service makes today, straight in SQL: an address, a receipt time, a concern', () => {
    db().prepare("UPDATE reports SET woonplaats = 'Grootegast', wijk_name = 'Wijk 09 Grootegast' WHERE id = ?").run(idOf(refs[4]!));
    db().prepare('UPDATE reports SET woonplaats = NULL, wijk_name = NULL WHERE id = ?').run(idOf(refs[8]!));
    assertRollupIsDirect('address');
    db().prepare("UPDATE reports SET created_at = '2026-03-29T21:30:00.000Z' WHERE id = ?").run(idOf(refs[15]!));
    assertRollupIsDirect('receipt time');
    // In a casus: the casus's area is that of its latest report with an address (a copy kept beside the link).
    db().prepare("UPDATE reports SET woonplaats = 'Niehove', wijk_name = 'Wijk 05 Niehove' WHERE id = ?").run(idOf(refs[9]!));
    assertRollupIsDirect('the address of a report in a casus');
    db().prepare("UPDATE reports SET created_at = '2026-11-20T10:00:00.000Z' WHERE id = ?").run(idOf(refs[2]!));
    assert.deepEqual(monitorCounts(PERIODS[0]!, TODAY).cases.areas.map((a) => a.k).sort(), ['Marum', 'Zuidhorn']);
    assertRollupIsDirect('a report in a casus received later');
    db().prepare("INSERT INTO report_concerns (report_id, concern) VALUES (?, 'zelfdoding')").run(idOf(refs[4]!));
    db().prepare("DELETE FROM report_concerns WHERE report_id = ? AND concern = 'eenzaamheid'").run(idOf(refs[0]!));
    db().prepare("UPDATE report_concerns SET concern = 'geldproblemen' WHERE report_id = ? AND concern = 'vervuiling'").run(idOf(refs[1]!));
    assertRollupIsDirect('concerns');
    // A report deleted one at a time (no service does; retention deletes in batches): its row trigger.
    db().prepare('DELETE FROM reports WHERE id = ?').run(idOf(refs[18]!));
    assertRollupIsDirect('one report deleted');
  });

  test('retention: the deleted reports leave the rollup in one statement per batch', async () => {
    // Cancelled and closed reports, past their periods six years on; small batches, so several per rule.
    change(refs[12]!, 'status', { status: 'geannuleerd', outcome: '', forwardedTo: '', mergeInto: '', reason: 'Dubbel' }, '2027-01-03T10:00:00.000Z');
    const reportsBefore = db().prepare('SELECT count(*) FROM reports').pluck().get() as number;
    const result = await applyRetention(at('2033-01-01T10:00:00.000Z'), { batchSize: 2 });
    assert.ok(result.reportsDeleted >= 3 && result.cancelledDeleted === 1, JSON.stringify(result));
    assert.equal(db().prepare('SELECT count(*) FROM reports').pluck().get(), reportsBefore - result.reportsDeleted - result.cancelledDeleted);
    assertRollupIsDirect('after retention');
  });

  test('a bulk deletion that fails takes its subtraction back with it', () => {
    const before = rollupRows();
    const ids = [idOf(refs[0]!), idOf(refs[4]!)];
    assert.throws(() =>
      db().transaction(() =>
        deleteCountedInBulk(ids, () => {
          db().prepare('DELETE FROM reports WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids));
          throw new Error('disk full');
        }),
      )(),
    );
    assert.deepEqual(rollupRows(), before);
    assert.throws(() => deleteCountedInBulk(ids, () => undefined), /inside a transaction/);
    assertRollupIsDirect('failed bulk deletion');
  });

  test('the encryption pass sealing every report again under a new key writes nothing to the rollup', () => {
    const directors = () => db().prepare('SELECT case_director FROM reports WHERE case_director IS NOT NULL ORDER BY id').pluck().all();
    const sealedBefore = directors();
    assert.ok(sealedBefore.length > 0);
    db().exec(`CREATE TEMP TABLE rollup_writes (n INTEGER NOT NULL);
               CREATE TEMP TRIGGER count_rollup_inserts AFTER INSERT ON main.monitor_daily BEGIN INSERT INTO rollup_writes VALUES (1); END;
               CREATE TEMP TRIGGER count_rollup_updates AFTER UPDATE ON main.monitor_daily BEGIN INSERT INTO rollup_writes VALUES (1); END;
               CREATE TEMP TRIGGER count_triage_inserts AFTER INSERT ON main.monitor_triage BEGIN INSERT INTO rollup_writes VALUES (1); END;
               CREATE TEMP TRIGGER count_triage_updates AFTER UPDATE ON main.monitor_triage BEGIN INSERT INTO rollup_writes VALUES (1); END;`);
    const before = rollupRows();
    appendFileSync(config().dataKey.file, `${randomBytes(32).toString('base64')}\n`);
    resetKeyring();
    const changed = runPass({ batchSize: 7 });
    assert.ok((changed['reports'] ?? 0) > 5, JSON.stringify(changed));
    assert.notDeepEqual(directors(), sealedBefore, 'the directors were sealed again');
    assert.ok(directors().every((v) => String(v).includes(keyring().current.id)));
    assert.equal(db().prepare('SELECT count(*) FROM rollup_writes').pluck().get(), 0, 'no rollup row was written');
    assert.deepEqual(rollupRows(), before);
    // The counting triggers see a real change again.
    change(refs[11]!, 'urgency_ave', { urgency: 'hoog', avePhase: 'ave4', aveReason: 'Escalatie' }, '2027-01-04T10:00:00.000Z');
    assert.ok((db().prepare('SELECT count(*) FROM rollup_writes').pluck().get() as number) > 0);
    db().exec(`DROP TRIGGER temp.count_rollup_inserts; DROP TRIGGER temp.count_rollup_updates; DROP TRIGGER temp.count_triage_inserts;
               DROP TRIGGER temp.count_triage_updates; DROP TABLE temp.rollup_writes`);
    assertRollupIsDirect('after the encryption pass');
  });
});

describe('the migration fills the rollup from the reports there are', () => {
  test('monitor_daily emptied and filled again by the backfill statement of migration 0020 is what the triggers kept', async () => {
    const { readMigrations } = await import('#platform/migrate.ts');
    const sql = readMigrations().find((m) => m.version === 20)!.sql;
    const backfill = sql.slice(sql.lastIndexOf('INSERT INTO monitor_daily'));
    const kept = rollupRows();
    // What is left after retention (uitgezet and acute records included since migration 0031): enough to compare.
    assert.ok(kept.daily.length > 50 && kept.triage.length > 5 && kept.monthly.length > 5, JSON.stringify([kept.daily.length, kept.triage.length, kept.monthly.length]));
    rolledBack(() => {
      db().exec('DELETE FROM monitor_daily; DELETE FROM monitor_triage; DELETE FROM monitor_triage_monthly');
      db().exec(backfill);
      assert.deepEqual(rollupRows(), kept);
    });
  });
});
