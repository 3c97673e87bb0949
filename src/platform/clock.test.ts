import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { tempDir } from '#tests/support/unit-db.ts';
import { now } from './clock.ts';

const HOUR = 3_600_000;
const file = path.join(tempDir('clock'), 'clock.txt');

// now() reads TEST_CLOCK_FILE on every call (not once per process), so one file can try every case.
describe('now', () => {
  afterEach(() => {
    delete process.env['TEST_CLOCK_FILE'];
  });

  test('without TEST_CLOCK_FILE: the real time', () => {
    delete process.env['TEST_CLOCK_FILE'];
    const before = Date.now();
    const at = now().getTime();
    assert.ok(at >= before && at <= Date.now());
  });

  test('with TEST_CLOCK_FILE: the real time plus the milliseconds in the file, read on every call', () => {
    process.env['TEST_CLOCK_FILE'] = file;
    writeFileSync(file, `${25 * HOUR}\n`);
    const before = Date.now();
    const at = now().getTime();
    assert.ok(at >= before + 25 * HOUR && at <= Date.now() + 25 * HOUR);
    writeFileSync(file, String(HOUR));
    assert.ok(Math.abs(now().getTime() - Date.now() - HOUR) < 1_000);
  });

  test('a missing file or a file that is not a number: no offset', () => {
    process.env['TEST_CLOCK_FILE'] = path.join(path.dirname(file), 'missing.txt');
    assert.ok(Math.abs(now().getTime() - Date.now()) < 1_000);
    process.env['TEST_CLOCK_FILE'] = file;
    writeFileSync(file, 'morgen');
    assert.ok(Math.abs(now().getTime() - Date.now()) < 1_000);
  });
});
