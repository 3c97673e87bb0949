import assert from 'node:assert/strict';
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
    assert.equal(startCheckpointer(), true);
    assert.equal(startCheckpointer(), true, 'a second start is the same thread');
    assert.equal(autocheckpoint(), FALLBACK_AUTOCHECKPOINT_PAGES);
    db().exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT)');
    const insert = db().prepare('INSERT INTO scratch (body) VALUES (?)');
    // 300 commits of a page each: more than the server's own connection would let the WAL hold before the thread.
    for (let i = 0; i < 300; i++) insert.run('x'.repeat(3000));
    await until(() => {
      const last = checkpointerState().last;
      return last !== undefined && last.log >= 300 && last.checkpointed === last.log;
    });
    // The server's connection did not checkpoint: a passive checkpoint of its own finds nothing left to copy.
    const [own] = db().pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    assert.equal(own?.checkpointed, own?.log);
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
