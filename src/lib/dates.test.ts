import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { amsterdamToUtc, startOfAmsterdamDay, utcToAmsterdam } from './dates.ts';

describe('amsterdamToUtc', () => {
  test('winter time is UTC+1, summer time UTC+2', () => {
    assert.equal(amsterdamToUtc('2026-01-15T14:30')?.toISOString(), '2026-01-15T13:30:00.000Z');
    assert.equal(amsterdamToUtc('2026-07-15T14:30')?.toISOString(), '2026-07-15T12:30:00.000Z');
  });

  test('the days the clocks change (29 March and 25 October 2026)', () => {
    // Spring: 01:59 is still winter time, 03:00 already summer time.
    assert.equal(amsterdamToUtc('2026-03-29T01:59')?.toISOString(), '2026-03-29T00:59:00.000Z');
    assert.equal(amsterdamToUtc('2026-03-29T03:00')?.toISOString(), '2026-03-29T01:00:00.000Z');
    // 02:30 does not exist that night: the winter offset is taken.
    assert.equal(amsterdamToUtc('2026-03-29T02:30')?.toISOString(), '2026-03-29T01:30:00.000Z');
    // Autumn: 02:30 happens twice; the second (winter time, UTC+1) is taken.
    assert.equal(amsterdamToUtc('2026-10-25T02:30')?.toISOString(), '2026-10-25T01:30:00.000Z');
    assert.equal(amsterdamToUtc('2026-10-25T03:00')?.toISOString(), '2026-10-25T02:00:00.000Z');
  });

  test('impossible dates and other shapes → undefined', () => {
    for (const bad of ['2026-02-30T10:00', '2026-13-01T10:00', '2026-00-10T10:00', '2026-04-31T10:00', '2026-01-01T24:00', '2026-01-01T10:60', '2026-01-01 10:00', '2026-01-01', '']) {
      assert.equal(amsterdamToUtc(bad), undefined, bad);
    }
  });
});

describe('utcToAmsterdam', () => {
  test('formats the Amsterdam wall clock, 24-hour', () => {
    assert.equal(utcToAmsterdam(new Date('2026-01-15T13:30:00Z')), '2026-01-15T14:30');
    assert.equal(utcToAmsterdam(new Date('2026-07-15T22:30:00Z')), '2026-07-16T00:30');
    assert.equal(utcToAmsterdam(new Date('2026-12-31T23:00:00Z')), '2027-01-01T00:00');
  });

  test('round-trips with amsterdamToUtc', () => {
    for (const local of ['2026-01-15T00:00', '2026-03-29T03:00', '2026-07-15T23:59', '2026-10-25T03:00']) {
      assert.equal(utcToAmsterdam(amsterdamToUtc(local)!), local);
    }
  });
});

describe('startOfAmsterdamDay', () => {
  test('midnight in Amsterdam of the same Amsterdam day', () => {
    assert.equal(startOfAmsterdamDay(new Date('2026-01-15T13:30:00Z')).toISOString(), '2026-01-14T23:00:00.000Z');
    assert.equal(startOfAmsterdamDay(new Date('2026-07-15T12:00:00Z')).toISOString(), '2026-07-14T22:00:00.000Z');
  });

  test('just after midnight local time, still the previous UTC day', () => {
    assert.equal(startOfAmsterdamDay(new Date('2026-07-15T22:30:00Z')).toISOString(), '2026-07-15T22:00:00.000Z');
  });
});
