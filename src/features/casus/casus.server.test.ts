import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/**
 * The casus against a real SQLite file (casus.server.ts): two reports into one casus, AVE 2 → 3 with
 * procesregie and back to 2, each change kept as a trajectory event with its reason (encrypted), each
 * with its audit row; refusals write only a `geweigerd` audit row.
 */

useTempDatabase('casus-service');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { insertUser } = await import('#features/auth/users.repo.server.ts');
const { db } = await import('#platform/db.ts');
const { openRow, SEALED_FORMAT } = await import('#tests/support/sealed.ts');
const { queuePage, reportIdOf } = await import('#features/triage/triage.queries.server.ts');
const { changeReport } = await import('#features/triage/triage.server.ts');
const { config } = await import('#platform/config.ts');
const { addReportToOpenCase, changeCase, createCaseFromReport, openCase, caseOfReport } = await import('./casus.server.ts');
const { anyPlainValue } = await import('#features/encryption/encryption.queries.server.ts');

const id = insertUser({ email: 'c@test.example', name: 'Carla Coördinator', role: 'coordinator', passwordHash: 'x', totpSecret: 'x' });
const actor = { id, role: 'coordinator' as const, ip: '127.0.0.1' };
let at = new Date('2026-03-02T09:00:00Z');
const later = () => (at = new Date(at.getTime() + 3_600_000));

const report = (house: string) =>
  recordReport({
    channel: 'inwoner', acuteDanger: false, personName: 'Dhr. P.', personAge: '18_plus', locationKind: 'adres', postcode: '9351AB',
    houseNumber: house, street: 'Dorpsstraat', place: 'Leek', concerns: ['verward_gedrag', 'vervuiling'], description: 'Zorgen.',
    concernSince: 'paar_maanden', dangerToSelf: 'nee', dangerToOthers: 'nee', personAware: 'nee', involved: [], reporterRelation: 'buren',
    anonymous: true, captchaStatus: 'geslaagd',
  }).reference;

const auditRows = (objectId: string | number) =>
  db().prepare("SELECT action, result FROM audit_log WHERE object_type = 'casus' AND object_id = ? ORDER BY id").all(String(objectId)) as { action: string; result: string }[];
const change = (nummer: number, intent: string, answers: Record<string, string>) => changeCase({ nummer, intent, answers, actor, at: later(), findReport: reportIdOf });

describe('Dhr. P.: from his first report to his MDO and back down', () => {
  const first = report('1');
  const second = report('1');
  // The triage assessment: AVE 2.
  changeReport({ reference: first, intent: 'urgency_ave', answers: { urgency: 'normaal', avePhase: 'ave2', aveReason: 'Meerdere zorgen' }, actor, at, norms: config().municipality });
  let nummer = 0;

  test('a casus from the first report takes its phase; the second report is offered that casus first and joins it', () => {
    const refused = createCaseFromReport({ reference: first, answers: { caseName: '' }, actor, at: later() });
    assert.equal(refused.kind, 'refused');
    const made = createCaseFromReport({ reference: first, answers: { caseName: 'Dhr. P., Dorpsstraat' }, actor, at: later() });
    assert.equal(made.kind, 'done');
    nummer = made.kind === 'done' ? made.nummer : 0;
    const offered = caseOfReport(reportIdOf(second)!.id, [reportIdOf(first)!.id]);
    assert.equal(offered.current, undefined);
    assert.deepEqual(offered.choices[0], { id: nummer, name: 'Dhr. P., Dorpsstraat', preferred: true });
    assert.equal(addReportToOpenCase({ reference: second, answers: { caseNumber: String(nummer) }, actor, at: later() }).kind, 'done');
    assert.equal(createCaseFromReport({ reference: second, answers: { caseName: 'Nog een' }, actor, at: later() }).kind, 'refused');
    assert.equal(openCase(nummer, actor, later())!.summary.avePhase, 'ave2');
  });

  test('AVE 2 → 3 needs a reason; with one it is kept as opgeschaald, with procesregie', () => {
    assert.deepEqual(change(nummer, 'ave', { avePhase: 'ave3', aveReason: '' }), { kind: 'refused', status: 400, errors: { aveReason: 'Vul de reden in voor de nieuwe AVE-fase' } });
    assert.equal(change(nummer, 'ave', { avePhase: 'ave3', aveReason: 'Zorg en veiligheid: dreigt met geweld' }).kind, 'done');
    assert.equal(change(nummer, 'regie', { caseDirector: 'J. de Vries, Sociaal team', processDirector: 'M. Bakker, Zorg- en Veiligheidshuis', treatmentDirector: '' }).kind, 'done');
    assert.equal(change(nummer, 'ave', { avePhase: 'ave2', aveReason: 'Huis schoon, hulp loopt' }).kind, 'done');
    const details = openCase(nummer, actor, later())!;
    assert.equal(details.summary.avePhase, 'ave2');
    assert.equal(details.summary.processDirector, 'M. Bakker, Zorg- en Veiligheidshuis');
    const ave = details.events.filter((e) => e.kind === 'opgeschaald' || e.kind === 'afgeschaald');
    assert.deepEqual(ave.map((e) => [e.kind, e.fromValue, e.toValue, e.reason, e.actor]), [
      ['afgeschaald', 'ave3', 'ave2', 'Huis schoon, hulp loopt', 'Carla Coördinator'],
      ['opgeschaald', 'ave2', 'ave3', 'Zorg en veiligheid: dreigt met geweld', 'Carla Coördinator'],
    ]);
    assert.deepEqual(details.reports.map((r) => r.reference).sort(), [first, second].sort());
  });

  test('every change has its audit row; the refusal only a geweigerd one', () => {
    const actions = auditRows(nummer).map((r) => `${r.action}:${r.result}`);
    for (const a of ['casus_aangemaakt:gelukt', 'casus_melding_toegevoegd:gelukt', 'wijziging_casus_ave:geweigerd', 'casus_opgeschaald:gelukt', 'casus_regie_gewijzigd:gelukt', 'casus_afgeschaald:gelukt', 'casus_bekeken:gelukt']) {
      assert.ok(actions.includes(a), `${a} in ${actions.join(', ')}`);
    }
  });

  test('names and reasons are stored encrypted', () => {
    const raw = db().prepare('SELECT * FROM cases WHERE id = ?').get(nummer) as Record<string, string | number | null>;
    const row = openRow('cases', nummer, raw, ['name', 'case_director', 'process_director']);
    assert.equal(row['name'], 'Dhr. P., Dorpsstraat');
    for (const e of db().prepare('SELECT reason FROM case_events WHERE reason IS NOT NULL').all() as { reason: string }[]) assert.match(e.reason, SEALED_FORMAT);
    assert.equal(anyPlainValue(), false);
  });

  test('a merged report follows the report it was merged into; one taken out needs a reason', () => {
    const third = report('1');
    changeReport({ reference: third, intent: 'status', answers: { status: 'samengevoegd', mergeInto: first, outcome: '', forwardedTo: '', reason: '' }, actor, at: later(), norms: config().municipality });
    assert.equal(caseOfReport(reportIdOf(third)!.id, []).current?.id, nummer);
    assert.equal(change(nummer, 'remove', { removeReference: second, removeReason: '' }).kind, 'refused');
    assert.equal(change(nummer, 'remove', { removeReference: second, removeReason: 'Ging over de buurman' }).kind, 'done');
    assert.equal(caseOfReport(reportIdOf(second)!.id, []).current, undefined);
    // The queue's casus column (spec §5): the casus of the report, or of the report it was merged into.
    const caseInQueue = (reference: string) => queuePage({ search: reference }, '2026-03-02', 50, 0).rows.find((r) => r.reference === reference)?.caseNumber;
    assert.equal(caseInQueue(first), nummer);
    assert.equal(caseInQueue(third), nummer);
    assert.equal(caseInQueue(second), null);
  });

  test('the notes on its reports are on the casus timeline', () => {
    changeReport({ reference: first, intent: 'note', answers: { note: 'Huisbezoek gedaan met de wijkagent' }, actor, at: later(), norms: config().municipality });
    assert.deepEqual(openCase(nummer, actor, later())!.notes.map((n) => [n.reference, n.body, n.author]), [[first, 'Huisbezoek gedaan met de wijkagent', 'Carla Coördinator']]);
  });

  test('actions: what, who and a date; overdue once past it; marked done', async () => {
    const { overdueActions, caseList } = await import('./casus.queries.server.ts');
    assert.deepEqual(change(nummer, 'add_action', { actionWhat: '', actionWho: 'Wijkagent', actionDue: '15-03-2026' }), {
      kind: 'refused', status: 400, errors: { actionWhat: 'Vul in wat er moet gebeuren', actionDue: 'Vul een datum in als 2026-12-15' },
    });
    assert.equal(change(nummer, 'add_action', { actionWhat: 'Huisbezoek met GGZ plannen', actionWho: 'Sociaal team', actionDue: '2026-03-10' }).kind, 'done');
    const stored = db().prepare('SELECT what, who FROM case_actions').get() as { what: string; who: string };
    assert.match(stored.what, SEALED_FORMAT);
    assert.match(stored.who, SEALED_FORMAT);
    assert.deepEqual(overdueActions('2026-03-10'), [], 'due today is not overdue');
    assert.deepEqual(overdueActions('2026-03-11'), [{ nummer, dueOn: '2026-03-10' }]);
    const row = caseList({ overdue: true }, '2026-03-11').rows.find((r) => r.id === nummer);
    assert.deepEqual([row?.openActions, row?.overdueActions], [1, 1]);
    const action = openCase(nummer, actor, later())!.actions[0]!;
    assert.deepEqual([action.what, action.who, action.doneAt], ['Huisbezoek met GGZ plannen', 'Sociaal team', null]);
    assert.equal(change(nummer, 'action_done', { actionId: String(action.id) }).kind, 'done');
    assert.equal(change(nummer, 'action_done', { actionId: String(action.id) }).kind, 'refused', 'done once');
    assert.deepEqual(overdueActions('2026-03-11'), []);
    assert.equal(caseList({ overdue: true }, '2026-03-11').rows.some((r) => r.id === nummer), false);
    assert.ok(auditRows(nummer).some((r) => r.action === 'casus_actie_afgerond'));
  });

  test('closing needs a reason', () => {
    assert.equal(change(nummer, 'status', { statusReason: '' }).kind, 'refused');
    assert.equal(change(nummer, 'status', { statusReason: 'Hulp loopt' }).kind, 'done');
    assert.equal(openCase(nummer, actor, later())!.summary.status, 'afgesloten');
  });
});

test('a report in a casus of its own merged into a report of another casus follows it: it leaves its casus, which keeps why', () => {
  const x = report('31');
  const y = report('33');
  const made = (reference: string, name: string) => {
    const r = createCaseFromReport({ reference, answers: { caseName: name }, actor, at: later() });
    assert.equal(r.kind, 'done');
    return r.kind === 'done' ? r.nummer : 0;
  };
  const a = made(x, 'Mevr. A.');
  const b = made(y, 'Mevr. B.');
  changeReport({ reference: x, intent: 'status', answers: { status: 'samengevoegd', mergeInto: y, outcome: '', forwardedTo: '', reason: '' }, actor, at: later(), norms: config().municipality });
  assert.equal(caseOfReport(reportIdOf(x)!.id, []).current?.id, b, 'shown in the casus of the report it was merged into');
  const inA = openCase(a, actor, later())!;
  assert.deepEqual(inA.reports.map((r) => r.reference), [], 'no longer in its own casus');
  const left = inA.events.find((e) => e.kind === 'melding_uitgehaald');
  assert.equal(left?.fromValue, x);
  assert.equal(left?.reason, `Samengevoegd met ${y} (casus ${b})`);
  // In B once, through the merge.
  assert.deepEqual(openCase(b, actor, later())!.reports.map((r) => [r.reference, r.merged]).sort(), [[x, true], [y, false]].sort());
});

test('a report merged into one without a casus keeps its own, until that one joins a casus', () => {
  const x = report('35');
  const y = report('37');
  const r = createCaseFromReport({ reference: x, answers: { caseName: 'Dhr. C.' }, actor, at: later() });
  const own = r.kind === 'done' ? r.nummer : -1;
  changeReport({ reference: x, intent: 'status', answers: { status: 'samengevoegd', mergeInto: y, outcome: '', forwardedTo: '', reason: '' }, actor, at: later(), norms: config().municipality });
  assert.equal(caseOfReport(reportIdOf(x)!.id, []).current?.id, own);
  // The report it went into gets a casus of its own: the merged report follows.
  const made = createCaseFromReport({ reference: y, answers: { caseName: 'Dhr. C., Dorpsstraat' }, actor, at: later() });
  const theirs = made.kind === 'done' ? made.nummer : -1;
  assert.equal(caseOfReport(reportIdOf(x)!.id, []).current?.id, theirs);
  const left = openCase(own, actor, later())!;
  assert.deepEqual(left.reports, []);
  assert.equal(left.events.find((e) => e.kind === 'melding_uitgehaald')?.reason, `Samengevoegd met ${y} (casus ${theirs})`);
});

describe('the monitor counts people', () => {
  test('a person with five reports counts once; phases, steps and regie equal a direct count', async () => {
    const { monitorCounts } = await import('#features/monitor/monitor.queries.server.ts');
    const five = ['21', '21', '21', '21', '21'].map(report);
    const made = createCaseFromReport({ reference: five[0]!, answers: { caseName: 'Mevr. V.' }, actor, at: later() });
    assert.equal(made.kind, 'done');
    const nummer = made.kind === 'done' ? made.nummer : 0;
    for (const r of five.slice(1)) assert.equal(addReportToOpenCase({ reference: r, answers: { caseNumber: `casus-${nummer}` }, actor, at: later() }).kind, 'done');
    assert.equal(change(nummer, 'ave', { avePhase: 'ave3', aveReason: 'Escalatie' }).kind, 'done');
    assert.equal(change(nummer, 'regie', { caseDirector: 'A, Sociaal team', processDirector: '', treatmentDirector: '' }).kind, 'done');
    const other = createCaseFromReport({ reference: report('22'), answers: { caseName: 'Dhr. W.' }, actor, at: later() });
    assert.equal(other.kind, 'done');

    // Up to the day after the last change (the end of a period is Amsterdam midnight after its last day).
    const period = { from: '2000-01-01', to: new Date(at.getTime() + 86_400_000).toISOString().slice(0, 10), areaBy: 'dorp' as const };
    const counted = monitorCounts(period, '2026-03-02').cases;
    const direct = db().prepare("SELECT ave_phase AS k, count(*) AS n FROM cases WHERE status = 'open' GROUP BY ave_phase").all() as { k: string; n: number }[];
    const byKey = (rows: { k: string | null; n: number }[]) => Object.fromEntries(rows.map((r) => [r.k ?? '', r.n]));
    assert.deepEqual(byKey(counted.byPhase), byKey(direct));
    assert.equal(counted.byPhase.reduce((s, r) => s + r.n, 0), (db().prepare("SELECT count(*) AS n FROM cases WHERE status = 'open'").get() as { n: number }).n);
    const steps = db().prepare("SELECT kind AS k, count(*) AS n FROM case_events WHERE kind IN ('opgeschaald', 'afgeschaald') GROUP BY kind").all() as { k: string; n: number }[];
    assert.deepEqual(byKey(counted.steps), byKey(steps));
    const withCr = (db().prepare("SELECT count(*) AS n FROM cases WHERE status = 'open' AND case_director IS NOT NULL").get() as { n: number }).n;
    assert.equal(counted.regie[0]?.n, withCr);
    // Before the casus existed it is not counted; the phase at an earlier end is the phase then.
    const before = monitorCounts({ ...period, to: '2025-12-31' }, '2026-03-02').cases;
    assert.deepEqual(before.byPhase, []);
  });
});

describe('retention', () => {
  test('a closed casus goes 5 years after closing, never while a report of it remains, leaving a metadata row', async () => {
    const { applyRetention } = await import('#features/retention/retention.server.ts');
    const reference = report('31');
    const made = createCaseFromReport({ reference, answers: { caseName: 'Mevr. R.' }, actor, at: later() });
    const nummer = made.kind === 'done' ? made.nummer : 0;
    assert.equal(change(nummer, 'status', { statusReason: 'Hulp loopt' }).kind, 'done');
    const sixYears = new Date(at.getTime() + 6 * 366 * 86_400_000);
    // The report is still open: it stays, and so does its casus.
    await applyRetention(sixYears);
    assert.ok(openCase(nummer, actor, later()));
    // Without reports (taken out), closed more than 5 years ago: deleted, with its trajectory.
    assert.equal(change(nummer, 'status', { statusReason: 'Toch weer zorgen' }).kind, 'done');
    assert.equal(change(nummer, 'remove', { removeReference: reference, removeReason: 'Hoort bij een ander' }).kind, 'done');
    assert.equal(change(nummer, 'status', { statusReason: 'Geen zorgen meer' }).kind, 'done');
    assert.equal((await applyRetention(new Date(at.getTime() + 4 * 365 * 86_400_000))).casesDeleted, 0, 'not before 5 years');
    assert.equal((await applyRetention(sixYears)).casesDeleted, 1);
    assert.equal(openCase(nummer, actor, sixYears), undefined);
    assert.equal((db().prepare('SELECT count(*) AS n FROM case_events WHERE case_id = ?').get(nummer) as { n: number }).n, 0);
    const log = db().prepare('SELECT * FROM case_deletion_log WHERE case_id = ?').all(nummer) as Record<string, unknown>[];
    assert.equal(log.length, 1);
    assert.deepEqual(Object.keys(log[0]!).sort(), ['ave_phase', 'case_id', 'closed_at', 'created_at', 'deleted_at', 'id']);
  });
});

test('the list comes in pages of 50 with the count of all; a page past the last shows the last', async () => {
  const { listCases, CASE_PAGE_SIZE } = await import('./casus.server.ts');
  for (let i = 0; i < CASE_PAGE_SIZE + 5; i++) {
    const made = createCaseFromReport({ reference: report(String(100 + i)), answers: { caseName: `Casus ${i}` }, actor, at: later() });
    assert.equal(made.kind, 'done');
  }
  const open = (db().prepare("SELECT count(*) FROM cases WHERE status = 'open'").pluck().get() as number);
  assert.ok(open > CASE_PAGE_SIZE);
  const first = listCases({}, 1, actor, later());
  assert.equal(first.total, open);
  assert.equal(first.rows.length, CASE_PAGE_SIZE);
  assert.equal(first.page, 1);
  const second = listCases({}, 2, actor, later());
  assert.equal(second.rows.length, open - CASE_PAGE_SIZE);
  assert.equal(new Set([...first.rows, ...second.rows].map((r) => r.id)).size, open, 'every open casus once');
  assert.deepEqual(listCases({}, 9, actor, later()), { ...second, page: 2 });
});
