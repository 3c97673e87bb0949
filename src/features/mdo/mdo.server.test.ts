import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/**
 * The MDO against a real SQLite file (mdo.server.ts): an overleg planned, a casus put on its agenda
 * from the casus page with a question, agreements and an action recorded (the action is the casus's,
 * noting the overleg), the action done, the print audited; texts sealed; refusals audited.
 */

useTempDatabase('mdo-service');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { insertUser } = await import('#features/auth/users.repo.server.ts');
const { db } = await import('#platform/db.ts');
const { SEALED_FORMAT } = await import('#tests/support/sealed.ts');
const { createCaseFromReport, openCase } = await import('#features/casus/casus.server.ts');
const { caseList } = await import('#features/casus/casus.queries.server.ts');
const { anyPlainValue } = await import('#features/encryption/encryption.queries.server.ts');
const { myOpenActions } = await import('./mdo.queries.server.ts');
const { changeMeeting, listMeetings, openMeeting, planMeeting, printMeeting, putCaseOnAgenda } = await import('./mdo.server.ts');

const id = insertUser({ email: 'c@test.example', name: 'Carla Coördinator', role: 'coordinator', passwordHash: 'x', totpSecret: 'x' });
const actor = { id, role: 'coordinator' as const, ip: '127.0.0.1' };
let at = new Date('2026-03-02T09:00:00Z');
const later = () => (at = new Date(at.getTime() + 3_600_000));

const reference = recordReport({
  channel: 'inwoner', acuteDanger: false, personName: 'Dhr. P.', personAge: '18_plus', locationKind: 'adres', postcode: '9351AB',
  houseNumber: '1', street: 'Dorpsstraat', place: 'Leek', concerns: ['verward_gedrag'], description: 'Zorgen.',
  concernSince: 'paar_maanden', dangerToSelf: 'nee', dangerToOthers: 'nee', personAware: 'nee', involved: [], reporterRelation: 'buren',
  anonymous: true, captchaStatus: 'geslaagd',
}).reference;
const made = createCaseFromReport({ reference, answers: { caseName: 'Dhr. P., Dorpsstraat' }, actor, at: later() });
const casus = made.kind === 'done' ? made.nummer : 0;
const audits = (type: string, objectId: number) =>
  (db().prepare('SELECT action, result, detail FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY id').all(type, String(objectId)) as { action: string; result: string; detail: string | null }[]);

describe('an MDO about Dhr. P.', () => {
  let overleg = 0;

  test('Overleg plannen: refused without date and kind (audited), then planned', () => {
    const refused = planMeeting({ meetingDate: '2026-02-30', meetingKind: '', participants: '' }, actor, later());
    assert.equal(refused.kind, 'refused');
    assert.deepEqual(Object.keys(refused.kind === 'refused' ? refused.errors : {}).sort(), ['meetingDate', 'meetingKind']);
    // `Deelnemers` may stay empty (spec §5a: text, max 1000); over 1000 characters it is refused.
    const tooLong = planMeeting({ meetingDate: '2026-03-10', meetingKind: 'mdo', participants: 'x'.repeat(1001) }, actor, later());
    assert.deepEqual(Object.keys(tooLong.kind === 'refused' ? tooLong.errors : {}), ['participants']);
    const done = planMeeting({ meetingDate: '2026-03-10', meetingKind: 'mdo', participants: 'GGZ, wijkteam, woningcorporatie' }, actor, later());
    assert.equal(done.kind, 'done');
    overleg = done.kind === 'done' ? done.nummer : 0;
    assert.match(String(db().prepare('SELECT participants FROM meetings WHERE id = ?').pluck().get(overleg)), SEALED_FORMAT);
    assert.equal(listMeetings(20, 0, actor, later()).total, 1);
  });

  test('Op agenda zetten from the casus: the question is needed; once per overleg; the casus list shows the next MDO', () => {
    assert.equal(putCaseOnAgenda(casus, { meeting: `overleg-${overleg}`, question: '' }, actor, later()).kind, 'refused');
    assert.equal(putCaseOnAgenda(casus, { meeting: 'overleg-99', question: 'Wie?' }, actor, later()).kind, 'refused');
    assert.equal(putCaseOnAgenda(casus, { meeting: `overleg-${overleg}`, question: 'Wie neemt de procesregie?' }, actor, later()).kind, 'done');
    const twice = putCaseOnAgenda(casus, { meeting: `overleg-${overleg}`, question: 'Nog eens' }, actor, later());
    assert.equal(twice.kind, 'refused');
    assert.equal(caseList({}, '2026-03-03').rows.find((c) => c.id === casus)?.nextMeetingOn, '2026-03-10');
    assert.equal(caseList({}, '2026-03-11').rows.find((c) => c.id === casus)?.nextMeetingOn, null);
    assert.match(String(db().prepare('SELECT question FROM meeting_items WHERE case_id = ?').pluck().get(casus)), SEALED_FORMAT);
  });

  test('agreements and an action per casus; the action is the casus\'s and notes the overleg; done once', () => {
    const item = `casus-${casus}`;
    assert.equal(changeMeeting({ nummer: overleg, intent: 'agreements', itemCase: item, answers: { agreements: '' }, actor, at: later() }).kind, 'refused');
    assert.equal(changeMeeting({ nummer: overleg, intent: 'agreements', itemCase: item, answers: { agreements: 'ZVH neemt de procesregie.' }, actor, at: later() }).kind, 'done');
    assert.equal(changeMeeting({ nummer: overleg, intent: 'action', itemCase: item, answers: { actionWhat: 'Huisbezoek', actionWho: '', actionDue: '2026-03-12' }, actor, at: later() }).kind, 'refused');
    assert.equal(changeMeeting({ nummer: overleg, intent: 'action', itemCase: item, answers: { actionWhat: 'Huisbezoek', actionWho: 'Wijkteam', actionDue: '2026-03-12' }, actor, at: later() }).kind, 'done');
    assert.equal(changeMeeting({ nummer: overleg, intent: 'action', itemCase: 'casus-999', answers: { actionWhat: 'X', actionWho: 'Y', actionDue: '2026-03-12' }, actor, at: later() }).kind, 'refused');
    const page = openCase(casus, actor, later())!;
    assert.deepEqual(page.actions.map((a) => [a.what, a.who, a.meetingId]), [['Huisbezoek', 'Wijkteam', overleg]]);
    assert.deepEqual(page.meetings.map((m) => [m.question, m.agreements]), [['Wie neemt de procesregie?', 'ZVH neemt de procesregie.']]);
    assert.deepEqual(myOpenActions(id).map((a) => [a.nummer, a.dueOn, a.meetingId]), [[casus, '2026-03-12', overleg]]);
    const details = openMeeting(overleg, actor, later())!;
    const actionId = details.actions[0]!.id;
    assert.equal(changeMeeting({ nummer: overleg, intent: 'action_done', itemCase: `casus-${casus}`, answers: { actionId: String(actionId) }, actor, at: later() }).kind, 'done');
    assert.equal(changeMeeting({ nummer: overleg, intent: 'action_done', itemCase: `casus-${casus}`, answers: { actionId: String(actionId) }, actor, at: later() }).kind, 'refused');
    assert.deepEqual(myOpenActions(id), []);
    assert.equal(anyPlainValue(), false);
  });

  test('printing is audited on the overleg and the casus, with whether names were shortened', () => {
    const printed = printMeeting(overleg, 'agenda', true, actor, later())!;
    assert.equal(printed.agenda.length, 1);
    assert.deepEqual(audits('overleg', overleg).filter((a) => a.action === 'agenda_afgedrukt').map((a) => a.detail), ['namen afgekort']);
    assert.ok(audits('casus', casus).some((a) => a.action === 'casus_agenda_afgedrukt' && a.detail === `overleg ${overleg}, namen afgekort`));
    const actions = audits('casus', casus).map((a) => `${a.action}:${a.result}`);
    for (const expected of ['casus_geagendeerd:gelukt', 'casus_agenderen:geweigerd', 'casus_afspraken_vastgelegd:gelukt', 'casus_actie_toegevoegd:gelukt', 'casus_actie_afgerond:gelukt', 'casus_bekeken_in_overleg:gelukt']) {
      assert.ok(actions.includes(expected), `${expected} in ${actions.join(', ')}`);
    }
    assert.ok(audits('overleg', overleg).some((a) => a.action === 'wijziging_overleg_agreements' && a.result === 'geweigerd'));
  });
});

test('retention: an overleg goes 5 years after its date once no casus is left on its agenda', async () => {
  const { applyRetention } = await import('#features/retention/retention.server.ts');
  const old = planMeeting({ meetingDate: '2019-01-08', meetingKind: 'netwerkoverleg', participants: 'GGZ' }, actor, later());
  const oldWithCase = planMeeting({ meetingDate: '2019-01-15', meetingKind: 'mdo', participants: 'GGZ' }, actor, later());
  assert.ok(old.kind === 'done' && oldWithCase.kind === 'done');
  db().prepare("INSERT INTO meeting_items (meeting_id, case_id, question, added_at, added_by) VALUES (?, ?, 'v1.x', '2019-01-01', ?)").run(oldWithCase.nummer, casus, id);
  await applyRetention(new Date('2026-03-03T12:00:00Z'));
  const left = db().prepare('SELECT id FROM meetings ORDER BY id').pluck().all();
  assert.ok(!left.includes(old.nummer), 'the old overleg without casussen is deleted');
  assert.ok(left.includes(oldWithCase.nummer), 'an overleg with a casus on its agenda stays');
});

test('a report in a casus: its AVE phase and regie are changed on the casus, its urgency still on the report', async () => {
  const { changeReport } = await import('#features/triage/triage.server.ts');
  const { config } = await import('#platform/config.ts');
  const norms = config().municipality;
  const ave = changeReport({ reference, intent: 'urgency_ave', answers: { urgency: 'hoog', avePhase: 'ave4', aveReason: 'Dreiging' }, actor, at: later(), norms });
  assert.deepEqual(ave.kind === 'refused' ? [ave.status, Object.keys(ave.errors)] : ave.kind, [409, ['avePhase']]);
  const regie = changeReport({ reference, intent: 'regie', answers: { caseDirector: 'X, Sociaal team', processDirector: '', treatmentDirector: '' }, actor, at: later(), norms });
  assert.deepEqual(regie.kind === 'refused' ? regie.status : regie.kind, 409);
  const current = String(db().prepare('SELECT ave_phase FROM reports WHERE reference = ?').pluck().get(reference));
  assert.equal(changeReport({ reference, intent: 'urgency_ave', answers: { urgency: 'hoog', avePhase: current, aveReason: '' }, actor, at: later(), norms }).kind, 'done');
});

test('an overleg may be planned without participants (spec §5a: `Deelnemers`, text, max 1000)', () => {
  const done = planMeeting({ meetingDate: '2026-04-14', meetingKind: 'casusoverleg', participants: '' }, actor, later());
  assert.equal(done.kind, 'done');
});
