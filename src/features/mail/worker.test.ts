// The mail worker follows the clock it is given (the server's, which tests move): due times,
// retries and dead letters, with a sender that records instead of sending.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

useTempDatabase('mail-worker');
const { recordReport } = await import('#features/intake/intake.server.ts');
const { flushOutbox, renderWith } = await import('./worker.server.ts');
const { config } = await import('#platform/config.ts');
const { reviveDeadLetter } = await import('./outbox.repo.server.ts');
const { db } = await import('#platform/db.ts');
type MailWorker = import('./worker.server.ts').MailWorker;
type OutgoingMail = import('./transport.server.ts').OutgoingMail;

const HOUR = 3_600_000;
type Row = { id: number; state: string; attempts: number; nextAttemptAt: string; sentAt: string | null; lastError: string | null };
const rows = (): Row[] =>
  db().prepare('SELECT id, state, attempts, next_attempt_at AS nextAttemptAt, sent_at AS sentAt, last_error AS lastError FROM outbox ORDER BY id').all() as Row[];

/** A report stored at `at` (a coordinators' notification in the outbox, due then). */
function reportAt(at: Date): void {
  recordReport(
    // The smallest report there is: passed on to 112 by the KCC (time, channel, nothing else).
    { channel: 'kcc', status: 'acuut_doorgezet', acuteDanger: true, anonymous: false, concerns: [], involved: [], captchaStatus: 'niet_van_toepassing' },
    { now: at },
  );
}

function worker(now: Date, send: (mail: OutgoingMail) => Promise<void>): MailWorker {
  return { send, render: renderWith(config()), now: () => now, mailFrom: 'Meldpunt <noreply@test.example>', retryBaseMs: 1000, pollMs: 1000 };
}

test('mail stored at a moved clock goes out when the worker is given that clock, not before', async () => {
  const moved = new Date(Date.now() + 9 * HOUR);
  reportAt(moved);
  const sent: OutgoingMail[] = [];
  const record = async (mail: OutgoingMail) => void sent.push(mail);
  // The real time: not due yet.
  assert.equal(await flushOutbox(worker(new Date(), record)), 0);
  assert.equal(rows().at(-1)!.state, 'pending');
  // The moved clock: due, sent, and marked sent at that time.
  assert.equal(await flushOutbox(worker(moved, record)), 1);
  assert.equal(sent[0]!.from, 'Meldpunt <noreply@test.example>');
  const row = rows().at(-1)!;
  assert.equal(row.state, 'sent');
  assert.equal(row.sentAt, moved.toISOString());
});

test('a temporary failure is retried after the backoff on the given clock; a permanent one is a dead letter', async () => {
  const at = new Date(Date.now() + 20 * HOUR);
  reportAt(at);
  const id = rows().at(-1)!.id;
  const temporary = Object.assign(new Error('try later'), { responseCode: 451 });
  assert.equal(await flushOutbox(worker(at, async () => { throw temporary; })), 0);
  let row = rows().find((r) => r.id === id)!;
  assert.equal(row.state, 'pending');
  assert.equal(row.attempts, 1);
  // First retry after the base delay (1 s here), ±20 % jitter.
  const delay = new Date(row.nextAttemptAt).getTime() - at.getTime();
  assert.ok(delay >= 800 && delay <= 1200, `retry after ${delay} ms`);

  const later = new Date(at.getTime() + 2000);
  const permanent = Object.assign(new Error('mailbox unavailable for kees@example.nl'), { responseCode: 550 });
  assert.equal(await flushOutbox(worker(later, async () => { throw permanent; })), 0);
  row = rows().find((r) => r.id === id)!;
  assert.equal(row.state, 'dead');
  assert.equal(row.lastError, '550');

  // The admin's retry puts it back, due at the time given.
  assert.equal(reviveDeadLetter(id, later), true);
  assert.equal(reviveDeadLetter(id, later), false);
  row = rows().find((r) => r.id === id)!;
  assert.deepEqual([row.state, row.attempts, row.nextAttemptAt], ['pending', 0, later.toISOString()]);
});

test('SMTP errors keep their codes only: no names, streets or addresses that a server echoes', async () => {
  const { describeError } = await import('./worker.server.ts');
  const echoed = Object.assign(new Error("Can't send mail - all recipients were rejected: 550 5.1.1 <j.de.vries@example.nl>: Jan de Vries, Dorpsstraat 12 unknown"), {
    code: 'EENVELOPE',
    responseCode: 550,
    response: '550 5.1.1 <j.de.vries@example.nl>: Jan de Vries, Dorpsstraat 12 unknown',
  });
  assert.equal(describeError(echoed), 'EENVELOPE 550 5.1.1');
  assert.equal(describeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' })), 'ESOCKET');
  assert.equal(describeError(new Error('Jan de Vries')), 'onbekende fout');
  assert.equal(describeError('Dorpsstraat 12'), 'onbekende fout');
});

test('a batch is bounded by time: under a hanging SMTP server the rest goes back to the queue untouched', async (t) => {
  const { BATCH_MS } = await import('./worker.server.ts');
  const at = new Date(Date.now() + 40 * HOUR);
  // Whatever earlier tests left due goes out first.
  await flushOutbox(worker(at, async () => {}));
  for (let n = 0; n < 3; n++) reportAt(at);
  const ids = rows().slice(-3).map((r) => r.id);
  // Real time runs on: the first send "hangs" past the batch's time.
  t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
  let tried = 0;
  const sent = await flushOutbox(worker(at, async () => {
    tried++;
    t.mock.timers.tick(BATCH_MS + 1000);
  }));
  t.mock.timers.reset();
  assert.equal(tried, 1);
  assert.equal(sent, 1);
  const after = rows().filter((r) => ids.includes(r.id));
  assert.deepEqual(after.map((r) => [r.state, r.attempts]), [['sent', 1], ['pending', 0], ['pending', 0]]);
  const leased = db().prepare(`SELECT count(*) AS n FROM outbox WHERE leased_until IS NOT NULL AND id IN (${ids.join(',')})`).get() as { n: number };
  assert.equal(leased.n, 0);
});

test('a temporary failure is retried until the mail goes out, however long the mail server is away: at most an hour apart', async () => {
  let at = new Date(Date.now() + 40 * HOUR);
  reportAt(at);
  const id = rows().at(-1)!.id;
  const down = async () => {
    throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' });
  };
  // Three days of a mail server that cannot be reached: the mail keeps waiting, never a dead letter.
  for (let attempt = 1; attempt <= 80; attempt++) {
    assert.equal(await flushOutbox(worker(at, down)), 0);
    const row = rows().find((r) => r.id === id)!;
    assert.deepEqual([row.state, row.attempts], ['pending', attempt]);
    const wait = new Date(row.nextAttemptAt).getTime() - at.getTime();
    assert.ok(wait <= 1.2 * HOUR, `attempt ${attempt}: next after ${wait} ms`);
    at = new Date(row.nextAttemptAt);
  }
  // Back up: it goes out (with whatever else of the earlier tests waited).
  assert.ok((await flushOutbox(worker(at, async () => undefined))) >= 1);
  assert.equal(rows().find((r) => r.id === id)!.state, 'sent');
});

test('dead letters stored with a server text before errors were kept as codes show their codes only', async () => {
  const { deadLetters } = await import('./outbox.repo.server.ts');
  const { storedErrorCodes } = await import('./smtp-errors.rules.ts');
  assert.equal(storedErrorCodes('EENVELOPE 550 5.1.1 <[adres]>: Jan de Vries, Dorpsstraat 12 unknown'), 'EENVELOPE 550 5.1.1');
  assert.equal(storedErrorCodes('mailbox of Jan de Vries is full'), 'onbekende fout');
  const at = new Date(Date.now() + 60 * HOUR);
  reportAt(at);
  const id = rows().at(-1)!.id;
  db().prepare(`UPDATE outbox SET state = 'dead', last_error = ? WHERE id = ?`).run('EENVELOPE 550 mailbox unavailable for Jan de Vries, Dorpsstraat 12', id);
  assert.equal(deadLetters(500).find((d) => d.id === id)!.lastError, 'EENVELOPE 550');
});

test('more mail than one batch: every mail is sent once and marked sent', async () => {
  const at = new Date(Date.now() + 90 * HOUR);
  // What the tests above left due by then goes first.
  await flushOutbox(worker(at, async () => {}));
  const before = rows().length;
  // Each report queues one notification: 120 of them are more than two batches.
  for (let i = 0; i < 120; i++) reportAt(at);
  const sent: string[] = [];
  assert.equal(await flushOutbox(worker(at, async (mail) => void sent.push(mail.messageId))), 120);
  assert.equal(new Set(sent).size, 120);
  const mine = rows().slice(before);
  assert.equal(mine.length, 120);
  assert.deepEqual(new Set(mine.map((r) => r.state)), new Set(['sent']));
  assert.ok(mine.every((r) => r.sentAt === at.toISOString()));
  // Nothing is left to send: a second run finds no mail.
  assert.equal(await flushOutbox(worker(at, async (mail) => void sent.push(mail.messageId))), 0);
  assert.equal(sent.length, 120);
});

test('a claim that fails does not undo the outcomes of the batch before it: mail that went out is recorded as sent', async () => {
  const at = new Date(Date.now() + 120 * HOUR);
  await flushOutbox(worker(at, async () => {}));
  const before = rows().length;
  for (let i = 0; i < 60; i++) reportAt(at);
  const mine = rows().slice(before);
  // The last mail cannot be opened (its recipient sealed for another row): claiming the second batch fails.
  db().prepare('UPDATE outbox SET recipient = (SELECT recipient FROM outbox WHERE id = ?) WHERE id = ?').run(mine[0]!.id, mine.at(-1)!.id);
  const sent: string[] = [];
  await assert.rejects(flushOutbox(worker(at, async (mail) => void sent.push(mail.messageId))));
  assert.equal(sent.length, 50);
  const after = rows().slice(before);
  assert.equal(after.filter((r) => r.state === 'sent').length, 50);
  assert.equal(after.filter((r) => r.state === 'pending').length, 10);
  db().prepare(`UPDATE outbox SET state = 'dead' WHERE id = ?`).run(mine.at(-1)!.id);
});
