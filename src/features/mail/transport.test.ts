// The embedded default without an SMTP server: every mail an .eml file in MAIL_DIR.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '#tests/support/unit-db.ts';
import { loadConfig } from '#platform/config.ts';
import { createSender, type OutgoingMail } from './transport.server.ts';

const mail = (n: number): OutgoingMail => ({
  from: 'Meldpunt <noreply@test.example>',
  to: 'melder@test.example',
  subject: `Uw melding ${n}`,
  text: 'Wij hebben uw melding ontvangen.',
  html: '<p>Wij hebben uw melding ontvangen.</p>',
  messageId: `<mail-${n}@test.example>`,
});

test('without SMTP every mail is an .eml file in MAIL_DIR; a folder removed meanwhile is made again', async () => {
  const dir = path.join(tempDir('mail-files'), 'mail');
  const send = createSender(loadConfig({ MAIL_DIR: dir }));
  await send(mail(1));
  await send(mail(2));
  const files = () => readdirSync(dir).filter((f) => f.endsWith('.eml'));
  assert.equal(files().length, 2);
  const first = readFileSync(path.join(dir, files().find((f) => f.includes('mail-1'))!), 'utf8');
  assert.match(first, /^Message-ID: <mail-1@test\.example>$/m);
  assert.match(first, /^To: melder@test\.example$/m);
  rmSync(dir, { recursive: true });
  await send(mail(3));
  assert.deepEqual(files().map((f) => f.includes('mail-3')), [true]);
});

test('a folder that could not be made is tried again with the next mail; no partial file is left', async () => {
  const base = tempDir('mail-blocked');
  const blocker = path.join(base, 'blocker');
  writeFileSync(blocker, 'not a folder');
  const dir = path.join(blocker, 'mail');
  const send = createSender(loadConfig({ MAIL_DIR: dir }));
  await assert.rejects(send(mail(4)));
  rmSync(blocker);
  await send(mail(5));
  assert.deepEqual(readdirSync(dir).map((f) => f.endsWith('.eml')), [true]);
});

test('a mail to an address outside ASCII goes through nodemailer\'s composer and is written whole', async () => {
  const dir = path.join(tempDir('mail-idn'), 'mail');
  const send = createSender(loadConfig({ MAIL_DIR: dir }));
  await send({ ...mail(6), to: 'melder@bücher.test' });
  const [file] = readdirSync(dir).filter((f) => f.endsWith('.eml'));
  const text = readFileSync(path.join(dir, file!), 'utf8');
  assert.match(text, /^Message-ID: <mail-6@test\.example>\r$/m);
  assert.match(text, /^To: melder@(bücher|xn--bcher-kva)\.test\r$/m);
  assert.match(text, /^Subject: Uw melding 6\r$/m);
});

test('over SMTP the mails of a run share one connection; after release the next mail opens a new one', async () => {
  const { SMTPServer } = await import('smtp-server');
  let connections = 0;
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onConnect: (_session, callback) => {
      connections++;
      callback();
    },
    onData: (stream, _session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  try {
    const send = createSender(loadConfig({ SMTP_URL: `smtp://127.0.0.1:${port}` }));
    for (let n = 1; n <= 5; n++) await send(mail(n));
    assert.equal(received.length, 5);
    assert.equal(connections, 1, 'five mails, one connection');
    assert.ok(send.release, 'an SMTP sender can be released');
    send.release();
    await send(mail(6));
    assert.equal(connections, 2, 'a new connection for the next run');
    assert.match(received[5]!, /^Message-ID: <mail-6@test\.example>\r$/m);
    send.release();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
