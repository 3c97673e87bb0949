import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { actionOverdue, aveChange, aveDirection, statusChange } from './casus.rules.ts';
import { aveSchema, statusSchema } from './casus.schema.ts';
import { parseStep } from '#lib/forms.ts';

describe('the AVE trajectory', () => {
  test('a higher phase is opgeschaald, a lower one afgeschaald, the same phase no change', () => {
    assert.equal(aveDirection('ave2', 'ave3'), 'opgeschaald');
    assert.equal(aveDirection('ave3', 'ave2'), 'afgeschaald');
    assert.equal(aveDirection('onbekend', 'ave1'), 'opgeschaald');
    assert.equal(aveDirection('ave1', 'onbekend'), 'afgeschaald');
    assert.equal(aveDirection('ave4', 'ave4'), undefined);
  });

  test('a change without a reason is refused; with one it is classified', () => {
    assert.deepEqual(aveChange('ave2', 'ave3', '  '), { ok: false, problem: 'reden' });
    assert.deepEqual(aveChange('ave2', 'ave3', 'Dreigt met geweld'), { ok: true, kind: 'opgeschaald' });
    assert.deepEqual(aveChange('ave2', 'ave2', ''), { ok: true, kind: undefined });
  });

  test('the form says so in Dutch at the reason', () => {
    const refused = parseStep(aveSchema({ avePhase: 'ave2' }), { avePhase: 'ave3', aveReason: '' });
    assert.deepEqual(refused, { ok: false, errors: { aveReason: 'Vul de reden in voor de nieuwe AVE-fase' } });
    assert.equal(parseStep(aveSchema({ avePhase: 'ave2' }), { avePhase: 'ave2', aveReason: '' }).ok, true);
  });
});

describe('closing and reopening', () => {
  test('a casus is closed only with a reason, and reopened only with one', () => {
    assert.deepEqual(statusChange('open', 'afgesloten', ''), { ok: false, problem: 'reden' });
    assert.deepEqual(statusChange('open', 'afgesloten', 'Hulp loopt, geen zorgen meer'), { ok: true });
    assert.deepEqual(statusChange('afgesloten', 'open', ' '), { ok: false, problem: 'reden' });
    assert.deepEqual(statusChange('open', 'open', 'x'), { ok: false, problem: 'zelfde' });
    assert.deepEqual(parseStep(statusSchema, { statusReason: '' }), { ok: false, errors: { statusReason: 'Vul de reden in' } });
  });
});

describe('actions', () => {
  test('an open action past its date is overdue; on its date or done it is not', () => {
    assert.equal(actionOverdue({ dueOn: '2026-11-27', doneAt: null }, '2026-11-28'), true);
    assert.equal(actionOverdue({ dueOn: '2026-11-28', doneAt: null }, '2026-11-28'), false);
    assert.equal(actionOverdue({ dueOn: '2026-11-27', doneAt: '2026-11-28T09:00:00Z' }, '2026-11-28'), false);
  });
});
