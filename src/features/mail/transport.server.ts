import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { AppConfig } from '#platform/config.ts';
import { buildMime, type MimeMail } from './mime.rules.ts';

/** One mail as the worker hands it over: one sender, one recipient, a subject, a text and an HTML version. */
export type OutgoingMail = MimeMail;

/**
 * Sends one mail or throws (nodemailer's errors carry `code` and, from the server, `responseCode`).
 * `release`, when there is one, ends a run of sends: the SMTP connection they shared is closed.
 */
export type SendMail = ((mail: OutgoingMail) => Promise<void>) & { release?: () => void };

/** SMTP options from `SMTP_URL`: smtp:// (STARTTLS when offered) or smtps://, optional user:pass. */
export function smtpOptions(smtpUrl: string, requireTLS: boolean) {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: requireTLS || url.searchParams.get('requireTLS') === 'true',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    // Certificates are always checked; a worker must not hang for nodemailer's default two minutes.
    tls: { rejectUnauthorized: true },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}

/** A multipart boundary: random, so no line of a body can be mistaken for it. */
const boundary = () => `=_mb_${randomUUID()}`;

/**
 * The mail as nodemailer's `sendMail` takes it: a message built in one pass (mime.rules.ts) with its
 * envelope, or, for an address outside ASCII, the parts for nodemailer's composer.
 */
function prepared(mail: OutgoingMail): Mail.Options {
  const built = buildMime(mail, new Date(), boundary());
  return built ? { envelope: built.envelope, raw: built.message, messageId: mail.messageId } : mail;
}

/**
 * Without an SMTP server, every mail becomes an .eml file in MAIL_DIR (the embedded default). Written
 * asynchronously: creating a file in a folder of thousands takes the file system a while, and the
 * mail worker shares the server's thread with the requests (measured under load: a synchronous write was
 * about a tenth of that thread's time). Written under a temporary name and then renamed, so an .eml file
 * is always whole. The folder is made before the first mail and again when it has gone since; a folder
 * that could not be made is tried again with the next mail.
 */
function fileTransport(dir: string): SendMail {
  // Only for a mail buildMime leaves to nodemailer's composer.
  let composer: Transporter | undefined;
  const message = async (mail: OutgoingMail): Promise<string | Buffer> => {
    const options = prepared(mail);
    if (typeof options.raw === 'string') return options.raw;
    composer ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    return ((await composer.sendMail(options)) as { message: Buffer }).message;
  };
  let folder: Promise<unknown> | undefined;
  const makeFolder = (): Promise<unknown> =>
    (folder = mkdir(dir, { recursive: true }).catch((error: unknown) => {
      folder = undefined;
      throw error;
    }));
  return async (mail) => {
    const content = await message(mail);
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^a-zA-Z0-9-]/g, '').slice(0, 40)}.eml`;
    const file = path.join(dir, name);
    const partial = `${file}.tmp`;
    await (folder ?? makeFolder());
    try {
      await writeFile(partial, content);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await makeFolder();
      await writeFile(partial, content);
    }
    await rename(partial, file);
  };
}

/**
 * Over SMTP the mails of one run of the worker share one connection (nodemailer's pool, one connection, a
 * new one after 100 mails): a connection per mail cost a TCP handshake, the greeting, EHLO and STARTTLS for
 * every mail, so that after a busy hour the coordinators' notifications came in at a few a second. The
 * worker calls `release` when its run has sent what was due: the connection is closed, none stays open
 * between runs (and `mail:flush` can end).
 */
export function createSender(cfg: AppConfig): SendMail {
  const smtpUrl = cfg.smtpUrl;
  if (!smtpUrl) return fileTransport(cfg.mailDir);
  let pool: Transporter | undefined;
  const send: SendMail = async (mail) => {
    pool ??= nodemailer.createTransport({ ...smtpOptions(smtpUrl, cfg.smtpRequireTls), pool: true, maxConnections: 1, maxMessages: 100 });
    await pool.sendMail(prepared(mail));
  };
  send.release = () => {
    pool?.close();
    pool = undefined;
  };
  return send;
}
