import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initials, meetingUpcoming, shortenedDirector } from './mdo.rules.ts';

test('Namen afkorten: only initials, house numbers kept, punctuation gone', () => {
  assert.equal(initials('Dhr. P., Dorpsstraat 12'), 'D. P. D. 12');
  assert.equal(initials('mevrouw Élise van der Berg'), 'M. É. V. D. B.');
  assert.equal(initials('  '), '');
  assert.ok(!initials('Dhr. Pietersen, Dorpsstraat').includes('Pietersen'));
});

test('a regisseur shortened: the name to initials, the organisation kept', () => {
  assert.equal(shortenedDirector('J. de Vries, Sociaal team'), 'J. D. V., Sociaal team');
  assert.equal(shortenedDirector('Jan de Vries'), 'J. D. V.');
});

test('an overleg is still to come on its own day', () => {
  assert.equal(meetingUpcoming('2026-12-01', '2026-12-01'), true);
  assert.equal(meetingUpcoming('2026-11-30', '2026-12-01'), false);
});
