import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { tempDir } from '#tests/support/unit-db.ts';
import { openDatabase } from './db.ts';
import { isPartialSnapshot, snapshotDue, snapshotName, snapshotsToDelete, snapshotTime } from './snapshots.rules.ts';
import { takeSnapshot } from './snapshots.ts';

const at = (iso: string) => new Date(iso);
const day = (n: number) => snapshotName(at(`2026-11-${String(n).padStart(2, '0')}T02:00:00Z`));

describe('snapshot names', () => {
  test('the UTC time to the second, and back', () => {
    assert.equal(snapshotName(at('2026-11-29T08:05:00.789Z')), 'meldpunt-20261129T080500Z.db');
    assert.deepEqual(snapshotTime('meldpunt-20261129T080500Z.db'), at('2026-11-29T08:05:00Z'));
  });

  test('only names of exactly that form are snapshots', () => {
    for (const name of [
      'meldpunt.db',
      'meldpunt-20261129T080500Z.db.tmp',
      'meldpunt-20261129T080500Z.db-wal',
      'kopie-meldpunt-20261129T080500Z.db',
      'meldpunt-20261129T080500.db',
      'meldpunt-20261331T080500Z.db', // no 31st of a 13th month
      'data-key',
    ]) {
      assert.equal(snapshotTime(name), undefined, name);
    }
    assert.equal(isPartialSnapshot('meldpunt-20261129T080500Z.db.tmp'), true);
    assert.equal(isPartialSnapshot('meldpunt.db.tmp'), false);
  });
});

describe('snapshotsToDelete', () => {
  const twentyDays = Array.from({ length: 20 }, (_, i) => day(i + 1));

  test('keeps the newest `keep`, whatever the order of the listing', () => {
    const shuffled = [...twentyDays].sort(() => 0.5 - Math.random());
    assert.deepEqual(snapshotsToDelete(shuffled, 14).sort(), twentyDays.slice(0, 6));
    assert.deepEqual(snapshotsToDelete(twentyDays, 20), []);
    assert.equal(snapshotsToDelete(twentyDays, 1).length, 19);
    assert.equal(snapshotsToDelete(twentyDays, 1).includes(day(20)), false);
  });

  test('never deletes a file that is not a snapshot', () => {
    const others = ['meldpunt.db', 'data-key', 'README.txt', 'meldpunt-20261129T080500Z.db.tmp'];
    assert.deepEqual(snapshotsToDelete([...others, day(1), day(2), day(3)], 1).sort(), [day(1), day(2)]);
    assert.deepEqual(snapshotsToDelete(others, 1), []);
  });

  test('keep must be at least 1', () => {
    assert.throws(() => snapshotsToDelete([day(1)], 0), /at least 1/);
    assert.throws(() => snapshotsToDelete([day(1)], 1.5), /at least 1/);
  });
});

describe('snapshotDue', () => {
  test('due without a snapshot, and a day after the newest (a few minutes early counts)', () => {
    assert.equal(snapshotDue([], at('2026-11-29T08:00:00Z')), true);
    assert.equal(snapshotDue(['data-key'], at('2026-11-29T08:00:00Z')), true);
    const names = [day(27), day(28)];
    assert.equal(snapshotDue(names, at('2026-11-28T14:00:00Z')), false);
    assert.equal(snapshotDue(names, at('2026-11-29T01:50:00Z')), false);
    assert.equal(snapshotDue(names, at('2026-11-29T01:58:00Z')), true);
    assert.equal(snapshotDue(names, at('2026-12-03T00:00:00Z')), true);
  });
});

describe('takeSnapshot', () => {
  test('a checked copy of the database; older snapshots beyond `keep` and half-written ones are deleted', () => {
    const dir = tempDir('snapshots');
    const source = openDatabase(path.join(dir, 'meldpunt.db'));
    const snapshots = path.join(dir, 'snapshots');
    const count = (d: Database.Database) => (d.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;

    const first = takeSnapshot(source, snapshots, 2, at('2026-11-27T02:00:00Z'));
    assert.equal(first.reports, 0);
    writeFileSync(path.join(snapshots, 'meldpunt-20261126T020000Z.db.tmp'), 'half');
    writeFileSync(path.join(snapshots, 'eigen-kopie.db'), 'mine');
    takeSnapshot(source, snapshots, 2, at('2026-11-28T02:00:00Z'));
    const third = takeSnapshot(source, snapshots, 2, at('2026-11-29T02:00:00Z'));

    assert.deepEqual(third.deleted, ['meldpunt-20261127T020000Z.db']);
    assert.deepEqual(readdirSync(snapshots).sort(), ['eigen-kopie.db', 'meldpunt-20261128T020000Z.db', 'meldpunt-20261129T020000Z.db']);
    const copy = new Database(third.file, { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(count(copy), count(source));
    assert.equal(copy.pragma('user_version', { simple: true }), source.pragma('user_version', { simple: true }));
    copy.close();
    assert.throws(() => takeSnapshot(source, snapshots, 2, at('2026-11-29T02:00:00Z')), /already exists/);
    assert.equal(existsSync(`${third.file}.tmp`), false);
    source.close();
  });
});
