import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/**
 * Callbacks, additions and feedback without content (spec §2 "Aanvullen", §3a, §7) against a real SQLite
 * file: the reference as people read it, the caller's words for a status, additions sealed and audited on
 * behalf of a caller, the queue's `Nieuwe aanvulling` until the report is opened, and the feedback mails
 * queued with the status change (or not, with `Geen terugkoppeling sturen`).
 */

useTempDatabase('additions');
const { readReference, callerStatus } = await import('./additions.rules.ts');
const { ADDITION_MESSAGES, callerAdditionSchema, lookupSchema, residentAdditionSchema } = await import('./additions.schema.ts');
const { addAddition, lookUpForCaller, additionItems } = await import('./additions.server.ts');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { handleTriagePost } = await import('#features/triage/report.handler.server.ts');
const { openReport } = await import('#features/triage/triage.server.ts');
const { queuePage } = await import('#features/triage/triage.queries.server.ts');
const { feedbackMoment, feedbackMail, renderMail } = await import('#features/mail/templates.rules.ts');
const { parseMailParams } = await import('#features/mail/outbox.schema.ts');
const { insertUser, findUserById, publicUser } = await import('#features/auth/users.repo.server.ts');
const { openRow } = await import('#tests/support/sealed.ts');
const { config } = await import('#platform/config.ts');
const { db } = await import('#platform/db.ts');
type IntakeReport = import('#features/intake/intake.server.ts').IntakeReport;
type StaffSession = import('#features/auth/login.server.ts').StaffSession;
type Row = import('#tests/support/sealed.ts').Row;

function staffMember(role: 'coordinator' | 'kcc', name: string): StaffSession {
  const id = insertUser({ email: `${role}@test.example`, name, role, passwordHash: 'x', totpSecret: 'x' });
  const at = new Date().toISOString();
  return { user: publicUser(findUserById(id)!), session: { tokenHash: `t${id}`, userId: id, stage: 'complete', returnTo: undefined, createdAt: at, lastSeenAt: at, expiresAt: at } };
}
const coordinator = staffMember('coordinator', 'Carla Coördinator');
const agent = staffMember('kcc', 'Karin KCC');
const agentActor = { id: agent.user.id, role: 'kcc' as const, ip: '127.0.0.1' };

const MARK = 'Zqxmarker';
const base: IntakeReport = {
  channel: 'inwoner', acuteDanger: false, personName: `${MARK} Persoon`, personAge: '18_plus', locationKind: 'geen_vast_adres',
  locationDescription: `Bushokje ${MARK}`, concerns: ['verward_gedrag'], description: `Loopt verward rond ${MARK}.`, concernSince: 'paar_weken',
  dangerToSelf: 'nee', dangerToOthers: 'nee', personAware: 'nee', involved: [], reporterRelation: 'buren', anonymous: false,
  reporterName: `${MARK} Melder`, reporterEmail: 'melder@example.nl', captchaStatus: 'geslaagd',
};
const police: IntakeReport = {
  ...base, channel: 'politie', reporterRelation: 'professional', reporterName: undefined, reporterEmail: undefined,
  policeReference: 'PL0100-2026123456', incidentAt: '2026-03-01T21:00:00.000Z', incidentPlace: `Plein ${MARK}`, policeRequest: `Vraag ${MARK}`,
  policeFeedback: true, policeOfficer: `Agent ${MARK}`, policeTeam: `Team ${MARK}`, policeEmail: 'agent@politie.example',
};

async function post(reference: string, fields: Record<string, string>) {
  const request = new Request(`http://localhost/intern/triage/${reference}`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
  });
  const outcome = await handleTriagePost(request, reference, coordinator, '127.0.0.1');
  assert.equal(outcome.kind, 'done', JSON.stringify(outcome));
}
/** The feedback mails queued for a report, as stored (params) and as the worker renders them (subject, text, html). */
const mailsOf = (reference: string): Row[] =>
  (db().prepare(`SELECT o.kind, o.recipient, o.params, o.message_id AS messageId FROM outbox o
    JOIN reports r ON r.id = o.report_id WHERE r.reference = ? AND o.kind IN ('reporter_feedback', 'police_feedback') ORDER BY o.id`).all(reference) as Row[]).map((m) => {
    // The police's registration number is sealed in the outbox as in the report.
    const params = m['kind'] === 'police_feedback' ? openRow('outbox', String(m['messageId']), m, ['params'])['params'] : m['params'];
    const content = renderMail(parseMailParams(m['kind'] as 'police_feedback', String(params)), config());
    return { ...m, ...content };
  });
const auditOf = (action: string) => db().prepare('SELECT actor_id, actor_role, object_id, result, on_behalf_of FROM audit_log WHERE action = ? ORDER BY id').all(action) as Row[];

describe('readReference and callerStatus', () => {
  test('a reference as read out: with or without MB-, spaces, hyphens, lower case', () => {
    for (const typed of ['MB-7KQ3XH2P', 'mb-7kq3xh2p', '7kq3xh2p', 'mb 7kq3 xh2p', ' 7KQ3-XH2P ', 'MB7KQ3XH2P']) assert.equal(readReference(typed), 'MB-7KQ3XH2P', typed);
    for (const typed of ['MB-7KQ3XH2', '7KQ3XH2PQ', 'MB-OKQ3XH2P', 'hallo', '']) assert.equal(readReference(typed), undefined, typed);
  });

  test("a resident's number that cannot be a reference gets the unknown-reference text; the KCC agent hears how one is built", () => {
    const residentError = (typed: string) => {
      const parsed = residentAdditionSchema.safeParse({ reference: typed, addition: 'Nog iets dat ik weet.' });
      return parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === 'reference')?.message;
    };
    for (const typed of ['MB-12345678', '12345', 'x'.repeat(41)]) assert.equal(residentError(typed), ADDITION_MESSAGES.unknownReference, typed);
    assert.equal(residentError(''), ADDITION_MESSAGES.reference);
    assert.equal(residentError('mb 7kq3 xh2p'), undefined);
    const lookup = lookupSchema.safeParse({ reference: 'MB-12345678' });
    assert.equal(lookup.success ? undefined : lookup.error.issues[0]?.message, ADDITION_MESSAGES.referenceFormat);
  });

  test("the caller's words: never the outcome", () => {
    assert.equal(callerStatus('nieuw'), 'ontvangen');
    assert.equal(callerStatus('wacht_op_info'), 'in_behandeling');
    for (const s of ['afgesloten', 'uitgezet', 'doorgestuurd', 'geannuleerd', 'samengevoegd']) assert.equal(callerStatus(s), 'afgehandeld');
    assert.equal(callerStatus('acuut_doorgezet'), undefined);
  });

  test("the caller's phone number as people write it, optional; not a number refused with the form's message", () => {
    const form = { reference: 'MB-ABCDEFGH', addition: 'De beller vertelt dat het erger wordt.', callerName: '' };
    for (const phone of ['', '06 12345678', '(050) 123 45 67', '0031 (0)6 12 34 56 78']) {
      assert.equal(callerAdditionSchema.safeParse({ ...form, callerPhone: phone }).success, true, phone);
    }
    for (const phone of ['bel me', '12', '06 1234 5678 9012 3456 7890']) {
      const parsed = callerAdditionSchema.safeParse({ ...form, callerPhone: phone });
      assert.equal(parsed.success ? undefined : parsed.error.issues[0]?.message, 'Vul een telefoonnummer in zoals 06 12345678 of +31 6 12345678', phone);
    }
  });
});

describe('callbacks and additions', () => {
  test('a lookup shows reference, date and status only, audited on behalf of a caller; an unknown one too', () => {
    const { reference } = recordReport(base);
    const found = lookUpForCaller(reference, agentActor, new Date());
    assert.deepEqual(Object.keys(found ?? {}).sort(), ['createdAt', 'reference', 'status']);
    assert.equal(found?.status, 'ontvangen');
    assert.equal(lookUpForCaller('MB-22222222', agentActor, new Date()), undefined);
    const rows = auditOf('melding_opgezocht');
    assert.deepEqual(rows.map((r) => [r['object_id'], r['result'], r['on_behalf_of'], r['actor_role']]), [
      [reference, 'gelukt', 'beller', 'kcc'],
      [null, 'mislukt', 'beller', 'kcc'],
    ]);
  });

  test('additions are sealed, audited, listed for the coordinator, and marked new in the queue until the report is opened', () => {
    const { reference, id } = recordReport(base);
    const at = new Date();
    assert.equal(addAddition({ reference, body: `Nog iets ${MARK} gezien.` }, { role: 'inwoner', ip: '10.0.0.1' }, at), true);
    assert.equal(addAddition({ reference, body: `Beller vertelt ${MARK}.`, callerName: `${MARK} Beller`, callerPhone: '06 11112222' }, agentActor, at), true);
    assert.equal(addAddition({ reference: 'MB-22222222', body: 'Iets over niemand.' }, { role: 'inwoner' }, at), false);
    // Stored sealed for its own row: no marker in a raw column.
    const raw = db().prepare('SELECT * FROM report_additions WHERE report_id = ? ORDER BY id').all(id) as Row[];
    assert.equal(raw.length, 2);
    for (const r of raw) {
      assert.doesNotMatch(JSON.stringify(r), new RegExp(MARK));
      openRow('report_additions', Number(r['id']), r, ['body', 'caller_name', 'caller_phone']);
    }
    const items = additionItems([id]);
    assert.deepEqual(items.map((a) => [a.from, a.body, a.caller]), [
      ['Inwoner via de website', `Nog iets ${MARK} gezien.`, undefined],
      ['KCC namens beller (Karin KCC)', `Beller vertelt ${MARK}.`, `${MARK} Beller, 06 11112222`],
    ]);
    assert.deepEqual(auditOf('aanvulling_toegevoegd').map((r) => [r['object_id'], r['result'], r['on_behalf_of'], r['actor_role']]), [
      [reference, 'gelukt', null, 'inwoner'],
      [reference, 'gelukt', 'beller', 'kcc'],
      [null, 'mislukt', null, 'inwoner'],
    ]);
    const marked = () => queuePage({ search: reference }, '2026-01-01', 10, 0).rows.find((r) => r.reference === reference)?.newAddition;
    assert.equal(marked(), 1);
    openReport(reference, { id: coordinator.user.id, role: 'coordinator', ip: undefined }, new Date());
    assert.equal(marked(), 0);
  });
});

describe('feedback without content (spec §7)', () => {
  test('the moments: taken in hand from nieuw; handled once', () => {
    assert.equal(feedbackMoment('nieuw', 'in_behandeling'), 'in_behandeling');
    assert.equal(feedbackMoment('wacht_op_info', 'in_behandeling'), undefined);
    assert.equal(feedbackMoment('afgesloten', 'in_behandeling'), undefined);
    for (const to of ['afgesloten', 'uitgezet', 'doorgestuurd']) assert.equal(feedbackMoment('in_behandeling', to), 'afgehandeld');
    assert.equal(feedbackMoment('uitgezet', 'afgesloten'), undefined);
    assert.equal(feedbackMoment('nieuw', 'geannuleerd'), undefined);
  });

  test('the texts: the subject of the spec, the reference, the police registration number, nothing else', () => {
    const mail = feedbackMail({ kind: 'politie', registration: 'PL0100-2026123456' }, 'afgehandeld', 'MB-7KQ3XH2P', config());
    assert.equal(mail.subject, 'Uw melding MB-7KQ3XH2P is afgehandeld');
    assert.match(mail.text, /PL0100-2026123456/);
    assert.equal(feedbackMail({ kind: 'melder' }, 'in_behandeling', 'MB-7KQ3XH2P', config()).subject, 'Uw melding MB-7KQ3XH2P is in behandeling genomen');
    assert.doesNotMatch(feedbackMail({ kind: 'melder' }, 'in_behandeling', 'MB-7KQ3XH2P', config()).text, /PL0100/);
  });

  test('queued with the status change to the reporter and the police contact, without any content', async () => {
    const { reference } = recordReport(police);
    const resident = recordReport(base).reference;
    await post(reference, { intent: 'status', status: 'in_behandeling' });
    await post(resident, { intent: 'status', status: 'in_behandeling' });
    await post(reference, { intent: 'status', status: 'afgesloten', outcome: 'bemoeizorg' });
    const mails = mailsOf(reference);
    assert.deepEqual(mails.map((m) => [m['kind'], m['subject']]), [
      ['police_feedback', `Uw melding ${reference} is in behandeling genomen`],
      ['police_feedback', `Uw melding ${reference} is afgehandeld`],
    ]);
    assert.deepEqual(mailsOf(resident).map((m) => m['kind']), ['reporter_feedback']);
    for (const m of [...mails, ...mailsOf(resident)]) {
      assert.doesNotMatch(`${m['params']} ${m['subject']} ${m['text']} ${m['html']}`, new RegExp(`${MARK}|Bemoeizorg|bemoeizorg|verward`, 'i'));
      assert.match(String(m['recipient']), /^v1\./, 'recipient sealed');
    }
    assert.match(String(mails[0]!['text']), /PL0100-2026123456/);
  });

  test('`Geen terugkoppeling sturen` stops them, audited; switched on again they go', async () => {
    const { reference } = recordReport(police);
    await post(reference, { intent: 'feedback', feedback: 'uit' });
    await post(reference, { intent: 'status', status: 'in_behandeling' });
    assert.deepEqual(mailsOf(reference), []);
    await post(reference, { intent: 'feedback', feedback: 'aan' });
    await post(reference, { intent: 'status', status: 'afgesloten', outcome: 'geen_actie' });
    assert.deepEqual(mailsOf(reference).map((m) => m['kind']), ['police_feedback']);
    const rows = db().prepare("SELECT action FROM audit_log WHERE object_id = ? AND action LIKE 'terugkoppeling%' ORDER BY id").all(reference) as Row[];
    assert.deepEqual(rows.map((r) => r['action']), ['terugkoppeling_uit', 'terugkoppeling_aan']);
  });

  test('an anonymous reporter, or police who did not ask, get nothing', async () => {
    const anonymous = recordReport({ ...base, anonymous: true, reporterName: undefined }).reference;
    const noWish = recordReport({ ...police, policeFeedback: false }).reference;
    for (const reference of [anonymous, noWish]) await post(reference, { intent: 'status', status: 'in_behandeling' });
    assert.deepEqual([...mailsOf(anonymous), ...mailsOf(noWish)], []);
  });
});
