import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { sqliteCode, tempDir, useTempDatabase } from '#tests/support/unit-db.ts';

// db() reads DATABASE_PATH once: point it at a directory that does not exist yet.
const sharedFile = path.join(path.dirname(useTempDatabase('db')), 'nested', 'dir', 'meldpunt.db');
process.env['DATABASE_PATH'] = sharedFile;
const { db, openDatabase } = await import('./db.ts');
const { readMigrations } = await import('./migrate.ts');

describe('openDatabase', () => {
  const d = openDatabase(path.join(tempDir('db-open'), 'meldpunt.db'));

  test('WAL journal, synchronous FULL, foreign keys on, a busy timeout, statement journals in memory', () => {
    assert.equal(d.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(d.pragma('temp_store', { simple: true }), 2, 'temp_store = MEMORY');
    assert.equal(d.pragma('synchronous', { simple: true }), 2);
    assert.equal(d.pragma('foreign_keys', { simple: true }), 1);
    assert.ok((d.pragma('busy_timeout', { simple: true }) as number) >= 1000);
  });

  test('migrates to the latest schema', () => {
    assert.equal(d.pragma('user_version', { simple: true }), readMigrations().length);
  });

  test('foreign keys are enforced', () => {
    assert.throws(
      () => d.prepare("INSERT INTO report_concerns (report_id, concern) VALUES (424242, 'eenzaamheid')").run(),
      sqliteCode('SQLITE_CONSTRAINT_FOREIGNKEY'),
    );
  });
});

describe('db()', () => {
  test('opens DATABASE_PATH once, creating its directory', () => {
    const first = db();
    assert.equal(first, db());
    assert.ok(existsSync(sharedFile));
    assert.equal(path.resolve(first.name), path.resolve(sharedFile));
    assert.equal(first.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(first.pragma('synchronous', { simple: true }), 2);
  });
});

describe('who checkpoints the WAL', () => {
  // db() reads the configuration once per process: each setting gets a process of its own.
  const autocheckpoint = (walCheckpoints: string) =>
    execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "const { db, closeDatabase } = await import('#platform/db.ts'); console.log(db().pragma('wal_autocheckpoint', { simple: true })); closeDatabase();"],
      { env: { ...process.env, DATABASE_PATH: path.join(tempDir('db-checkpoints'), 'meldpunt.db'), WAL_CHECKPOINTS: walCheckpoints }, encoding: 'utf8' },
    ).trim();

  test('SQLite checkpoints automatically, except under Litestream, which checkpoints after copying the WAL', () => {
    assert.equal(autocheckpoint('app'), '1000');
    assert.equal(autocheckpoint('litestream'), '0');
  });
});
