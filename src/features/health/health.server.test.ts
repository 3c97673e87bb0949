// /health's checks on a real SQLite file: a read-only handle (what a full or read-only disk looks
// like to a write), free space under the threshold, a schema that is not current, and the outbox's
// dead and late mail. Counts only in the answer.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { useTempDatabase } from '#tests/support/unit-db.ts';

const file = useTempDatabase('health');
const { db } = await import('#platform/db.ts');
const { checkHealth, databaseWritable, freeBytes, MAIL_LATE_MS } = await import('./health.server.ts');

const NOW = new Date('2026-11-02T10:00:00Z');
const settings = { databasePath: file, minFreeBytes: 1, now: NOW };

let mails = 0;
function queueMail(state: 'pending' | 'sent' | 'dead', createdAt: Date): void {
  mails++;
  db().prepare(`INSERT INTO outbox (kind, recipient, subject, text_body, html_body, message_id, state, next_attempt_at, created_at)
    VALUES ('coordinator_notification', 'oggz@test.example', 'Nieuwe melding', 'geheim', 'geheim', ?, ?, ?, ?)`)
    .run(`<${mails}@test>`, state, createdAt.toISOString(), createdAt.toISOString());
}

describe('checkHealth', () => {
  test('a fresh database: ok, and the probe changes neither the schema nor its version', () => {
    const schema = () => ({
      version: db().pragma('user_version', { simple: true }),
      cookie: db().pragma('schema_version', { simple: true }),
      objects: db().prepare('SELECT count(*) AS n FROM sqlite_schema').get(),
    });
    const before = schema();
    assert.deepEqual(checkHealth(db(), settings), {
      status: 'ok',
      database: { writable: 'ok', disk: 'ok', migrations: 'ok' },
      mail: { dead: 0, late: 0 },
    });
    assert.deepEqual(schema(), before);
    assert.equal(db().inTransaction, false, 'the probe ends its transaction');
  });

  test('a database that cannot be written (read-only handle): unavailable', () => {
    const readOnly = new Database(file, { readonly: true });
    try {
      assert.equal(databaseWritable(readOnly), false);
      const health = checkHealth(readOnly, settings);
      assert.equal(health.status, 'unavailable');
      assert.equal(health.database.writable, 'fout');
    } finally {
      readOnly.close();
    }
    assert.equal(databaseWritable(db()), true);
  });

  test('free space under the threshold: unavailable', () => {
    const health = checkHealth(db(), { ...settings, minFreeBytes: freeBytes(file) + 1024 ** 3 });
    assert.deepEqual(health, { status: 'unavailable', database: { writable: 'ok', disk: 'fout', migrations: 'ok' } });
  });

  test('a schema that is not current: unavailable', () => {
    const version = db().pragma('user_version', { simple: true }) as number;
    db().pragma(`user_version = ${version - 1}`);
    try {
      assert.equal(checkHealth(db(), settings).database.migrations, 'fout');
      assert.equal(checkHealth(db(), settings).status, 'unavailable');
    } finally {
      db().pragma(`user_version = ${version}`);
    }
  });

  test('no database at all: unavailable', () => {
    assert.deepEqual(checkHealth(undefined, settings).database, { writable: 'fout', disk: 'ok', migrations: 'fout' });
  });

  test('dead letters and mail older than an hour: degraded, with counts and nothing of the mail', () => {
    queueMail('sent', new Date(NOW.getTime() - 5 * MAIL_LATE_MS));
    queueMail('pending', new Date(NOW.getTime() - MAIL_LATE_MS / 2));
    assert.equal(checkHealth(db(), settings).status, 'ok');
    queueMail('pending', new Date(NOW.getTime() - MAIL_LATE_MS - 1000));
    assert.deepEqual(checkHealth(db(), settings).mail, { dead: 0, late: 1 });
    queueMail('dead', NOW);
    queueMail('dead', NOW);
    const health = checkHealth(db(), settings);
    assert.equal(health.status, 'degraded');
    assert.deepEqual(health.mail, { dead: 2, late: 1 });
    assert.doesNotMatch(JSON.stringify(health), /geheim|oggz@/);
  });
});
