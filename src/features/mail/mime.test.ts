// The one-pass MIME builder against nodemailer's composer: a mail client reads the same mail from both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { buildMime, type MimeMail } from './mime.rules.ts';

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

const base: MimeMail = {
  from: 'Meldpunt Bezorgd <noreply@gemeente.test>',
  to: 'melder@voorbeeld.test',
  subject: 'Bevestiging van uw melding MB-7K3Q9XPA',
  text: 'Beste melder,\n\nWij hebben uw melding goed ontvangen.\n',
  html: '<!doctype html><html lang="nl"><body><p>Beste melder,</p><p>Wij hebben uw melding goed ontvangen.</p></body></html>',
  messageId: '<42.abcdef@meldpunt.test>',
};

const firstAddress = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0];

function readable(mail: ParsedMail) {
  return {
    from: firstAddress(mail.from),
    to: firstAddress(mail.to),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
  };
}

const cases: [string, MimeMail][] = [
  ['plain ASCII', base],
  [
    'accents in the sender name, subject and bodies, long lines, a long subject',
    {
      ...base,
      from: 'Meldpunt Bezorgd gemeente Súdwest-Fryslân <noreply@gemeente.test>',
      subject: `Uw melding MB-7K3Q9XPA is afgehandeld door het Meldpunt Bezorgd van de gemeente Súdwest-Fryslân (coördinatie)`,
      text: `Beste melder,\n\n${'Wij hebben uw melding over de zorgen om een bewoner van de Ürümqi-straat goed ontvangen en gaan ermee aan de slag. '.repeat(4)}\n\nMet vriendelijke groet,\nMeldpunt Bezorgd, gemeente Súdwest-Fryslân\n`,
      html: `<p>${'Coördinator: één melding — “aanhalingstekens” & <tekens>. '.repeat(6)}</p>`,
    },
  ],
  ['a name with a comma and quotes', { ...base, from: '"Gemeente Leek, Meldpunt \\"Bezorgd\\"" <noreply@gemeente.test>' }],
  ['a text that looks like a boundary or a dot line', { ...base, text: '--\n.\n..\n=3D=\nregel met spatie aan het eind   \n' }],
  ['a tab in the sender name, a control character in the subject', { ...base, from: '"Gemeente Leek,\tMeldpunt" <noreply@gemeente.test>', subject: 'Uw melding\u0007 ontvangen' }],
];

for (const [name, mail] of cases) {
  test(`buildMime: ${name} reads the same as nodemailer's composer`, async () => {
    const built = buildMime(mail, new Date('2026-11-30T10:00:00Z'), '=_mb_test');
    assert.ok(built);
    const ours = readable(await simpleParser(built.message));
    const theirs = readable(await simpleParser(((await composer.sendMail(mail)) as { message: Buffer }).message));
    assert.deepEqual(ours, theirs);
    assert.equal(ours.subject, mail.subject);
    assert.equal(ours.messageId, mail.messageId);
    assert.equal(ours.text?.replace(/\r\n/g, '\n'), mail.text);
    assert.equal(ours.html, mail.html);
    assert.deepEqual(built.envelope, { from: 'noreply@gemeente.test', to: ['melder@voorbeeld.test'] });
    // RFC 5322: lines of at most 78 characters here (998 at most), CRLF only, ASCII only.
    const lines = built.message.split('\r\n');
    assert.ok(lines.every((l) => l.length <= 78), lines.find((l) => l.length > 78));
    assert.doesNotMatch(built.message.replace(/\r\n/g, ''), /[\r\n]/);
    assert.match(built.message, /^[\x00-\x7f]*$/);
    assert.match(built.message, /^Date: Mon, 30 Nov 2026 10:00:00 \+0000\r$/m);
  });
}

test('buildMime: a sender name that looks like an encoded word stays in quotes, as nodemailer writes it', () => {
  const built = buildMime({ ...base, from: '"=?UTF-8?Q?Nep?=" <noreply@gemeente.test>' }, new Date(), '=_mb_test');
  assert.match(built?.message ?? '', /^From: "=\?UTF-8\?Q\?Nep\?=" <noreply@gemeente\.test>\r$/m);
});

test('buildMime: a line break in a subject cannot add a header', async () => {
  const built = buildMime({ ...base, subject: 'Uw melding\r\nBcc: iemand@elders.test' }, new Date(), '=_mb_test');
  assert.ok(built);
  const parsed = await simpleParser(built.message);
  assert.equal(parsed.bcc, undefined);
  assert.equal(parsed.subject, 'Uw melding Bcc: iemand@elders.test');
});

test('buildMime leaves what it does not build to nodemailer: an address outside ASCII, two recipients, no address', () => {
  assert.equal(buildMime({ ...base, to: 'melder@bücher.test' }, new Date(), 'b'), undefined);
  assert.equal(buildMime({ ...base, to: 'a@voorbeeld.test, b@voorbeeld.test' }, new Date(), 'b'), undefined);
  assert.equal(buildMime({ ...base, from: 'Meldpunt' }, new Date(), 'b'), undefined);
  assert.equal(buildMime({ ...base, messageId: 'geen haakjes' }, new Date(), 'b'), undefined);
});
