import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { useTempDatabase } from '#tests/support/unit-db.ts';

/** The checkpoint thread on a real database file: it copies the WAL while the server's connection keeps writing. */

const file = useTempDatabase('checkpointer');
const { checkpointerState, DEFAULT_AUTOCHECKPOINT_PAGES, FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer, stopCheckpointer } = await import('./checkpointer.ts');
const { db } = await import('./db.ts');

after(() => stopCheckpointer());

const autocheckpoint = () => db().pragma('wal_autocheckpoint', { simple: true }) as number;

/** Waits until `ok` holds (every 20 ms, at most `ms`). */
async function until(ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

describe('checkpointer', () => {
  test('copies what the server commits into the database file, and the server keeps only a far safety net', async () => {
    assert.equal(autocheckpoint(), DEFAULT_AUTOCHECKPOINT_PAGES);
    assert.equal(startCheckpointer(':memory:'), false, 'an in-memory database has no file to copy into');
    assert.equal(startCheckpointer(), true);
    const { threadId } = checkpointerState();
    assert.equal(startCheckpointer(), true);
    assert.equal(checkpointerState().threadId, threadId, 'a second start is the same thread');
    assert.equal(autocheckpoint(), FALLBACK_AUTOCHECKPOINT_PAGES);
    const fileSize = () => statSync(file).size;
    const before = fileSize();
    db().exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT)');
    const insert = db().prepare('INSERT INTO scratch (body) VALUES (?)');
    // 300 commits of about three pages each: the rows reach the database file only by a checkpoint, and the
    // server's own connection would checkpoint only past 10,000 pages.
    for (let i = 0; i < 300; i++) insert.run('x'.repeat(3000));
    await until(() => fileSize() >= before + 300 * 3000);
    // Its report arrives as a message, after the copy.
    await until(() => (checkpointerState().last?.checkpointed ?? 0) > 0);
  });

  test('stopping gives the checkpoints back to the server connection', async () => {
    await stopCheckpointer();
    assert.equal(checkpointerState().running, false);
    assert.equal(autocheckpoint(), DEFAULT_AUTOCHECKPOINT_PAGES);
  });

  test('a thread that cannot open the file stops, and the server checkpoints itself again', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(' '));
    try {
      assert.equal(startCheckpointer(path.join(path.dirname(file), 'missing.db')), true);
      assert.equal(autocheckpoint(), FALLBACK_AUTOCHECKPOINT_PAGES);
      await until(() => !checkpointerState().running);
    } finally {
      console.error = original;
    }
    assert.equal(autocheckpoint(), DEFAULT_AUTOCHECKPOINT_PAGES);
    assert.match(errors.join('\n'), /checkpointer: the thread stopped/);
  });
});
