import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/** The report page's one form: which button was pressed, and which parts hold entries not yet saved. */

useTempDatabase('report-handler');
const { pressedButton, unsavedParts } = await import('./report.handler.server.ts');

const form = (entries: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(entries)) f.set(k, v);
  return f;
};

const current = { urgency: 'normaal', avePhase: 'onbekend', caseDirector: '', processDirector: 'PR Zorg', treatmentDirector: '', assignedTo: '', outcome: '' };
/** The form as the page renders it: every field holds what the report holds. */
const untouched = {
  urgency: 'normaal', avePhase: 'onbekend', aveReason: '', caseDirector: '', processDirector: 'PR Zorg', treatmentDirector: '',
  assignedTo: '', wvggz: 'start', status: '', outcome: '', forwardedTo: '', mergeInto: '', reason: '', note: '',
};

describe('pressedButton', () => {
  test('a save button names its part; the whole form travels along', () => {
    const f = form({ intent: 'regie', caseDirector: 'CR' });
    assert.deepEqual(pressedButton(f), { intent: 'regie', form: f });
  });

  test('"Koppelen met MB-…" names the other report in its value', () => {
    const pressed = pressedButton(form({ intent: 'link:MB-ABCDEFGH', note: 'half getypt' }));
    assert.equal(pressed.intent, 'link');
    assert.equal(pressed.form.get('other'), 'MB-ABCDEFGH');
    assert.equal(pressed.form.get('note'), null);
  });

  test('"Aan mij toewijzen" assigns to me, whatever the select says', () => {
    const pressed = pressedButton(form({ intent: 'assign_me', assignedTo: '7' }));
    assert.equal(pressed.intent, 'assign');
    assert.equal(pressed.form.get('assignedTo'), 'mij');
  });
});

describe('unsavedParts', () => {
  test('the form as rendered holds nothing unsaved', () => {
    assert.deepEqual(unsavedParts(untouched, current), []);
    assert.deepEqual(unsavedParts({}, current), []);
  });

  test('each part with a typed entry that differs from the report', () => {
    assert.deepEqual(unsavedParts({ ...untouched, avePhase: 'ave2' }, current), ['urgency_ave']);
    assert.deepEqual(unsavedParts({ ...untouched, aveReason: 'reden' }, current), ['urgency_ave']);
    assert.deepEqual(unsavedParts({ ...untouched, caseDirector: 'J. Jansen' }, current), ['regie']);
    assert.deepEqual(unsavedParts({ ...untouched, processDirector: '' }, current), ['regie']);
    assert.deepEqual(unsavedParts({ ...untouched, assignedTo: '3' }, current), ['assign']);
    assert.deepEqual(unsavedParts({ ...untouched, status: 'in_behandeling' }, current), ['status']);
    assert.deepEqual(unsavedParts({ ...untouched, outcome: 'bemoeizorg' }, current), ['status']);
    assert.deepEqual(unsavedParts({ ...untouched, note: 'Huisarts gebeld' }, current), ['note']);
    assert.deepEqual(
      unsavedParts({ ...untouched, urgency: 'hoog', caseDirector: 'CR', note: 'n', reason: 'r' }, current),
      ['urgency_ave', 'regie', 'status', 'note'],
    );
  });

  test('spaces around an entry are no change', () => {
    assert.deepEqual(unsavedParts({ ...untouched, processDirector: ' PR Zorg ', note: '   ' }, current), []);
  });
});
