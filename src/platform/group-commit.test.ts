import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { useTempDatabase } from '#tests/support/unit-db.ts';

const file = useTempDatabase('group-commit');
const { BUSY_TIMEOUT_MS, db } = await import('./db.ts');
const { commitTogether, onceCommitted } = await import('./group-commit.ts');

db().exec('CREATE TABLE IF NOT EXISTS gc_probe (n INTEGER NOT NULL UNIQUE) STRICT');
const insert = db().prepare('INSERT INTO gc_probe (n) VALUES (?)');
/** A second connection, as another process would read the file: it sees only what is committed. */
const reader = new Database(file, { readonly: true });
const committed = (): number[] => (reader.prepare('SELECT n FROM gc_probe ORDER BY n').all() as { n: number }[]).map((r) => r.n);

test('work queued in the same turn shares one transaction and is resolved only after its commit', async () => {
  const seenUncommitted: number[][] = [];
  const results = await Promise.all(
    [1, 2, 3].map((n) =>
      commitTogether(() => {
        insert.run(n);
        // Inside the shared transaction: the earlier pieces are written, yet nothing is committed.
        seenUncommitted.push(committed());
        return (db().prepare('SELECT count(*) AS c FROM gc_probe').get() as { c: number }).c;
      }).then((count) => ({ count, visible: committed() })),
    ),
  );
  assert.deepEqual(seenUncommitted, [[], [], []]);
  assert.deepEqual(results.map((r) => r.count), [1, 2, 3], 'each piece sees those before it: one transaction');
  for (const r of results) assert.deepEqual(r.visible, [1, 2, 3], 'resolved after the commit');
});

test('a piece that throws rolls back alone; the others commit', async () => {
  const outcomes = await Promise.allSettled([
    commitTogether(() => insert.run(10)),
    commitTogether(() => {
      insert.run(11);
      insert.run(10); // unique: fails, and 11 must go too
    }),
    commitTogether(() => insert.run(12)),
  ]);
  assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.deepEqual(committed().filter((n) => n >= 10), [10, 12]);
});

// A prepared `PRAGMA busy_timeout = N` sets the timeout when it is (re)prepared, not when it runs: its first
// run after preparing changes nothing. So each batch uses db.pragma(), which prepares it anew.
test('inside every batch statements do not wait for a lock; afterwards the connection waits its busy timeout again', async () => {
  const busyTimeout = () => db().pragma('busy_timeout', { simple: true });
  for (let batch = 0; batch < 3; batch++) {
    assert.equal(await commitTogether(busyTimeout), 0, `batch ${batch}`);
    assert.equal(busyTimeout(), BUSY_TIMEOUT_MS);
  }
  await assert.rejects(commitTogether(() => insert.run(12)), /UNIQUE/);
  assert.equal(busyTimeout(), BUSY_TIMEOUT_MS, 'also after a piece failed');
});

test('work queued later goes in a later commit; a task after the commit runs once per commit', async () => {
  let runs = 0;
  const task = () => runs++;
  onceCommitted(task);
  onceCommitted(task);
  const first = commitTogether(() => insert.run(20));
  await first;
  assert.equal(runs, 1);
  const second = commitTogether(() => insert.run(21));
  await second;
  assert.equal(runs, 1, 'not asked for again');
  assert.deepEqual(committed().filter((n) => n >= 20), [20, 21]);
});

test('while another connection holds the write lock, the batch waits without holding the thread, then commits', async () => {
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  let ran = false;
  const pending = commitTogether(() => {
    ran = true;
    insert.run(30);
  });
  // The thread is free meanwhile: timers fire, and the work has not run.
  const ticks: boolean[] = [];
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    ticks.push(ran);
  }
  assert.deepEqual(ticks, [false, false, false, false, false]);
  other.exec('COMMIT');
  other.close();
  await pending;
  assert.equal(ran, true);
  assert.deepEqual(committed().filter((n) => n === 30), [30]);
});

test('a lock held longer than the busy timeout fails the batch, as a busy commit would; the next batch commits', async () => {
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  const started = Date.now();
  await assert.rejects(
    commitTogether(() => insert.run(40)),
    (error: { code?: string }) => error.code === 'SQLITE_BUSY',
  );
  assert.ok(Date.now() - started >= 4900, `gave up after ${Date.now() - started} ms, not before the busy timeout`);
  other.exec('ROLLBACK');
  other.close();
  await commitTogether(() => insert.run(41));
  assert.deepEqual(committed().filter((n) => n >= 40), [41]);
});
