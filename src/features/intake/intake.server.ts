import { suggestUrgency } from '#features/reports/urgency.rules.ts';
import { audit, type Actor } from '#features/audit/audit.repo.server.ts';
import { now as clockNow } from '#platform/clock.ts';
import { addWorkingDays } from '#lib/working-days.ts';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { enqueueMail } from '#features/mail/outbox.repo.server.ts';
import { coordinatorNotification, reporterConfirmation } from '#features/mail/templates.rules.ts';
import { nudgeMailWorker } from '#features/mail/worker.server.ts';
import { insertReport, type NewReport } from '#features/reports/reports.repo.server.ts';

/** A report as a channel hands it in; the service adds the suggested urgency and the due date. */
export type IntakeReport = Omit<NewReport, 'suggestedUrgency' | 'dueOn'>;

/**
 * Records a report from any channel and returns its reference. The report and its e-mails (the
 * coordinators' notification; the reporter's confirmation when they gave an e-mail address and are
 * not anonymous) are written in one transaction. When this returns, all of it is on disk
 * (synchronous=FULL): only then may the user be told the report was received. Sending happens later,
 * in the mail worker; no request waits for a mail server.
 */
export function recordReport(
  report: IntakeReport,
  options: {
    actor?: Actor;
    onBehalfOf?: 'beller';
    now?: Date;
    /** More writes that must commit with the report (the resident's draft marked as sent). */
    alsoInTransaction?: (stored: { id: number; reference: string }) => void;
  } = {},
): { id: number; reference: string } {
  const now = options.now ?? clockNow();
  const actor = options.actor ?? { role: 'inwoner' as const };
  const cfg = config();
  const m = cfg.municipality;
  const suggestedUrgency = suggestUrgency(report);
  const dueOn = addWorkingDays(now, m.urgencyNormDays[suggestedUrgency], m.holidays);
  const stored = db()
    .transaction(() => {
      const row = insertReport({ ...report, suggestedUrgency, dueOn }, now);
      audit(
        {
          actorId: actor.id,
          actorRole: actor.role,
          action: report.status === 'acuut_doorgezet' ? 'melding_acuut_vastgelegd' : 'melding_aangemaakt',
          objectType: 'melding',
          objectId: row.reference,
          result: 'gelukt',
          onBehalfOf: options.onBehalfOf,
          clientIp: actor.ip,
          detail: `kanaal ${report.channel}`,
        },
        now,
      );
      enqueueMail(
        {
          kind: 'coordinator_notification',
          reportId: row.id,
          recipient: cfg.coordinatorEmail,
          content: coordinatorNotification({ reference: row.reference, channel: report.channel, suggestedUrgency, acute: report.status === 'acuut_doorgezet' }, cfg),
        },
        cfg.publicUrl,
        now,
      );
      if (report.reporterEmail && !report.anonymous) {
        enqueueMail(
          {
            kind: 'reporter_confirmation',
            reportId: row.id,
            recipient: report.reporterEmail,
            content: reporterConfirmation(row.reference, cfg),
          },
          cfg.publicUrl,
          now,
        );
      }
      options.alsoInTransaction?.(row);
      return row;
    })
    .immediate();
  nudgeMailWorker();
  return stored;
}
