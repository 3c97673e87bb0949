import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addWorkingDays, isWorkingDay } from './working-days.ts';

const at = (iso: string): Date => new Date(`${iso}T10:00:00Z`);

// March 2026: Monday 2nd … Friday 6th, Saturday 7th, Sunday 8th, Monday 9th.
describe('working days', () => {
  test('isWorkingDay: Monday–Friday, not weekends or holidays', () => {
    const none = new Set<string>();
    for (const day of ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06']) assert.ok(isWorkingDay(at(day), none), day);
    assert.ok(!isWorkingDay(at('2026-03-07'), none));
    assert.ok(!isWorkingDay(at('2026-03-08'), none));
    assert.ok(!isWorkingDay(at('2026-03-04'), new Set(['2026-03-04'])));
  });

  test('zero days on a working day is that day', () => {
    assert.equal(addWorkingDays(at('2026-03-04'), 0, []), '2026-03-04');
  });

  test('zero days on a Saturday or Sunday is the next Monday', () => {
    assert.equal(addWorkingDays(at('2026-03-07'), 0, []), '2026-03-09');
    assert.equal(addWorkingDays(at('2026-03-08'), 0, []), '2026-03-09');
  });

  test('weekends are skipped', () => {
    assert.equal(addWorkingDays(at('2026-03-02'), 1, []), '2026-03-03');
    assert.equal(addWorkingDays(at('2026-03-06'), 1, []), '2026-03-09'); // Friday + 1 → Monday
    assert.equal(addWorkingDays(at('2026-03-04'), 3, []), '2026-03-09'); // Wednesday + 3 → Monday
    assert.equal(addWorkingDays(at('2026-03-02'), 5, []), '2026-03-09'); // a whole week
    assert.equal(addWorkingDays(at('2026-03-07'), 1, []), '2026-03-10'); // Saturday counts from Monday
    assert.equal(addWorkingDays(at('2026-03-02'), 10, []), '2026-03-16');
  });

  test('configured holidays are skipped', () => {
    const christmas = ['2026-12-25', '2026-12-26', '2027-01-01'];
    // Thursday 24 December + 1: Friday 25 is Christmas, then the weekend → Monday 28.
    assert.equal(addWorkingDays(at('2026-12-24'), 1, christmas), '2026-12-28');
    // Without the holidays it would be Friday 25.
    assert.equal(addWorkingDays(at('2026-12-24'), 1, []), '2026-12-25');
    // Zero days on a holiday → the next working day.
    assert.equal(addWorkingDays(at('2026-12-25'), 0, christmas), '2026-12-28');
    // Thursday 31 December + 1: New Year's Day is a holiday → Monday 4 January.
    assert.equal(addWorkingDays(at('2026-12-31'), 1, christmas), '2027-01-04');
    // A holiday in the middle of a count.
    assert.equal(addWorkingDays(at('2027-04-26'), 2, ['2027-04-27']), '2027-04-29');
  });

  test('counts from the Amsterdam date, whatever the UTC time', () => {
    // 23:30 UTC on Wednesday 4 March is 00:30 on Thursday in Amsterdam (UTC+1).
    assert.equal(addWorkingDays(new Date('2026-03-04T00:00:00Z'), 1, []), '2026-03-05');
    assert.equal(addWorkingDays(new Date('2026-03-04T22:59:59Z'), 1, []), '2026-03-05');
    assert.equal(addWorkingDays(new Date('2026-03-04T23:30:00Z'), 1, []), '2026-03-06');
    // Saturday 00:30 in Amsterdam (summer time, UTC+2) is due on Monday, not the Friday before.
    assert.equal(addWorkingDays(new Date('2026-06-05T22:30:00Z'), 0, []), '2026-06-08');
  });

  test('does not modify the date it was given', () => {
    const from = at('2026-03-07');
    const before = from.getTime();
    addWorkingDays(from, 3, []);
    assert.equal(from.getTime(), before);
  });
});
