import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { useTempDatabase } from '#tests/support/unit-db.ts';
import { residentReport } from '#tests/support/intake.ts';

/** The residents' writer thread on a real database file, beside the server's own connection. */

const file = useTempDatabase('intake-writer');
const { db } = await import('#platform/db.ts');
const { createDraft, findDraft, DraftAlreadySent } = await import('./drafts.repo.server.ts');
const { submitResidentReport } = await import('./intake.server.ts');
const { intakeWriterState, startIntakeWriter, stopIntakeWriter } = await import('./intake.writer.server.ts');
const { loadConfig } = await import('#platform/config.ts');
type ResidentSend = import('./intake.writer.server.ts').ResidentSend;

after(() => stopIntakeWriter());

const now = new Date('2026-03-02T10:00:00.000Z');
const lifetime = loadConfig({}).municipality.retention.draftHours;
// Created and migrated by the server's connection first, as at start.
db();
/** Another connection, as another process would read the file: it sees only what is committed. */
const reader = new Database(file, { readonly: true });
const stored = (): { reference: string; channel: string }[] =>
  reader.prepare('SELECT reference, channel FROM reports ORDER BY id').all() as { reference: string; channel: string }[];

function send(token: string): ResidentSend {
  const draft = findDraft(token, now);
  assert.ok(draft);
  return {
    report: residentReport(),
    now,
    draftTokenHash: draft.tokenHash,
    kept: { verstuurd: { anonymous: 'nee', email: 'ja' } },
  };
}

describe('intake writer thread', () => {
  test("stores a resident's report in a thread of its own and answers after the commit, with the draft marked as sent", async () => {
    const token = createDraft({}, now, lifetime);
    const { reference } = await submitResidentReport(send(token));
    const state = intakeWriterState();
    assert.equal(state.running, true, 'the thread runs');
    assert.notEqual(state.threadId, undefined);
    assert.equal(state.pending, 0);
    assert.deepEqual(stored(), [{ reference, channel: 'inwoner' }], 'committed when answered: another connection sees it');
    const draft = findDraft(token, now);
    assert.equal(draft?.submittedReference, reference);
    assert.deepEqual(draft?.answers, { verstuurd: { anonymous: 'nee', email: 'ja' } }, 'the answers wiped, what the thanks page needs kept');
    // Its e-mails are queued by the same transaction (coordinator and reporter), and its audit row written.
    const mails = reader.prepare('SELECT count(*) AS n FROM outbox WHERE report_id = (SELECT id FROM reports WHERE reference = ?)').get(reference) as { n: number };
    assert.equal(mails.n, 2);
    const audited = reader.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'melding_aangemaakt' AND object_id = ?").get(reference) as { n: number };
    assert.equal(audited.n, 1);
  });

  test('sends of one draft arriving together (a double click, two tabs) store one report; the others hear it was sent', async () => {
    const before = stored().length;
    const token = createDraft({}, now, lifetime);
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => submitResidentReport(send(token))));
    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal(fulfilled.length, 1);
    assert.equal(rejected.length, 2);
    for (const r of rejected) assert.ok(r.reason instanceof DraftAlreadySent, String(r.reason));
    assert.equal(stored().length, before + 1);
  });

  test('many sends at once: every one stored, each answered with its own reference', async () => {
    const before = stored().length;
    const tokens = Array.from({ length: 40 }, () => createDraft({}, now, lifetime));
    const results = await Promise.all(tokens.map((t) => submitResidentReport(send(t))));
    assert.equal(new Set(results.map((r) => r.reference)).size, 40);
    assert.equal(stored().length, before + 40);
    for (const [i, t] of tokens.entries()) assert.equal(findDraft(t, now)?.submittedReference, results[i]!.reference);
  });

  test('after the thread is stopped, a send starts it again; the server starts it ahead of the first send', async () => {
    await stopIntakeWriter();
    assert.equal(intakeWriterState().running, false);
    const { reference } = await submitResidentReport(send(createDraft({}, now, lifetime)));
    assert.equal(intakeWriterState().running, true);
    assert.ok(stored().some((r) => r.reference === reference));
    await stopIntakeWriter();
    assert.equal(startIntakeWriter(), true, 'started without a send (the background jobs at start)');
    const { threadId } = intakeWriterState();
    assert.equal(startIntakeWriter(), true);
    assert.equal(intakeWriterState().threadId, threadId, 'a second start is the same thread');
    await submitResidentReport(send(createDraft({}, now, lifetime)));
    assert.equal(intakeWriterState().threadId, threadId, 'and the sends go to it');
  });

  test('a send that cannot be copied to the thread is refused at once and leaves nothing pending', async () => {
    const bad = { ...send(createDraft({}, now, lifetime)), kept: { verstuurd: { anonymous: (() => 'nee') as unknown as string } } };
    await assert.rejects(submitResidentReport(bad));
    assert.equal(intakeWriterState().pending, 0);
  });

  test('a reference the thread finds taken is prepared again with a new one: the report, its mails and its draft carry the new one', async () => {
    /** crypto.randomInt (the reference's letters, drawn by the server's thread when it prepares a send) while `run` runs. */
    const withDraws = async <T>(values: () => number, run: () => Promise<T>): Promise<T> => {
      const original = crypto.randomInt;
      (crypto as { randomInt: unknown }).randomInt = () => values();
      syncBuiltinESMExports();
      try {
        return await run();
      } finally {
        crypto.randomInt = original;
        syncBuiltinESMExports();
      }
    };
    const first = await withDraws(() => 0, () => submitResidentReport(send(createDraft({}, now, lifetime))));
    assert.equal(first.reference, 'MB-AAAAAAAA');
    assert.equal(intakeWriterState().running, true, 'stored by the thread');
    // The first eight letters drawn give MB-AAAAAAAA again (taken), then MB-BBBBBBBB.
    let draw = 0;
    const token = createDraft({}, now, lifetime);
    const second = await withDraws(() => (draw++ < 8 ? 0 : 1), () => submitResidentReport(send(token)));
    assert.equal(second.reference, 'MB-BBBBBBBB');
    assert.equal(findDraft(token, now)?.submittedReference, 'MB-BBBBBBBB');
    const count = (reference: string) =>
      reader.prepare('SELECT count(*) AS n FROM reports WHERE reference = ?').pluck().get(reference) as number;
    assert.equal(count('MB-AAAAAAAA'), 1, 'the first report untouched');
    assert.equal(count('MB-BBBBBBBB'), 1);
    const mails = reader.prepare('SELECT count(*) FROM outbox WHERE report_id = (SELECT id FROM reports WHERE reference = ?)').pluck().get('MB-BBBBBBBB');
    assert.equal(mails, 2, 'its mails, once');
  });

  // Last: from here on sends stay on this thread.
  test('sends the thread still holds when it stops (a shutdown past its time-out) are stored on this thread, none twice', async () => {
    const tokens = Array.from({ length: 20 }, () => createDraft({}, now, lifetime));
    const before = stored().length;
    let settled = 0;
    const outcomes = Promise.allSettled(tokens.map((t) => submitResidentReport(send(t)).finally(() => settled++)));
    // Let the sends reach the writer module (a dynamic import first), then stop the thread without waiting. On a
    // busy machine the thread may have answered some already: those count as arrived (waiting for all twenty
    // to be pending then never ended).
    while (intakeWriterState().pending + settled < tokens.length) await new Promise((resolve) => setImmediate(resolve));
    await stopIntakeWriter(0);
    for (const o of await outcomes) {
      // Stored here, or by the thread before it stopped (then its draft is sent: the resident sees the confirmation).
      if (o.status === 'rejected') assert.ok(o.reason instanceof DraftAlreadySent, String(o.reason));
    }
    assert.equal(stored().length, before + tokens.length, 'every send stored once');
    for (const t of tokens) assert.ok(findDraft(t, now)?.submittedReference);
    assert.equal(intakeWriterState().running, false, 'no new thread after one stopped with sends in hand');
    const { reference } = await submitResidentReport(send(createDraft({}, now, lifetime)));
    assert.ok(stored().some((r) => r.reference === reference), 'stored on this thread');
  });
});
