import type { AppConfig } from '#platform/config.ts';
import { commitTogether } from '#platform/group-commit.ts';
import { claimDueMail, markDead, markSent, nextDueAt, releaseLeases, returnUnsent, scheduleRetry, type OutboxMail } from './outbox.repo.server.ts';
import { describeError } from './smtp-errors.rules.ts';
import { renderMail, type MailContent } from './templates.rules.ts';
import { createSender, type SendMail } from './transport.server.ts';

export { describeError };

/**
 * Sends due outbox mail. Temporary failures (no connection, time-out, 4xx) are retried with
 * exponential backoff and jitter; permanent ones (5xx) and mails that failed too often become dead
 * letters for the admin. Nothing here runs inside a request.
 *
 * Settings and the clock come in as parameters (MailWorker): the jobs and `mail:flush` build them from
 * config() and the server's clock (#platform/clock.ts), so a test that moves the clock moves mail too:
 * due times, leases and retries all follow it.
 */

// Longer than the SMTP time-outs together (10 s connect, 10 s greeting, 30 s socket).
const LEASE_MS = 2 * 60_000;
const BATCH = 50;
/**
 * A batch stops taking new mails after this long (a hanging SMTP server answers one mail per time-out):
 * the rest go back to the queue, well before their lease runs out, so no other sender takes them.
 */
export const BATCH_MS = LEASE_MS / 2;

/** Whether an SMTP error means "never going to work" (5xx from the server). */
export function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Delay before attempt `attempts + 1`: base·2^(attempts−1), capped at an hour, ±20 % jitter. */
export function backoffMs(attempts: number, baseMs: number, random: () => number = Math.random): number {
  const raw = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/** What the worker needs: how to send, how to render, the clock, and the settings it varies by. */
export interface MailWorker {
  send: SendMail;
  /** A claimed mail's subject and bodies: rendered from its parameters just before sending (`renderWith`). */
  render: (mail: OutboxMail) => MailContent;
  /** The server's clock (#platform/clock.ts `now`). */
  now: () => Date;
  /** The From: of every mail. */
  mailFrom: string;
  /** First retry delay of a failed mail; doubles per attempt (capped at an hour). */
  retryBaseMs: number;
  /** How often to look for due mail when nothing is scheduled sooner. */
  pollMs: number;
}

/** A stored mail that cannot be rendered (its parameters do not open or fit its kind): never going to work. */
export const UNREADABLE = 'ERENDER';

/**
 * Renders claimed mail with the configuration's texts (municipality, phone numbers, the portal's address):
 * from its parameters, or as it was rendered when queued before migration 0021.
 */
export function renderWith(cfg: AppConfig): (mail: OutboxMail) => MailContent {
  return (mail) => {
    if ('params' in mail.content) return renderMail(mail.content.params, cfg);
    if ('rendered' in mail.content) return mail.content.rendered;
    throw Object.assign(new Error('unreadable outbox row'), { code: UNREADABLE });
  };
}

/** The worker as the configuration describes it: SMTP, or .eml files in MAIL_DIR. */
export function mailWorker(cfg: AppConfig, now: () => Date): MailWorker {
  return { send: createSender(cfg), render: renderWith(cfg), now, mailFrom: cfg.mailFrom, retryBaseMs: cfg.mailRetryBaseMs, pollMs: cfg.mailPollMs };
}

let running: Promise<number> | undefined;
let again = false;

/** Sends everything that is due now; returns how many mails were sent. One run at a time per process. */
export function flushOutbox(worker: MailWorker): Promise<number> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    let sent = 0;
    try {
      do {
        again = false;
        sent += await sendDue(worker);
      } while (again);
    } finally {
      running = undefined;
      // Nothing more due: the SMTP connection this run shared is closed (transport.server.ts).
      worker.send.release?.();
    }
    return sent;
  })();
  return running;
}

let stopping = false;

async function sendDue(worker: MailWorker): Promise<number> {
  let sent = 0;
  /** The outcomes of the batch just sent: recorded in the commit that claims the next batch. */
  let outcomes: (() => void)[] = [];
  const record = (list: (() => void)[]) => list.forEach((outcome) => outcome());
  for (;;) {
    if (stopping) break;
    const now = worker.now();
    // Real time, not the server's clock: a hanging server takes real seconds.
    const batchStart = Date.now();
    // The claim and the outcomes ride on the group commit (#platform/group-commit.ts): their disk syncs are
    // shared with the reports being sent at the same time instead of coming on top of them. The outcomes of
    // the last batch and the claim of this one are two pieces of one commit (one disk sync per batch, not
    // two), each in its own savepoint: a claim that fails cannot take the outcomes with it.
    const done = outcomes;
    outcomes = [];
    const recorded = done.length > 0 ? commitTogether(() => record(done)) : undefined;
    const claimed = commitTogether(() => claimDueMail(now, new Date(now.getTime() + LEASE_MS), BATCH));
    const [, batch] = await Promise.all([recorded, claimed]);
    if (batch.length === 0) return sent;
    // Send the whole batch; its outcomes are recorded together with the next claim (or after the last
    // batch): one disk sync per batch instead of one per mail, which the portal's requests would otherwise
    // wait behind. A crash in between means the batch is sent again when its lease runs out (same Message-IDs).
    for (const mail of batch) {
      if (stopping || Date.now() - batchStart > BATCH_MS) {
        outcomes.push(() => returnUnsent(mail.id));
        continue;
      }
      let content: MailContent;
      try {
        content = worker.render(mail);
      } catch (error) {
        // Rendering fails the same way every time: a dead letter at once, for the admin.
        const why = describeError(error);
        outcomes.push(() => markDead(mail.id, why));
        console.warn(`mail: outbox ${mail.id} is a dead letter: it cannot be rendered (${why})`);
        continue;
      }
      try {
        await worker.send({ from: worker.mailFrom, to: mail.recipient, subject: content.subject, text: content.text, html: content.html, messageId: mail.messageId });
        const at = worker.now();
        outcomes.push(() => markSent(mail.id, at));
        sent++;
      } catch (error) {
        const why = describeError(error);
        // A temporary failure (no connection, time-out, 4xx) is retried until the mail is delivered, at most an
        // hour apart: a mail server down for a weekend loses no mail. Health reports mail that waits over an hour.
        if (isPermanent(error)) {
          outcomes.push(() => markDead(mail.id, why));
          console.warn(`mail: outbox ${mail.id} is a dead letter after ${mail.attempts} attempt(s): ${why}`);
        } else {
          const at = new Date(worker.now().getTime() + backoffMs(mail.attempts, worker.retryBaseMs));
          outcomes.push(() => scheduleRetry(mail.id, at, why));
        }
      }
    }
    if (Date.now() - batchStart > BATCH_MS) break;
  }
  const last = outcomes;
  if (last.length > 0) await commitTogether(() => record(last));
  return sent;
}

let timer: NodeJS.Timeout | undefined;
/** The worker this process runs (set by startMailWorker); nudges use it. */
let started: MailWorker | undefined;

/** Wakes the worker soon (after a report was stored), without making the caller wait. */
let nudged: NodeJS.Timeout | undefined;

/**
 * Wakes the worker soon (after a report was stored), without making the caller wait. Nudges within
 * 200 ms are gathered into one run, so a busy moment sends its mail in batches. Without a running
 * worker (a command-line tool, a unit test) the mail waits in the outbox for the server's worker.
 */
export function nudgeMailWorker(): void {
  const worker = started;
  if (!worker) return;
  nudged ??= setTimeout(() => {
    nudged = undefined;
    void flushOutbox(worker).catch((e: unknown) => console.error('mail: flush failed:', describeError(e)));
  }, 200);
}

/** Starts the in-process worker: sends what is pending now (also after a restart), then polls. */
export function startMailWorker(worker: MailWorker): void {
  if (timer) return;
  started = worker;
  releaseLeases();
  const poll = () => {
    void flushOutbox(worker)
      .catch((e: unknown) => console.error('mail: flush failed:', describeError(e)))
      .finally(() => {
        if (stopping) return;
        const due = nextDueAt();
        const wait = due ? Math.max(50, Math.min(due.getTime() - worker.now().getTime(), worker.pollMs)) : worker.pollMs;
        timer = setTimeout(poll, wait);
        timer.unref();
      });
  };
  timer = setTimeout(poll, 0);
  timer.unref();
}

/**
 * At shutdown: no new batches; the mail being sent may finish within `waitMs`; then every lease this
 * process holds is released, so the next start (or mail:flush) sends the rest at once. When the wait runs
 * out in the middle of a batch, the mails of that batch already sent but not yet recorded as sent go again
 * at the next start, under the same Message-ID (so a mail program can recognise the copy).
 */
export async function stopMailWorker(waitMs: number): Promise<void> {
  stopping = true;
  clearTimeout(timer);
  clearTimeout(nudged);
  started = undefined;
  const current = running;
  if (current) {
    let wait: NodeJS.Timeout | undefined;
    await Promise.race([current.catch(() => 0), new Promise((r) => (wait = setTimeout(r, waitMs)))]);
    clearTimeout(wait);
  }
  releaseLeases();
}
