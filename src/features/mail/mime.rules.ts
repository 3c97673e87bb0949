import addressparser from 'nodemailer/lib/addressparser';
import { encodeWord, encodeWords, foldLines, quoteString } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';

/**
 * The portal's mails as RFC 5322 text, built in one pass (issue 16). nodemailer's composer builds a tree
 * of streams per mail: 0.7–0.9 ms of the server's thread for a mail of 3 KB, two mails per report, as much
 * as storing the report. Every mail the portal sends has the same shape (a subject, a plain text and an
 * HTML version, one sender, one recipient), so it is written here with nodemailer's own encoders
 * (quoted-printable, encoded words, header folding) and handed to nodemailer's transport as a ready
 * message (`raw`); the .eml files of the embedded default are the same bytes.
 *
 * Addresses with characters outside ASCII (an international domain) are left to nodemailer's composer,
 * which knows punycode and the SMTPUTF8 rules: `buildMime` returns `undefined` for them.
 */

export interface MimeMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface BuiltMime {
  /** The message, lines ending in CRLF. */
  message: string;
  /** The SMTP envelope: the bare addresses. */
  envelope: { from: string; to: string[] };
}

const CRLF = '\r\n';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Control characters and DEL: a header cannot carry them as they are. */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/** One mailbox (`Name <address>` or `address`) as a header value; undefined when it is not one plain ASCII mailbox. */
function mailbox(value: string): { header: string; address: string } | undefined {
  const parsed = addressparser(value);
  const first = parsed.length === 1 ? parsed[0] : undefined;
  if (!first || first.group !== undefined || !first.address || !PRINTABLE_ASCII.test(first.address) || /[\s<>"]/.test(first.address)) return undefined;
  const name = first.name.trim();
  if (!name) return { header: first.address, address: first.address };
  // As nodemailer writes a name: letters, digits and spaces as they are; other ASCII quoted; the rest (accents,
  // a tab, a control character) as one encoded word.
  const phrase = /^[\w ]*$/.test(name) ? name : PRINTABLE_ASCII.test(name) ? quoteString(name) : encodeWord(name, 'Q', 52);
  return { header: `${phrase} <${first.address}>`, address: first.address };
}

/** The sender is the same for every mail: parsed once (addressparser was a third of building a mail, issue 16). */
let lastSender: { value: string; parsed: ReturnType<typeof mailbox> } | undefined;
function senderMailbox(value: string): ReturnType<typeof mailbox> {
  if (lastSender?.value !== value) lastSender = { value, parsed: mailbox(value) };
  return lastSender.parsed;
}

/**
 * The subject as nodemailer writes it: a line break becomes a space (it would end the header and could start
 * another); with another control character the whole subject is one encoded word; otherwise from the first
 * word that needs it to the last, as encoded words.
 */
function subjectValue(subject: string): string {
  const value = subject.replace(/[\r\n]+/g, ' ');
  return CONTROL.test(value) ? encodeWord(value, 'Q', 52) : encodeWords(value, 'Q', 52, true);
}

/** A header line, folded at 76 characters. */
const header = (name: string, value: string) => foldLines(`${name}: ${value}`, 76);

/** A text as quoted-printable UTF-8 with CRLF line ends. */
const quotedPrintable = (text: string) => qpWrap(qpEncode(Buffer.from(text.replace(/\r?\n/g, CRLF), 'utf8')), 76);

/**
 * The mail as multipart/alternative (plain text, then HTML, both UTF-8 quoted-printable). `boundary` and
 * `date` come from the caller (random and the clock), so the same input gives the same bytes.
 */
export function buildMime(mail: MimeMail, date: Date, boundary: string): BuiltMime | undefined {
  const from = senderMailbox(mail.from);
  const to = mailbox(mail.to);
  if (!from || !to || !/^<[\x21-\x7e]+>$/.test(mail.messageId)) return undefined;
  const part = (type: string, body: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: quoted-printable', '', quotedPrintable(body)].join(CRLF);
  const message = [
    header('From', from.header),
    header('To', to.header),
    header('Subject', subjectValue(mail.subject)),
    header('Message-ID', mail.messageId),
    header('Date', date.toUTCString().replace(/GMT$/, '+0000')),
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"`,
    '',
    part('text/plain', mail.text),
    part('text/html', mail.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
  return { message, envelope: { from: from.address, to: [to.address] } };
}
