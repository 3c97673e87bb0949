import { suggestUrgency } from '../urgency.ts';
import { addWorkingDays } from '../working-days.ts';
import { config } from './config.ts';
import { db } from './db.ts';
import { insertReport, type NewReport } from './reports-repo.ts';

/** A report as a channel hands it in; the service adds the suggested urgency and the due date. */
export type IntakeReport = Omit<NewReport, 'suggestedUrgency' | 'dueOn'>;

/**
 * Records a report from any channel in one transaction and returns its reference. When this returns,
 * the report is on disk (synchronous=FULL): only then may the user be told it was received.
 */
export function recordReport(report: IntakeReport, now: Date = new Date()): { id: number; reference: string } {
  const m = config().municipality;
  const suggestedUrgency = suggestUrgency(report);
  const dueOn = addWorkingDays(now, m.urgencyNormDays[suggestedUrgency], m.holidays);
  return db()
    .transaction(() => insertReport({ ...report, suggestedUrgency, dueOn }, now))
    .immediate();
}
