import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { migrate, MIGRATIONS_DIR, readMigrations } from './migrate.ts';
import { sqliteCode, tempDir } from '#tests/support/unit-db.ts';

const migrationFiles = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));

function fresh(): Database.Database {
  return new Database(path.join(tempDir('migrate'), 'test.db'));
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** A minimal valid report row; `overrides` replace or add columns. */
function insertReport(db: Database.Database, overrides: Record<string, unknown> = {}): void {
  const row: Record<string, unknown> = {
    reference: 'MB-ABCD2345',
    channel: 'inwoner',
    created_at: '2026-03-02T10:00:00.000Z',
    updated_at: '2026-03-02T10:00:00.000Z',
    acute_danger: 0,
    suggested_urgency: 'normaal',
    urgency: 'normaal',
    due_on: '2026-03-05',
    ...overrides,
  };
  const columns = Object.keys(row);
  db.prepare(`INSERT INTO reports (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
}

/** A directory with fake migration files. */
function migrationsDir(files: Record<string, string>): string {
  const dir = tempDir('migrations');
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql);
  return dir;
}

describe('readMigrations', () => {
  test('reads the project migrations in order, numbered 1..n', () => {
    const migrations = readMigrations();
    assert.equal(migrations.length, migrationFiles.length);
    assert.ok(migrations.length >= 1);
    assert.deepEqual(migrations.map((m) => m.version), migrations.map((_, i) => i + 1));
    assert.equal(migrations[0]?.name, '0001-init.sql');
    assert.match(migrations[0]?.sql ?? '', /CREATE TABLE reports/);
  });

  test('sorts by number whatever the directory order', () => {
    const dir = migrationsDir({ '0002-b.sql': 'SELECT 2;', '0001-a.sql': 'SELECT 1;', 'README.md': 'not sql' });
    assert.deepEqual(readMigrations(dir).map((m) => m.name), ['0001-a.sql', '0002-b.sql']);
  });

  test('refuses a gap in the numbers', () => {
    const dir = migrationsDir({ '0001-a.sql': 'SELECT 1;', '0003-c.sql': 'SELECT 3;' });
    assert.throws(() => readMigrations(dir), /0003-c\.sql is out of sequence: expected number 2/);
  });

  test('refuses a first migration that is not 0001', () => {
    const dir = migrationsDir({ '0002-b.sql': 'SELECT 2;' });
    assert.throws(() => readMigrations(dir), /out of sequence: expected number 1/);
  });

  test('refuses two migrations with the same number', () => {
    const dir = migrationsDir({ '0001-a.sql': 'SELECT 1;', '0001-b.sql': 'SELECT 1;', '0002-c.sql': 'SELECT 2;' });
    assert.throws(() => readMigrations(dir), /out of sequence/);
  });
});

describe('migrate on an empty database', () => {
  test('brings user_version to the number of migration files and creates the tables', () => {
    const db = fresh();
    assert.equal(userVersion(db), 0);
    assert.equal(migrate(db), migrationFiles.length);
    assert.equal(userVersion(db), migrationFiles.length);
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    for (const table of ['reports', 'report_concerns', 'drafts']) assert.ok(tables.includes(table), table);
    const indexes = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").all() as { name: string }[]).map((t) => t.name);
    assert.ok(tables.includes('report_keys'));
    assert.ok(indexes.includes('reports_by_status'));
  });

  test('every table is STRICT', () => {
    const db = fresh();
    migrate(db);
    const tables = db.prepare("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
      name: string;
      strict: number;
    }[];
    assert.ok(tables.length >= 3);
    for (const t of tables) assert.equal(t.strict, 1, `${t.name} is not STRICT`);
  });

  test('STRICT: a value of the wrong type is refused', () => {
    const db = fresh();
    migrate(db);
    assert.throws(() => insertReport(db, { acute_danger: 'nee' }), sqliteCode('SQLITE_CONSTRAINT_DATATYPE'));
    assert.throws(() => insertReport(db, { entered_by: 'agent-7' }), sqliteCode('SQLITE_CONSTRAINT_DATATYPE'));
    assert.throws(() => insertReport(db, { acute_danger: 0.5 }), sqliteCode('SQLITE_CONSTRAINT_DATATYPE'));
    assert.throws(() => insertReport(db, { due_on: Buffer.from('2026-03-05') }), sqliteCode('SQLITE_CONSTRAINT_DATATYPE'));
    insertReport(db); // the same row with the right types is fine
    assert.equal((db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n, 1);
  });

  test('CHECK constraints refuse a bad status, channel, reference or answer code', () => {
    const db = fresh();
    migrate(db);
    const check = sqliteCode('SQLITE_CONSTRAINT_CHECK');
    assert.throws(() => insertReport(db, { status: 'open' }), check);
    assert.throws(() => insertReport(db, { channel: 'twitter' }), check);
    for (const reference of ['MB-ABCD234', 'MB-ABCD23456', 'MB-ABCD2340', 'MB-ABCDO234', 'MB-ABCD1234', 'MB-ABCDI234', 'MB-ABCDL234', 'mb-ABCD2345', 'MB-abcd2345', 'XX-ABCD2345']) {
      assert.throws(() => insertReport(db, { reference }), check, reference);
    }
    assert.throws(() => insertReport(db, { urgency: 'heel_hoog' }), check);
    assert.throws(() => insertReport(db, { person_age: '18' }), check);
    assert.throws(() => insertReport(db, { postcode: '9351 AB' }), check);
    assert.throws(() => insertReport(db, { involved: 'huisarts' }), check);
    assert.throws(() => insertReport(db, { location_kind: 'adres' }), check); // address incomplete
    assert.throws(() => insertReport(db, { status: 'acuut_doorgezet', acute_danger: 0 }), check);
    // Sealed columns (description, names) have no length CHECK since 0010: the forms check the plain text.
    assert.throws(() => insertReport(db, { woonplaats: 'x'.repeat(101) }), check);
    assert.equal((db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n, 0);
  });

  test('references are unique', () => {
    const db = fresh();
    migrate(db);
    insertReport(db);
    // Checked by a trigger against the table of keys (migration 0028), which also holds those of deleted reports not swept yet.
    assert.throws(() => insertReport(db), (e: unknown) => sqliteCode('SQLITE_CONSTRAINT_TRIGGER')(e) && /reports\.reference/.test(String(e)));
  });
});

describe('migrate on an existing database', () => {
  test('running it again is a no-op and keeps the data', () => {
    const db = fresh();
    migrate(db);
    insertReport(db);
    const schemaBefore = db.prepare('SELECT sql FROM sqlite_schema ORDER BY name').all();
    assert.equal(migrate(db), migrationFiles.length);
    assert.equal(userVersion(db), migrationFiles.length);
    assert.deepEqual(db.prepare('SELECT sql FROM sqlite_schema ORDER BY name').all(), schemaBefore);
    assert.deepEqual(db.prepare('SELECT reference FROM reports').all(), [{ reference: 'MB-ABCD2345' }]);
  });

  test('0027 keeps every draft, now in a rowid table with its token hash unique', () => {
    const db = fresh();
    const all = readMigrations();
    migrate(db, all.slice(0, 26));
    const draft = { token_hash: 'a'.repeat(64), answers: 'v1:sealed', created_at: '2026-03-02T10:00:00.000Z', updated_at: '2026-03-02T10:05:00.000Z', expires_at: '2026-03-03T10:00:00.000Z', submitted_reference: 'MB-ABCD2345' };
    const open = { ...draft, token_hash: 'b'.repeat(64), answers: 'v1:other', submitted_reference: null };
    for (const d of [draft, open]) db.prepare('INSERT INTO drafts VALUES (@token_hash, @answers, @created_at, @updated_at, @expires_at, @submitted_reference)').run(d);
    migrate(db, all);
    assert.deepEqual(db.prepare('SELECT token_hash, answers, created_at, updated_at, expires_at, submitted_reference FROM drafts ORDER BY token_hash').all(), [draft, open]);
    assert.doesNotMatch(String((db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'drafts'").get() as { sql: string }).sql), /WITHOUT ROWID/);
    assert.throws(() => db.prepare('INSERT INTO drafts (token_hash, answers, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(draft.token_hash, 'x', 'x', 'x', 'x'), /UNIQUE/);
    assert.throws(() => db.prepare('INSERT INTO drafts (token_hash, answers, created_at, updated_at, expires_at) VALUES (NULL, ?, ?, ?, ?)').run('x', 'x', 'x', 'x'), /NOT NULL/);
  });

  test('applies only the migrations that are new', () => {
    const db = fresh();
    migrate(db, readMigrations(migrationsDir({ '0001-a.sql': 'CREATE TABLE a (x INTEGER) STRICT; INSERT INTO a VALUES (1);' })));
    assert.equal(userVersion(db), 1);
    const dir = migrationsDir({
      '0001-a.sql': 'CREATE TABLE a (x INTEGER) STRICT; INSERT INTO a VALUES (1);',
      '0002-b.sql': 'INSERT INTO a VALUES (2);',
    });
    assert.equal(migrate(db, readMigrations(dir)), 2);
    assert.equal(userVersion(db), 2);
    assert.deepEqual(db.prepare('SELECT x FROM a ORDER BY x').all(), [{ x: 1 }, { x: 2 }]);
  });

  test('a failing migration is rolled back whole and leaves the version where it was', () => {
    const db = fresh();
    const dir = migrationsDir({
      '0001-a.sql': 'CREATE TABLE a (x INTEGER) STRICT;',
      '0002-b.sql': 'CREATE TABLE b (y INTEGER) STRICT; INSERT INTO a VALUES (1); INSERT INTO missing VALUES (1);',
    });
    assert.throws(() => migrate(db, readMigrations(dir)), /missing/);
    assert.equal(userVersion(db), 1);
    assert.equal(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'b'").get(), undefined);
    assert.deepEqual(db.prepare('SELECT x FROM a').all(), []);
  });

  test('refuses a database whose schema is newer than the code', () => {
    const db = fresh();
    migrate(db);
    insertReport(db);
    db.pragma(`user_version = ${migrationFiles.length + 1}`);
    assert.throws(() => migrate(db), /newer than this code/);
    assert.equal(userVersion(db), migrationFiles.length + 1);
    assert.equal((db.prepare('SELECT count(*) AS n FROM reports').get() as { n: number }).n, 1);
  });
});
