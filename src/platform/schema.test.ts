import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { migrate, readMigrations } from './migrate.ts';
import { SCHEMA_FILE, schemaSql } from '#cli/db.ts';
import { sqliteCode, tempDir } from '#tests/support/unit-db.ts';

/**
 * db/schema.sql is the schema the migrations build, kept current; and migration 0006 rebuilds `reports`
 * with its foreign keys to users and the CHECK on outcome without losing a row of any table.
 */

const migrations = readMigrations();
const REBUILD = 6;
const beforeRebuild = migrations.slice(0, REBUILD - 1);

type Row = Record<string, unknown>;

function fresh(foreignKeys = true): Database.Database {
  const db = new Database(path.join(tempDir('schema'), 'test.db'));
  // On as the server opens it (src/platform/db.ts); better-sqlite3's default is on too.
  db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  return db;
}

const userVersion = (db: Database.Database) => db.pragma('user_version', { simple: true }) as number;

/** Every row of every table, by table, in rowid or key order: what an upgrade must keep. */
function everything(db: Database.Database): Record<string, Row[]> {
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  // By the first two columns (a one-column table, such as a flag, by its one).
  const order = (t: string) => ((db.pragma(`table_info(${t})`) as unknown[]).length > 1 ? '1, 2' : '1');
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY ${order(t)}`).all() as Row[]]));
}

const USER = { password_hash: 'x', totp_secret: 'x', created_at: '2026-01-05T08:00:00.000Z', updated_at: '2026-01-05T08:00:00.000Z' };

/** A database at version 5 holding one row in every table and every column of reports filled somewhere. */
function seededAtVersion5(): Database.Database {
  const db = fresh();
  migrate(db, beforeRebuild);
  assert.equal(userVersion(db), 5);
  const insert = (table: string, row: Row) => {
    const columns = Object.keys(row);
    return db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row).lastInsertRowid;
  };
  const kcc = insert('users', { ...USER, email: 'kcc@test.example', name: 'Karin KCC', role: 'kcc' });
  const coordinator = insert('users', { ...USER, email: 'coord@test.example', name: 'Carla', role: 'coordinator' });
  insert('users', { ...USER, email: 'boa@test.example', name: 'Bram BOA', role: 'boa', service_number: 'BOA-17', disabled_at: '2026-02-01T00:00:00.000Z' });
  const base = {
    channel: 'inwoner',
    created_at: '2026-03-02T10:00:00.000Z',
    updated_at: '2026-03-02T10:00:00.000Z',
    acute_danger: 0,
    suggested_urgency: 'normaal',
    urgency: 'normaal',
    due_on: '2026-03-05',
  };
  const target = insert('reports', { ...base, reference: 'MB-AAAA2345' });
  const full = insert('reports', {
    ...base,
    reference: 'MB-BBBB2345',
    channel: 'kcc',
    status: 'samengevoegd',
    created_at: '2026-03-03T11:00:00.000Z',
    updated_at: '2026-03-04T09:00:00.000Z',
    entered_by: kcc,
    person_name: 'Dhr. P.',
    person_age: '18_plus',
    location_kind: 'adres',
    postcode: '9351AB',
    house_number: '12',
    house_addition: 'a',
    street: 'Kerkstraat',
    place: 'Leek',
    location_description: 'Boven de bakker',
    children_in_home: 'weet_niet',
    description: 'Schreeuwt vanaf zijn balkon.',
    concern_since: 'paar_maanden',
    danger_to_self: 'nee',
    danger_to_others: 'ja',
    person_aware: 'weet_niet',
    involved: '["huisarts","politie"]',
    reporter_relation: 'buren',
    anonymous: 0,
    reporter_name: 'Anna',
    reporter_phone: '06 12345678',
    reporter_email: 'anna@voorbeeld.nl',
    intake_method: 'telefoon_0800',
    observed_at: '2026-03-03T10:30:00.000Z',
    police_present: 1,
    police_reference: 'PL0100-2026123456',
    captcha_status: 'niet_van_toepassing',
    suggested_urgency: 'hoog',
    urgency: 'direct',
    due_on: '2026-03-03',
    ave_phase: 'ave3',
    assigned_to: coordinator,
    outcome: 'bemoeizorg',
    case_director: 'Sociaal team Leek',
    process_director: 'GGD',
    treatment_director: 'Lentis',
    wvggz_started_on: '2026-03-04',
    forwarded_to: 'Veilig Thuis',
    merged_into: target,
    triaged_at: '2026-03-03T15:00:00.000Z',
    closed_at: '2026-03-04T09:00:00.000Z',
    address_key: '9351AB|12|a',
    person_key: 'p|dhr. p.',
    contact_erased_at: '2026-03-04T09:00:00.000Z',
  });
  insert('reports', { ...base, reference: 'MB-CCCC2345', channel: 'boa', status: 'acuut_doorgezet', acute_danger: 1, entered_by: kcc });
  insert('report_concerns', { report_id: full, concern: 'overlast_agressie' });
  insert('report_concerns', { report_id: full, concern: 'verslaving' });
  insert('report_concerns', { report_id: target, concern: 'eenzaamheid' });
  insert('report_notes', { report_id: full, author_id: coordinator, created_at: '2026-03-03T15:01:00.000Z', body: 'Gebeld met de wijkagent.' });
  insert('report_events', { report_id: full, actor_id: coordinator, at: '2026-03-03T15:00:00.000Z', kind: 'status', from_value: 'nieuw', to_value: 'in_behandeling' });
  insert('report_events', { report_id: full, actor_id: null, at: '2026-03-04T09:00:00.000Z', kind: 'samengevoegd', to_value: 'MB-AAAA2345', reason: 'dubbel' });
  insert('report_links', { report_id: target, linked_id: full, created_at: '2026-03-03T15:02:00.000Z', created_by: coordinator });
  const mail = { recipient: 'meldpunt@test.example', subject: 'Nieuwe melding', text_body: 't', html_body: '<p>t</p>', next_attempt_at: '2026-03-02T10:00:00.000Z', created_at: '2026-03-02T10:00:00.000Z' };
  insert('outbox', { ...mail, kind: 'coordinator_notification', report_id: full, message_id: '<1@test>' });
  insert('outbox', { ...mail, kind: 'reporter_confirmation', report_id: target, message_id: '<2@test>', state: 'sent', sent_at: '2026-03-02T10:01:00.000Z' });
  insert('drafts', { token_hash: 'abc', answers: '{"persoon":{}}', created_at: '2026-03-02T10:00:00.000Z', updated_at: '2026-03-02T10:00:00.000Z', expires_at: '2026-03-03T10:00:00.000Z' });
  insert('sessions', { token_hash: 'def', user_id: coordinator, stage: 'complete', created_at: '2026-03-02T10:00:00.000Z', last_seen_at: '2026-03-02T10:00:00.000Z', expires_at: '2026-03-02T18:00:00.000Z' });
  insert('audit_log', { at: '2026-03-02T10:00:00.000Z', actor_id: kcc, actor_role: 'kcc', action: 'melding_ingevoerd', object_type: 'melding', object_id: 'MB-BBBB2345', result: 'gelukt', on_behalf_of: 'beller' });
  insert('deletion_log', { reference: 'MB-DDDD2345', channel: 'inwoner', created_at: '2025-01-01T00:00:00.000Z', status: 'geannuleerd', deleted_at: '2026-03-01T00:00:00.000Z', rule: 'geannuleerd' });
  return db;
}

/** A minimal valid report row for inserts after the upgrade. */
function report(overrides: Row = {}): Row {
  return {
    reference: 'MB-EEEE2345',
    channel: 'kcc',
    created_at: '2026-03-05T10:00:00.000Z',
    updated_at: '2026-03-05T10:00:00.000Z',
    acute_danger: 0,
    suggested_urgency: 'normaal',
    urgency: 'normaal',
    due_on: '2026-03-10',
    ...overrides,
  };
}

function insertReport(db: Database.Database, row: Row): void {
  const columns = Object.keys(row);
  db.prepare(`INSERT INTO reports (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
}

describe('db/schema.sql', () => {
  test('is what the migrations build (run `npm run db:schema` after adding a migration)', () => {
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), schemaSql(), 'db/schema.sql is stale: run `npm run db:schema` and commit it');
  });

  test('names the schema version and holds every table, index and trigger of a migrated database', () => {
    const sql = schemaSql();
    assert.match(sql, new RegExp(`^-- PRAGMA user_version = ${migrations.length}$`, 'm'));
    const db = fresh();
    migrate(db);
    const objects = db.prepare("SELECT type, name FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'").all() as { type: string; name: string }[];
    assert.ok(objects.length > 30);
    for (const o of objects) assert.match(sql, new RegExp(`CREATE (UNIQUE )?${o.type.toUpperCase()} "?${o.name}"? `), `${o.type} ${o.name}`);
    assert.equal(sql.match(/^CREATE /gm)?.length, objects.length);
  });

  test('a migration added without regenerating the file shows up as a difference', () => {
    const extra = { version: migrations.length + 1, name: `${String(migrations.length + 1).padStart(4, '0')}-extra.sql`, sql: 'CREATE TABLE extra (x INTEGER) STRICT;' };
    const changed = schemaSql([...migrations, extra]);
    assert.notEqual(changed, schemaSql());
    assert.match(changed, /CREATE TABLE extra \(x INTEGER\) STRICT;/);
  });
});

describe('migration 0006: reports gets foreign keys to users and a CHECK on outcome', () => {
  test('upgrading a database built by migrations 1-5 keeps every row of every table', () => {
    const db = seededAtVersion5();
    const before = everything(db);
    assert.equal(before['reports']?.length, 3);
    migrate(db);
    assert.equal(userVersion(db), migrations.length);
    // Every row and value is still there (later migrations may add columns and tables: compared on the old ones).
    const after = everything(db);
    assert.deepEqual(Object.keys(after).filter((t) => t in before), Object.keys(before));
    // 0031 closes the acute record at its creation (retention counts from there); the rest stays as it was.
    const acute = (rows: Record<string, unknown>[] | undefined) => rows?.find((r) => r['status'] === 'acuut_doorgezet');
    assert.equal(acute(before['reports'])?.['closed_at'], null);
    assert.equal(acute(after['reports'])?.['closed_at'], acute(before['reports'])?.['created_at']);
    acute(after['reports'])!['closed_at'] = null;
    // The plain repeat keys of before are the one thing 0010 drops on purpose: the encryption pass at
    // start-up replaces them with blind indexes (src/features/encryption).
    const recomputed = new Set(['reports.address_key', 'reports.person_key']);
    for (const [table, rows] of Object.entries(before)) {
      const columns = (row: Record<string, unknown> | undefined) => Object.keys(row ?? {}).filter((k) => !recomputed.has(`${table}.${k}`));
      const kept = (after[table] ?? []).map((row, i) => Object.fromEntries(columns(rows[i]).map((k) => [k, (row as Record<string, unknown>)[k]])));
      assert.deepEqual(kept, rows.map((row) => Object.fromEntries(columns(row).map((k) => [k, (row as Record<string, unknown>)[k]]))), table);
    }
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    // migrate() turned foreign keys off for the rebuild and back on afterwards.
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  });

  test('the children keep pointing at reports: cascades and SET NULL still reach them', () => {
    const db = seededAtVersion5();
    migrate(db);
    for (const table of ['report_concerns', 'report_notes', 'report_events', 'report_links', 'outbox']) {
      const parents = (db.prepare(`SELECT DISTINCT "table" AS t FROM pragma_foreign_key_list('${table}')`).all() as { t: string }[]).map((r) => r.t);
      assert.ok(parents.includes('reports'), `${table} → ${parents.join(', ')}`);
    }
    const target = db.prepare("SELECT id FROM reports WHERE reference = 'MB-AAAA2345'").get() as { id: number };
    const full = db.prepare("SELECT id FROM reports WHERE reference = 'MB-BBBB2345'").get() as { id: number };
    // A merged report points at its target: the self-reference is enforced on the new table too.
    assert.throws(() => db.prepare('DELETE FROM reports WHERE id = ?').run(target.id), sqliteCode('SQLITE_CONSTRAINT_FOREIGNKEY'));
    db.prepare('DELETE FROM reports WHERE id = ?').run(full.id);
    for (const table of ['report_concerns', 'report_notes', 'report_events']) {
      assert.equal((db.prepare(`SELECT count(*) AS n FROM ${table} WHERE report_id = ?`).get(full.id) as { n: number }).n, 0, table);
    }
    assert.equal((db.prepare('SELECT count(*) AS n FROM report_links').get() as { n: number }).n, 0);
    assert.deepEqual(db.prepare("SELECT report_id FROM outbox WHERE message_id = '<1@test>'").get(), { report_id: null });
  });

  test('the definition of reports is unchanged apart from the new constraints', () => {
    const old = fresh();
    migrate(old, beforeRebuild);
    const db = fresh();
    // Up to the rebuild itself: later migrations add indexes of their own.
    migrate(db, migrations.slice(0, REBUILD));
    const columns = (d: Database.Database) => d.prepare("SELECT * FROM pragma_table_xinfo('reports')").all();
    assert.deepEqual(columns(db), columns(old));
    const indexes = (d: Database.Database) => d.prepare("SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'reports' AND type <> 'table' ORDER BY name").all();
    assert.deepEqual(indexes(db), indexes(old));
    assert.equal(indexes(db).length, 16);
    const strict = (d: Database.Database) => d.prepare("SELECT strict FROM pragma_table_list WHERE name = 'reports'").get();
    assert.deepEqual(strict(db), { strict: 1 });
    const keys = (d: Database.Database) => d.prepare("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('reports') ORDER BY \"from\"").all();
    assert.deepEqual(keys(old), [{ from: 'merged_into', table: 'reports', to: 'id' }]);
    assert.deepEqual(keys(db), [
      { from: 'assigned_to', table: 'users', to: 'id' },
      { from: 'entered_by', table: 'users', to: 'id' },
      { from: 'merged_into', table: 'reports', to: 'id' },
    ]);
    const sql = (d: Database.Database) => (d.prepare("SELECT sql FROM sqlite_schema WHERE name = 'reports'").get() as { sql: string }).sql;
    for (const name of ['reports_reference_format', 'reports_address_complete', 'reports_acute_minimal']) {
      assert.match(sql(db), new RegExp(`CONSTRAINT ${name} CHECK`), name);
    }
    // Every CHECK of the old table is still there, word for word.
    const checks = (text: string): string[] => text.match(/CHECK \((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)/g) ?? [];
    const newChecks = checks(sql(db));
    for (const check of checks(sql(old))) assert.ok(newChecks.includes(check), check);
    assert.equal(newChecks.length, checks(sql(old)).length + 1);
  });

  test('after the upgrade an unknown outcome is refused, a known one accepted', () => {
    const db = seededAtVersion5();
    migrate(db);
    assert.throws(() => insertReport(db, report({ outcome: 'opgelost' })), sqliteCode('SQLITE_CONSTRAINT_CHECK'));
    assert.throws(() => db.prepare("UPDATE reports SET outcome = 'Bemoeizorg' WHERE reference = 'MB-AAAA2345'").run(), sqliteCode('SQLITE_CONSTRAINT_CHECK'));
    insertReport(db, report({ outcome: 'wvggz_verkennend_onderzoek' }));
    insertReport(db, report({ reference: 'MB-FFFF2345', outcome: null }));
  });

  test('after the upgrade a dangling entered_by or assigned_to is refused, an existing user accepted', () => {
    const db = seededAtVersion5();
    migrate(db);
    const fk = sqliteCode('SQLITE_CONSTRAINT_FOREIGNKEY');
    assert.throws(() => insertReport(db, report({ entered_by: 99 })), fk);
    assert.throws(() => insertReport(db, report({ assigned_to: 99 })), fk);
    assert.throws(() => db.prepare("UPDATE reports SET assigned_to = 99 WHERE reference = 'MB-AAAA2345'").run(), fk);
    const user = db.prepare("SELECT id FROM users WHERE role = 'coordinator'").get() as { id: number };
    insertReport(db, report({ entered_by: user.id, assigned_to: user.id }));
    // A user with reports can no longer be deleted (accounts are disabled, never deleted).
    assert.throws(() => db.prepare('DELETE FROM users WHERE id = ?').run(user.id), fk);
  });

  test('an old database with a dangling entered_by stops the upgrade whole: still version 5, nothing lost', () => {
    const db = seededAtVersion5();
    db.pragma('foreign_keys = OFF');
    db.prepare("UPDATE reports SET entered_by = 99 WHERE reference = 'MB-CCCC2345'").run();
    db.pragma('foreign_keys = ON');
    const before = everything(db);
    assert.throws(() => migrate(db), /0006-.*broken foreign key\(s\), first reports row \d+ → users/);
    assert.equal(userVersion(db), 5);
    assert.deepEqual(everything(db), before);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  });
});

describe('migrate() and foreign keys', () => {
  const rebuildParent = {
    version: 2,
    name: '0002-rebuild.sql',
    sql: `CREATE TABLE new_p (id INTEGER PRIMARY KEY, x TEXT) STRICT;
          INSERT INTO new_p (id) SELECT id FROM p;
          DROP TABLE p;
          ALTER TABLE new_p RENAME TO p;`,
  };
  const parentAndChildren = {
    version: 1,
    name: '0001-init.sql',
    sql: `CREATE TABLE p (id INTEGER PRIMARY KEY) STRICT;
          CREATE TABLE c (p_id INTEGER NOT NULL REFERENCES p (id) ON DELETE CASCADE) STRICT;
          CREATE TABLE o (p_id INTEGER REFERENCES p (id) ON DELETE SET NULL) STRICT;
          INSERT INTO p VALUES (1), (2); INSERT INTO c VALUES (1), (2); INSERT INTO o VALUES (1), (2);`,
  };

  test('a table rebuild keeps the rows that reference it (with foreign keys on, DROP TABLE would cascade)', () => {
    const db = fresh();
    migrate(db, [parentAndChildren, rebuildParent]);
    assert.deepEqual(db.prepare('SELECT p_id FROM c ORDER BY p_id').all(), [{ p_id: 1 }, { p_id: 2 }]);
    assert.deepEqual(db.prepare('SELECT p_id FROM o ORDER BY p_id').all(), [{ p_id: 1 }, { p_id: 2 }]);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  });

  test('a migration that leaves a broken reference is rolled back', () => {
    const db = fresh();
    const breaks = { version: 2, name: '0002-breaks.sql', sql: 'CREATE TABLE q (id INTEGER PRIMARY KEY) STRICT; DELETE FROM p WHERE id = 2;' };
    assert.throws(() => migrate(db, [parentAndChildren, breaks]), /0002-breaks\.sql leaves 2 broken foreign key\(s\)/);
    assert.equal(userVersion(db), 1);
    assert.equal(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'q'").get(), undefined);
    assert.equal((db.prepare('SELECT count(*) AS n FROM p').get() as { n: number }).n, 2);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  });

  test('leaves foreign keys as it found them on a connection that had them off', () => {
    const db = fresh(false);
    migrate(db, [parentAndChildren, rebuildParent]);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 0);
  });
});

describe('migration 0031: uitgezet and acute records get their closed_at', () => {
  test('uitgezet: the moment of its last change to uitgezet, else its last change; acute: its creation; others untouched', () => {
    const db = fresh();
    const before0031 = migrations.findIndex((m) => m.name.startsWith('0031-'));
    assert.ok(before0031 > 0);
    migrate(db, migrations.slice(0, before0031));
    const outcome = { outcome: 'bemoeizorg' };
    insertReport(db, report({ reference: 'MB-EEEE2345', status: 'uitgezet', ...outcome, updated_at: '2026-03-09T10:00:00.000Z' }));
    insertReport(db, report({ reference: 'MB-FFFF2345', status: 'uitgezet', ...outcome, updated_at: '2026-03-08T10:00:00.000Z' }));
    insertReport(db, report({ reference: 'MB-GGGG2345', status: 'acuut_doorgezet', acute_danger: 1 }));
    insertReport(db, report({ reference: 'MB-HHHH2345', status: 'in_behandeling' }));
    const id = (reference: string) => (db.prepare('SELECT id FROM reports WHERE reference = ?').get(reference) as { id: number }).id;
    const event = (at: string, to: string) =>
      db.prepare("INSERT INTO report_events (report_id, at, kind, from_value, to_value) VALUES (?, ?, 'status', 'in_behandeling', ?)").run(id('MB-EEEE2345'), at, to);
    event('2026-03-06T10:00:00.000Z', 'uitgezet');
    event('2026-03-07T10:00:00.000Z', 'uitgezet');
    migrate(db);
    const closedAt = (reference: string) => (db.prepare('SELECT closed_at FROM reports WHERE reference = ?').get(reference) as { closed_at: string | null }).closed_at;
    assert.equal(closedAt('MB-EEEE2345'), '2026-03-07T10:00:00.000Z');
    assert.equal(closedAt('MB-FFFF2345'), '2026-03-08T10:00:00.000Z');
    assert.equal(closedAt('MB-GGGG2345'), '2026-03-05T10:00:00.000Z');
    assert.equal(closedAt('MB-HHHH2345'), null);
  });
});
