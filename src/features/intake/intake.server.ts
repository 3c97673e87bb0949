import { suggestUrgency } from '#features/reports/urgency.rules.ts';
import { audit, type Actor } from '#features/audit/audit.repo.server.ts';
import { now as clockNow } from '#platform/clock.ts';
import { addWorkingDays } from '#lib/working-days.ts';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { commitTogether, onceCommitted } from '#platform/group-commit.ts';
import { insertPreparedMail, prepareMail, type PreparedMail } from '#features/mail/outbox.repo.server.ts';
import { nudgeMailWorker } from '#features/mail/worker.server.ts';
import { insertPreparedReport, prepareReport, withFreshReference, type NewReport, type PreparedReport } from '#features/reports/reports.repo.server.ts';
import type { ResidentSend } from './intake.writer.server.ts';

/** A report as a channel hands it in; the service adds the suggested urgency and the due date. */
export type IntakeReport = Omit<NewReport, 'suggestedUrgency' | 'dueOn'>;

/** How a report is recorded: who, for whom, when, and what else commits with it. */
export interface RecordOptions {
  actor?: Actor;
  onBehalfOf?: 'beller';
  now?: Date;
  /** More writes that must commit with the report (the resident's draft marked as sent). */
  alsoInTransaction?: (stored: { id: number; reference: string }) => void;
}

/**
 * A report's writes prepared without the database (reports.repo.server.ts `prepareReport`): its row with the
 * urgency the service suggests and the due date, and its e-mails (the coordinators' notification; the
 * reporter's confirmation when they gave an e-mail address and are not anonymous). A plain object: the
 * server's thread prepares a resident's send and posts it to the writer thread (intake.writer.server.ts).
 */
export interface PreparedWrite {
  row: PreparedReport;
  mails: PreparedMail[];
  channel: IntakeReport['channel'];
  acute: boolean;
}

export function prepareWrite(report: IntakeReport, now: Date): PreparedWrite {
  const cfg = config();
  const m = cfg.municipality;
  const suggestedUrgency = suggestUrgency(report);
  const dueOn = addWorkingDays(now, m.urgencyNormDays[suggestedUrgency], m.holidays);
  const row = prepareReport({ ...report, suggestedUrgency, dueOn }, now);
  const acute = report.status === 'acuut_doorgezet';
  // The mails are queued as their kind and parameters; the mail worker renders them when it sends them.
  const mails = [
    prepareMail(
      {
        kind: 'coordinator_notification',
        recipient: cfg.coordinatorEmail,
        reference: row.reference,
        channel: report.channel,
        urgency: suggestedUrgency,
        ...(acute ? { acute: true as const } : {}),
      },
      cfg.publicUrl,
      now,
    ),
  ];
  if (report.reporterEmail && !report.anonymous) {
    mails.push(prepareMail({ kind: 'reporter_confirmation', recipient: report.reporterEmail, reference: row.reference }, cfg.publicUrl, now));
  }
  return { row, mails, channel: report.channel, acute };
}

/**
 * The writes of a prepared report, inside a transaction its caller holds: the report, its audit row, its
 * e-mails, and what `alsoInTransaction` adds. Throws ReferenceClash, having written nothing, when another
 * report has its reference: prepare it again.
 */
export function writePrepared(prepared: PreparedWrite, options: RecordOptions & { now: Date }): { id: number; reference: string } {
  const actor = options.actor ?? { role: 'inwoner' as const };
  const row = insertPreparedReport(prepared.row);
  audit(
    {
      actorId: actor.id,
      actorRole: actor.role,
      action: prepared.acute ? 'melding_acuut_vastgelegd' : 'melding_aangemaakt',
      objectType: 'melding',
      objectId: row.reference,
      result: 'gelukt',
      onBehalfOf: options.onBehalfOf,
      clientIp: actor.ip,
      detail: `kanaal ${prepared.channel}`,
    },
    options.now,
  );
  for (const mail of prepared.mails) insertPreparedMail(mail, row.id);
  options.alsoInTransaction?.(row);
  return row;
}

/**
 * The writes of one report, inside a transaction its caller holds (`writePrepared` of `prepareWrite`),
 * with a new reference should the first be taken.
 */
export function writeReport(report: IntakeReport, options: RecordOptions): { id: number; reference: string } {
  const now = options.now ?? clockNow();
  return withFreshReference(() => writePrepared(prepareWrite(report, now), { ...options, now }));
}

/**
 * Records a report from any channel in a transaction of its own and returns its reference. When this
 * returns, all of it is on disk (synchronous=FULL). For the command line and tests; requests use
 * `submitReport`. Sending happens later, in the mail worker; no request waits for a mail server.
 */
export function recordReport(report: IntakeReport, options: RecordOptions = {}): { id: number; reference: string } {
  const stored = db()
    .transaction(() => writeReport(report, options))
    .immediate();
  nudgeMailWorker();
  return stored;
}

/**
 * Records a report sent by a resident, KCC agent or BOA: the same writes as `recordReport`, in the group
 * commit (#platform/group-commit.ts) that reports arriving together share. Resolves once the commit holding
 * this report is on disk — only then may the user be told the report was received; rejects (nothing of this
 * report stored) when its writes or the commit fail.
 */
export function submitReport(report: IntakeReport, options: RecordOptions = {}): Promise<{ id: number; reference: string }> {
  onceCommitted(nudgeMailWorker);
  return commitTogether(() => writeReport(report, options));
}

/** The writer thread's module, imported when first needed: so the build gives it a chunk of its own. */
let writer: Promise<typeof import('./intake.writer.server.ts')> | undefined;

/**
 * Records a resident's report with its draft marked as sent, in the writer thread (intake.writer.server.ts):
 * the same writes as `submitReport`, off the server's thread. Resolves once the commit holding the report
 * is on disk; rejects with DraftAlreadySent when another send of the same draft came first (nothing stored).
 */
export async function submitResidentReport(send: ResidentSend): Promise<{ id: number; reference: string }> {
  writer ??= import('./intake.writer.server.ts');
  const { sendInWriter } = await writer;
  const stored = await sendInWriter(send);
  nudgeMailWorker();
  return stored;
}
