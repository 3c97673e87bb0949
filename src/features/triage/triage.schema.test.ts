import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldId } from '#lib/field-ids.ts';
import { parseStep, readFields } from '#lib/forms.ts';
import {
  FIELDS_OF,
  TRIAGE_FIELDS,
  assignSchema,
  linkSchema,
  noteSchema,
  regieSchema,
  statusSchema,
  summaryLabel,
  urgencyAveSchema,
  wvggzSchema,
  type Intent,
} from './triage.schema.ts';
import type { Status } from './triage.rules.ts';

/**
 * The triage forms' schemas without a server: posted form → clean values, or the exact Dutch message
 * on the field. (The service test, triage.server.test.ts, checks what each change writes.)
 */

const form = (fields: Record<string, string>): FormData => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
};
const read = (intent: Intent, fields: Record<string, string>) => readFields(form(fields), FIELDS_OF[intent]);

const reports: Record<string, { id: number; status: string }> = {
  'MB-AAAAAAAA': { id: 1, status: 'nieuw' },
  'MB-BBBBBBBB': { id: 2, status: 'in_behandeling' },
  'MB-CCCCCCCC': { id: 3, status: 'samengevoegd' },
};
const find = (reference: string) => reports[reference];

describe('urgency and AVE phase', () => {
  const schema = urgencyAveSchema({ avePhase: 'onbekend' });
  test('the same phase needs no reason; a new one does', () => {
    assert.deepEqual(parseStep(schema, read('urgency_ave', { urgency: 'hoog', avePhase: 'onbekend' })), { ok: true, data: { urgency: 'hoog', avePhase: 'onbekend', aveReason: '' } });
    assert.deepEqual(parseStep(schema, read('urgency_ave', { urgency: 'hoog', avePhase: 'ave2', aveReason: '  ' })), { ok: false, errors: { aveReason: 'Vul de reden in voor de nieuwe AVE-fase' } });
    assert.deepEqual(parseStep(schema, read('urgency_ave', { urgency: 'hoog', avePhase: 'ave2', aveReason: ' Zorg ' })), { ok: true, data: { urgency: 'hoog', avePhase: 'ave2', aveReason: 'Zorg' } });
  });
  test('every problem at once, in form order', () => {
    const result = parseStep(schema, read('urgency_ave', { urgency: 'heel_hoog', avePhase: 'ave5' }));
    assert.deepEqual(result, { ok: false, errors: { urgency: 'Kies de urgentie', avePhase: 'Kies de AVE-fase' } });
    assert.deepEqual(parseStep(schema, read('urgency_ave', { urgency: '', avePhase: 'ave3', aveReason: '' })), {
      ok: false,
      errors: { urgency: 'Kies de urgentie', aveReason: 'Vul de reden in voor de nieuwe AVE-fase' },
    });
    assert.deepEqual(parseStep(schema, read('urgency_ave', { urgency: 'laag', avePhase: 'ave1', aveReason: 'x'.repeat(1001) })), { ok: false, errors: { aveReason: 'Gebruik maximaal 1000 tekens' } });
  });
});

test('regie: empty clears a director; at most 200 characters', () => {
  assert.deepEqual(parseStep(regieSchema, read('regie', { caseDirector: ' Sociaal team ', processDirector: '', treatmentDirector: '' })), {
    ok: true,
    data: { caseDirector: 'Sociaal team', processDirector: null, treatmentDirector: null },
  });
  assert.deepEqual(parseStep(regieSchema, read('regie', { caseDirector: 'x'.repeat(201) })), { ok: false, errors: { caseDirector: 'Gebruik maximaal 200 tekens' } });
});

test('assignment: me, nobody, or an active coordinator', () => {
  const schema = assignSchema({ me: 7, coordinators: [7, 9] });
  const assigned = (v: string) => parseStep(schema, read('assign', { assignedTo: v }));
  assert.deepEqual(assigned('mij'), { ok: true, data: { assignedTo: 7 } });
  assert.deepEqual(assigned(''), { ok: true, data: { assignedTo: null } });
  assert.deepEqual(assigned('9'), { ok: true, data: { assignedTo: 9 } });
  for (const v of ['8', 'abc', '9; DROP']) assert.deepEqual(assigned(v), { ok: false, errors: { assignedTo: 'Kies een coördinator' } }, v);
});

test('wvggz: start, or anything else stops', () => {
  assert.deepEqual(parseStep(wvggzSchema, read('wvggz', { wvggz: 'start' })), { ok: true, data: { wvggz: true } });
  assert.deepEqual(parseStep(wvggzSchema, read('wvggz', { wvggz: 'stop' })), { ok: true, data: { wvggz: false } });
});

test('note: not empty, at most 4000 characters, control characters removed', () => {
  assert.deepEqual(parseStep(noteSchema, read('note', { note: ' \n ' })), { ok: false, errors: { note: 'Schrijf een notitie' } });
  assert.deepEqual(parseStep(noteSchema, read('note', { note: 'x'.repeat(4001) })), { ok: false, errors: { note: 'Gebruik maximaal 4000 tekens' } });
  assert.deepEqual(parseStep(noteSchema, read('note', { note: 'Gebeld\u0000 met de huisarts.\r\n' })), { ok: true, data: { note: 'Gebeld met de huisarts.' } });
});

test('link: another existing report', () => {
  const schema = linkSchema({ self: 1, find });
  assert.deepEqual(parseStep(schema, read('link', { other: 'MB-BBBBBBBB' })), { ok: true, data: { other: { id: 2, reference: 'MB-BBBBBBBB' } } });
  for (const other of ['MB-AAAAAAAA', 'MB-ZZZZZZZZ', '']) assert.deepEqual(parseStep(schema, read('link', { other })), { ok: false, errors: { other: 'Deze melding bestaat niet' } }, other);
});

describe('status change', () => {
  type Current = { id: number; status: Status; outcome: string | null };
  const change = (status: string, fields: Record<string, string> = {}, current: Current = { id: 1, status: 'nieuw', outcome: null }) =>
    parseStep(statusSchema({ current, find }), read('status', { status, ...fields }));
  const open: Current = { id: 1, status: 'in_behandeling', outcome: null };

  test('only the transitions of the status table', () => {
    assert.deepEqual(change('afgesloten', { outcome: 'geen_actie' }), { ok: false, errors: { status: 'Deze statuswijziging is niet toegestaan' } });
    assert.deepEqual(change('gesloten'), { ok: false, errors: { status: 'Kies een bestaande status' } });
    assert.equal(change('in_behandeling').ok, true);
  });

  test('what each status needs, one problem at a time', () => {
    assert.deepEqual(change('uitgezet', {}, open), { ok: false, errors: { outcome: 'Kies de uitkomst' } });
    assert.deepEqual(change('uitgezet', { outcome: 'iets' }, open), { ok: false, errors: { outcome: 'Kies een bestaande uitkomst' } });
    assert.deepEqual(change('in_behandeling', { outcome: 'iets' }), { ok: false, errors: { outcome: 'Kies een bestaande uitkomst' } });
    assert.deepEqual(change('doorgestuurd', { forwardedTo: ' ' }), { ok: false, errors: { forwardedTo: 'Vul in naar wie de melding is doorgestuurd' } });
    assert.deepEqual(change('doorgestuurd', { forwardedTo: 'x'.repeat(201) }), { ok: false, errors: { forwardedTo: 'Gebruik maximaal 200 tekens' } });
    assert.deepEqual(change('geannuleerd'), { ok: false, errors: { reason: 'Vul de reden in, bijvoorbeeld spam, test of dubbel' } });
    assert.deepEqual(change('geannuleerd', { reason: 'x'.repeat(1001) }), { ok: false, errors: { reason: 'Gebruik maximaal 1000 tekens' } });
    assert.deepEqual(change('in_behandeling', {}, { id: 1, status: 'afgesloten', outcome: null }), { ok: false, errors: { reason: 'Vul in waarom u de melding weer opent' } });
    // The outcome on the report is enough to close it.
    assert.equal(change('afgesloten', {}, { id: 1, status: 'uitgezet', outcome: 'bemoeizorg' }).ok, true);
  });

  test('samengevoegd: another existing report that is not itself merged; the reference in any case', () => {
    assert.deepEqual(change('samengevoegd'), { ok: false, errors: { mergeInto: 'Vul het referentienummer in van de melding waarmee u samenvoegt' } });
    for (const mergeInto of ['MB-AAAAAAAA', 'MB-ZZZZZZZZ']) {
      assert.deepEqual(change('samengevoegd', { mergeInto }), { ok: false, errors: { mergeInto: 'Vul het referentienummer in van een andere, bestaande melding' } }, mergeInto);
    }
    assert.deepEqual(change('samengevoegd', { mergeInto: 'MB-CCCCCCCC' }), { ok: false, errors: { mergeInto: 'Die melding is zelf al samengevoegd. Kies de melding waarin zij is opgegaan' } });
    assert.deepEqual(change('samengevoegd', { mergeInto: ' mb-bbbbbbbb ' }), {
      ok: true,
      data: { to: 'samengevoegd', outcome: undefined, forwardedTo: undefined, reason: undefined, mergeInto: 'MB-BBBBBBBB', target: { id: 2, status: 'in_behandeling' } },
    });
  });
});

test('the error summary names each field as the page always did and links to it', () => {
  assert.deepEqual(
    TRIAGE_FIELDS.map((f) => [f.name, summaryLabel(f), fieldId(f)]),
    [
      ['urgency', 'Urgentie', 'f-urgency-direct'],
      ['avePhase', 'AVE-fase', 'f-avePhase-ave1'],
      ['aveReason', 'Reden', 'f-aveReason'],
      ['caseDirector', 'Casusregisseur (CR)', 'f-caseDirector'],
      ['processDirector', 'Procesregisseur (PR)', 'f-processDirector'],
      ['treatmentDirector', 'Behandelregie (BR)', 'f-treatmentDirector'],
      ['assignedTo', 'Toewijzen aan', 'f-assignedTo'],
      ['status', 'Nieuwe status', 'f-status'],
      ['outcome', 'Uitkomst', 'f-outcome-geen_actie'],
      ['forwardedTo', 'Doorgestuurd naar', 'f-forwardedTo'],
      ['mergeInto', 'Samenvoegen met', 'f-mergeInto'],
      ['reason', 'Reden', 'f-reason'],
      ['caseName', 'Naam of omschrijving', 'f-caseName'],
      ['caseNumber', 'Kies een open casus', 'f-caseNumber'],
      ['other', 'Koppelen', 'f-other'],
      ['note', 'Notitie', 'f-note'],
    ],
  );
});
