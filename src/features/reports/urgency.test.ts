import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CONCERNS } from './options.schema.ts';
import { suggestUrgency, urgencyRank, type UrgencySignals } from './urgency.rules.ts';

/** Answers that carry no sign of urgency at all. */
const calm: UrgencySignals = {
  dangerToSelf: 'nee',
  dangerToOthers: 'nee',
  concerns: ['eenzaamheid'],
  childrenInHome: 'nee',
  personAge: '18_plus',
};

describe('suggestUrgency', () => {
  test('no trigger → normaal', () => {
    assert.equal(suggestUrgency(calm), 'normaal');
    assert.equal(suggestUrgency({}), 'normaal');
    assert.equal(
      suggestUrgency({ dangerToSelf: 'weet_niet', dangerToOthers: 'weet_niet', childrenInHome: 'weet_niet', personAge: 'onbekend', concerns: [] }),
      'normaal',
    );
    assert.equal(suggestUrgency({ ...calm, personAge: '16_17' }), 'normaal');
  });

  test('each concern other than threats and suicide alone → normaal', () => {
    for (const concern of Object.keys(CONCERNS)) {
      if (concern === 'dreigen_geweld' || concern === 'zelfdoding') continue;
      assert.equal(suggestUrgency({ ...calm, concerns: [concern] }), 'normaal', concern);
    }
  });

  const triggers: [string, UrgencySignals][] = [
    ['danger to self', { ...calm, dangerToSelf: 'ja' }],
    ['danger to others', { ...calm, dangerToOthers: 'ja' }],
    ['threats of violence', { ...calm, concerns: ['eenzaamheid', 'dreigen_geweld'] }],
    ['talk of suicide', { ...calm, concerns: ['zelfdoding'] }],
    ['children in the home', { ...calm, childrenInHome: 'ja' }],
    ['the person is a child', { ...calm, personAge: 'jonger_dan_16' }],
  ];
  for (const [name, signals] of triggers) {
    test(`${name} → hoog`, () => {
      assert.equal(suggestUrgency(signals), 'hoog');
    });
  }

  test('a staff record of acute danger (passed on to 112) → direct', () => {
    assert.equal(suggestUrgency({ acuteDanger: true }), 'direct');
    assert.equal(suggestUrgency({ ...calm, acuteDanger: true }), 'direct');
    assert.equal(suggestUrgency({ ...calm, acuteDanger: false }), 'normaal');
    assert.equal(suggestUrgency({ ...calm, dangerToSelf: 'ja', acuteDanger: false }), 'hoog');
  });

  test('several triggers together still → hoog (only acute danger is direct)', () => {
    assert.equal(
      suggestUrgency({ dangerToSelf: 'ja', dangerToOthers: 'ja', concerns: ['dreigen_geweld', 'zelfdoding'], childrenInHome: 'ja', personAge: 'jonger_dan_16' }),
      'hoog',
    );
  });
});

test('urgency rank: most urgent first, as the generated column reports.urgency_rank', () => {
  assert.deepEqual((['direct', 'hoog', 'normaal', 'laag'] as const).map(urgencyRank), [0, 1, 2, 3]);
});
