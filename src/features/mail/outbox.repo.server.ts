import { randomUUID } from 'node:crypto';
import { db } from '#platform/db.ts';
import { fieldsOf, resealed, type ResealBatch } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';
import type { MailContent } from './templates.rules.ts';
import { CONTACT_KINDS, parseMailParams, SEALED_BODY_KINDS, SEALED_PARAM_KINDS, storedMailParams, type MailParams, type OutboxKind } from './outbox.schema.ts';
import { storedErrorCodes } from './smtp-errors.rules.ts';

export type { OutboxKind };
export type OutboxState = 'pending' | 'sent' | 'dead';

/**
 * A mail claimed for sending: what to render it from, or (queued before migration 0021) what was rendered
 * then; `unreadable` when its stored parameters do not open or fit its kind (it can never be sent).
 */
export interface OutboxMail {
  id: number;
  kind: OutboxKind;
  recipient: string;
  content: { params: MailParams } | { rendered: MailContent } | { unreadable: true };
  messageId: string;
  attempts: number;
}

interface DueRow {
  id: number;
  kind: OutboxKind;
  recipient: string;
  params: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  messageId: string;
  attempts: number;
}

const kindList = (kinds: readonly OutboxKind[]) => kinds.map((k) => `'${k}'`).join(', ');
/** A mail to a reporter or police contact (its recipient is their contact detail), as an SQL condition. */
const IS_CONTACT_MAIL = `kind IN (${kindList(CONTACT_KINDS)})`;

const statements = lazy(() => {
  const d = db();
  return {
    insert: d.prepare(`
      INSERT INTO outbox (kind, report_id, recipient, params, message_id, next_attempt_at, created_at)
      VALUES (@kind, @reportId, @recipient, @params, @messageId, @now, @now)`),
    due: d.prepare(`
      SELECT id, kind, recipient, params, subject, text_body AS text, html_body AS html, message_id AS messageId, attempts
      FROM outbox WHERE state = 'pending' AND next_attempt_at <= @now AND (leased_until IS NULL OR leased_until <= @now)
      ORDER BY next_attempt_at, id LIMIT @limit`),
    lease: d.prepare(`
      UPDATE outbox SET attempts = attempts + 1, leased_until = @until
      WHERE id = @id AND state = 'pending' AND (leased_until IS NULL OR leased_until <= @now)`),
    unsent: d.prepare(`UPDATE outbox SET attempts = max(attempts - 1, 0), leased_until = NULL WHERE id = ? AND state = 'pending'`),
    releaseAll: d.prepare(`UPDATE outbox SET leased_until = NULL WHERE state = 'pending' AND leased_until IS NOT NULL`),
    sent: d.prepare(`
      UPDATE outbox SET state = 'sent', sent_at = ?, last_error = NULL, leased_until = NULL,
        recipient = CASE WHEN ${IS_CONTACT_MAIL} THEN '' ELSE recipient END,
        params = CASE WHEN kind IN (${kindList(SEALED_PARAM_KINDS)}) AND params IS NOT NULL THEN '' ELSE params END,
        text_body = CASE WHEN kind IN (${kindList(SEALED_BODY_KINDS)}) AND text_body IS NOT NULL THEN '' ELSE text_body END,
        html_body = CASE WHEN kind IN (${kindList(SEALED_BODY_KINDS)}) AND html_body IS NOT NULL THEN '' ELSE html_body END
      WHERE id = ?`),
    retry: d.prepare(`UPDATE outbox SET next_attempt_at = ?, last_error = ?, leased_until = NULL WHERE id = ?`),
    dead: d.prepare(`UPDATE outbox SET state = 'dead', last_error = ?, leased_until = NULL WHERE id = ?`),
    // A mail whose address was wiped (retention) has no one to go to: it stays a dead letter.
    revive: d.prepare(`UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ? AND state = 'dead' AND recipient <> ''`),
    counts: d.prepare(`SELECT state, count(*) AS n FROM outbox GROUP BY state`),
    deadLetters: d.prepare(`
      SELECT o.id, o.kind, r.reference, o.attempts, o.last_error AS lastError, o.created_at AS createdAt
      FROM outbox o LEFT JOIN reports r ON r.id = o.report_id
      WHERE o.state = 'dead' ORDER BY o.id DESC LIMIT ? OFFSET ?`),
    health: d.prepare(`
      SELECT count(*) FILTER (WHERE state = 'dead') AS dead,
             count(*) FILTER (WHERE state = 'pending' AND created_at < ?) AS late
      FROM outbox WHERE state IN ('dead', 'pending')`),
    batch: d.prepare('SELECT id, kind, message_id AS messageId, recipient, params, text_body AS text, html_body AS html FROM outbox WHERE id > ? ORDER BY id LIMIT ?'),
    reseal: d.prepare('UPDATE outbox SET recipient = ?, params = ?, text_body = ?, html_body = ? WHERE id = ?'),
    nextDue: d.prepare(`SELECT min(max(next_attempt_at, coalesce(leased_until, ''))) AS at FROM outbox WHERE state = 'pending'`),
  };
});

/**
 * Recipients are sealed at rest (spec §8), for the mail's Message-ID: kept for dead letters, they name reporters.
 * The parameters of mails with a secret (SEALED_PARAM_KINDS: a one-time link, the police's registration
 * number) are sealed too, and emptied once sent; so are the bodies of such mail queued before migration 0021
 * (SEALED_BODY_KINDS).
 */
const fields = fieldsOf('outbox');

const sealsParams = (kind: OutboxKind) => SEALED_PARAM_KINDS.includes(kind);
const sealsBody = (kind: OutboxKind) => SEALED_BODY_KINDS.includes(kind);

/** A mail to queue: its kind's parameters (MAIL_PARAMS), the recipient, and the report it belongs to. */
export type QueuedMail = MailParams & { recipient: string; reportId?: number | undefined };

/** The host name per portal address, parsed once (parsing it for every mail was about 1 % of the writer thread's time). */
const hosts = new Map<string, string>();

/**
 * A mail's Message-ID, stable per mail, so a retried mail is recognisably the same: the moment it was queued
 * (milliseconds, 13 digits until the year 2286), a random UUID, and the portal's host name. The moment comes
 * first so that the unique index on `message_id` grows at its end: with a random UUID first, each of a
 * report's two mails wrote a leaf page of its own there, 7.8 of the 59 pages a group commit wrote (issue 16;
 * measured on the WAL of 3,000 residents' sends). The UUID alone keeps it unique.
 */
export function messageIdFor(publicUrl: string, now: Date): string {
  let host = hosts.get(publicUrl);
  if (host === undefined) hosts.set(publicUrl, (host = new URL(publicUrl).hostname));
  return `<${String(Math.max(0, now.getTime())).padStart(13, '0')}.${randomUUID()}@${host}>`;
}

/**
 * Queues a mail: its kind and parameters, rendered by the worker when it sends it. Call inside the
 * transaction that writes the report, so both commit or neither.
 */
export function enqueueMail(mail: QueuedMail, publicUrl: string, now: Date): void {
  insertPreparedMail(prepareMail(mail, publicUrl, now), mail.reportId);
}

/**
 * A queued mail's row ready to insert, its recipient (and parameters, where they are sealed) encrypted for
 * its Message-ID: prepared apart from the insert, like a report (reports.repo.server.ts `prepareReport`), so
 * the thread that takes the request can do the encryption. A plain object: it can be posted to another thread.
 */
export interface PreparedMail {
  kind: MailParams['kind'];
  recipient: string | null;
  params: string | null;
  messageId: string;
  now: string;
}

export function prepareMail(mail: QueuedMail, publicUrl: string, now: Date): PreparedMail {
  const messageId = messageIdFor(publicUrl, now);
  const { recipient, reportId: _reportId, ...params } = mail;
  const stored = storedMailParams(params as MailParams);
  return {
    kind: mail.kind,
    recipient: fields.seal('recipient', messageId, recipient),
    params: sealsParams(mail.kind) ? fields.seal('params', messageId, stored) : stored,
    messageId,
    now: now.toISOString(),
  };
}

/** Queues a prepared mail, about report `reportId` when it has one; inside the transaction that writes the report. */
export function insertPreparedMail(mail: PreparedMail, reportId: number | undefined): void {
  statements().insert.run({ ...mail, reportId: reportId ?? null });
}

/** What a claimed row is sent from: its parameters (opened and checked), or the bodies it was queued with before 0021. */
function contentOf(row: DueRow): OutboxMail['content'] {
  if (row.params !== null) {
    try {
      return { params: parseMailParams(row.kind, (sealsParams(row.kind) ? fields.open('params', row.messageId, row.params) : row.params) ?? '') };
    } catch {
      return { unreadable: true };
    }
  }
  const open = (column: 'text_body' | 'html_body', stored: string | null) => (sealsBody(row.kind) ? (fields.open(column, row.messageId, stored) ?? '') : (stored ?? ''));
  return { rendered: { subject: row.subject ?? '', text: open('text_body', row.text), html: open('html_body', row.html) } };
}

/**
 * Takes up to `limit` due mails for sending. Each is leased until `leaseUntil`: if this process dies
 * while sending, the mail becomes due again then. Another process (mail:flush) skips leased rows.
 */
export function claimDueMail(now: Date, leaseUntil: Date, limit: number): OutboxMail[] {
  const s = statements();
  return db().transaction(() => {
    const at = now.toISOString();
    const rows = s.due.all({ now: at, limit }) as DueRow[];
    return rows.filter((row) => s.lease.run({ until: leaseUntil.toISOString(), id: row.id, now: at }).changes === 1)
      .map((row): OutboxMail => ({
        id: row.id,
        kind: row.kind,
        recipient: fields.open('recipient', row.messageId, row.recipient) ?? '',
        content: contentOf(row),
        messageId: row.messageId,
        attempts: row.attempts + 1,
      }));
  }).immediate();
}

/**
 * At server start: leases left by a process that died mid-send are released, so that pending mail
 * goes out now instead of when the lease would have run out.
 */
export function releaseLeases(): number {
  return statements().releaseAll.run().changes;
}

/** A claimed mail the worker did not try (its batch ran out of time, or the server stops): back in the queue. */
export function returnUnsent(id: number): void {
  statements().unsent.run(id);
}

export function markSent(id: number, now: Date): void {
  statements().sent.run(now.toISOString(), id);
}

export function scheduleRetry(id: number, at: Date, error: string): void {
  statements().retry.run(at.toISOString(), error.slice(0, 500), id);
}

export function markDead(id: number, error: string): void {
  statements().dead.run(error.slice(0, 500), id);
}

/** Puts a dead letter back in the queue (admin's retry button). True when there was one to revive. */
export function reviveDeadLetter(id: number, now: Date): boolean {
  return statements().revive.run(now.toISOString(), id).changes === 1;
}

export function outboxCounts(): Record<OutboxState, number> {
  const counts: Record<OutboxState, number> = { pending: 0, sent: 0, dead: 0 };
  for (const row of statements().counts.all() as { state: OutboxState; n: number }[]) counts[row.state] = row.n;
  return counts;
}

export interface DeadLetter {
  id: number;
  kind: OutboxKind;
  reference: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

/** The dead letters, newest first; their errors as codes only (smtp-errors.rules.ts). */
export function deadLetters(limit = 50, offset = 0): DeadLetter[] {
  return (statements().deadLetters.all(limit, offset) as DeadLetter[]).map((d) => ({ ...d, lastError: d.lastError === null ? null : storedErrorCodes(d.lastError) }));
}

/** For /health: dead letters, and mail still unsent that was queued before `lateBefore`. Counts only. */
export function outboxHealth(lateBefore: Date): { dead: number; late: number } {
  return statements().health.get(lateBefore.toISOString()) as { dead: number; late: number };
}

/** When the next pending mail is due, if any. */
export function nextDueAt(): Date | undefined {
  const row = statements().nextDue.get() as { at: string | null };
  return row.at ? new Date(row.at) : undefined;
}

/** The encryption pass over the outbox (src/features/encryption): recipients (and sealed bodies) after `afterId` sealed again where needed. */
export function resealOutbox(afterId: number, limit: number): ResealBatch<number> {
  const rows = statements().batch.all(afterId, limit) as { id: number; kind: OutboxKind; messageId: string; recipient: string; params: string | null; text: string | null; html: string | null }[];
  let changed = 0;
  for (const r of rows) {
    const next = resealed(fields, 'recipient', r.messageId, r.recipient);
    const params = sealsParams(r.kind) ? resealed(fields, 'params', r.messageId, r.params) : r.params;
    const text = sealsBody(r.kind) ? resealed(fields, 'text_body', r.messageId, r.text) : r.text;
    const html = sealsBody(r.kind) ? resealed(fields, 'html_body', r.messageId, r.html) : r.html;
    if (next === r.recipient && params === r.params && text === r.text && html === r.html) continue;
    statements().reseal.run(next, params, text, html, r.id);
    changed++;
  }
  return { last: rows.at(-1)?.id, changed };
}

/** What a contact mail not sent yet records when its address is wiped: it will not be sent any more. */
export const CONTACT_WIPED_ERROR = 'Niet verstuurd: het adres is gewist na de bewaartermijn';

// A contact mail that is still pending (or given up on) loses its address too; one still pending becomes a dead letter.
const WIPE_CONTACT = `recipient = CASE WHEN ${IS_CONTACT_MAIL} THEN '' ELSE recipient END,
  last_error = CASE WHEN ${IS_CONTACT_MAIL} AND state = 'pending' THEN @why ELSE last_error END,
  state = CASE WHEN ${IS_CONTACT_MAIL} AND state = 'pending' THEN 'dead' ELSE state END`;

const contactMail = lazy(() => {
  const d = db();
  return {
    ofDeleted: d.prepare(`UPDATE outbox SET report_id = NULL, ${WIPE_CONTACT} WHERE report_id IN (SELECT value FROM json_each(@ids))`),
    ofErased: d.prepare(`
      UPDATE outbox SET ${WIPE_CONTACT}
      WHERE report_id IN (SELECT id FROM reports WHERE id IN (SELECT value FROM json_each(@ids)) AND contact_erased_at = @at)
        AND ${IS_CONTACT_MAIL} AND recipient <> ''`),
  };
});

/**
 * Unlinks the mails of the reports `ids` just deleted (as ON DELETE SET NULL would), in one statement:
 * retention deletes reports with foreign keys off (retention.server.ts, REPORT_CHILDREN). A mail to the
 * reporter or the police contact that was not sent loses its address (a sent one has none any more).
 */
export function unlinkMailOfDeletedReports(ids: readonly number[]): void {
  contactMail().ofDeleted.run({ ids: JSON.stringify(ids), why: CONTACT_WIPED_ERROR });
}

/**
 * Retention, after erasing the contact details of reports (those of `ids` erased at `at`): their mails to the
 * reporter or police contact that were not sent lose the address as well, and are not sent any more.
 */
export function wipeContactMailOfErased(ids: readonly number[], at: Date): number {
  if (ids.length === 0) return 0;
  return contactMail().ofErased.run({ ids: JSON.stringify(ids), at: at.toISOString(), why: CONTACT_WIPED_ERROR }).changes;
}
