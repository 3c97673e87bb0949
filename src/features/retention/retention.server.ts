import { audit } from '#features/audit/audit.repo.server.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';

/**
 * Retention (spec §8), with the periods from the municipality's configuration:
 * - `geannuleerd` reports are deleted `cancelledDays` after closing;
 * - other closed reports lose the reporter's contact details `contactErasureDays` after closing, and are
 *   deleted `reportDeletionDays` after closing.
 * A deleted report leaves a metadata row in `deletion_log`; each run is audited (counts only).
 * Drafts older than 24 hours are purged by the background jobs (jobs.ts).
 */
export interface RetentionResult {
  contactsErased: number;
  cancelledDeleted: number;
  reportsDeleted: number;
}

const DAY = 86_400_000;

export function applyRetention(at: Date = now()): RetentionResult {
  const r = config().municipality.retention;
  const before = (days: number) => new Date(at.getTime() - days * DAY).toISOString();
  const d = db();
  return d
    .transaction((): RetentionResult => {
      const contactsErased = d
        .prepare(
          `UPDATE reports SET reporter_name = NULL, reporter_phone = NULL, reporter_email = NULL, contact_erased_at = ?
           WHERE closed_at IS NOT NULL AND closed_at < ? AND contact_erased_at IS NULL
             AND status IN ('afgesloten', 'samengevoegd', 'doorgestuurd', 'geannuleerd')`,
        )
        .run(at.toISOString(), before(r.contactErasureDays)).changes;
      const remove = (where: string, cutoff: string, rule: string): number => {
        const ids = (d.prepare(`SELECT id FROM reports WHERE ${where}`).all(cutoff) as { id: number }[]).map((x) => x.id);
        if (ids.length === 0) return 0;
        const list = ids.join(',');
        d.prepare(
          `INSERT INTO deletion_log (reference, channel, created_at, closed_at, status, outcome, deleted_at, rule)
           SELECT reference, channel, created_at, closed_at, status, outcome, ?, ? FROM reports WHERE id IN (${list})`,
        ).run(at.toISOString(), rule);
        d.prepare(`UPDATE reports SET merged_into = NULL WHERE merged_into IN (${list})`).run();
        d.prepare(`DELETE FROM reports WHERE id IN (${list})`).run();
        return ids.length;
      };
      const cancelledDeleted = remove("status = 'geannuleerd' AND closed_at < ?", before(r.cancelledDays), 'geannuleerd');
      const reportsDeleted = remove(
        "status IN ('afgesloten', 'samengevoegd', 'doorgestuurd') AND closed_at < ?",
        before(r.reportDeletionDays),
        'bewaartermijn',
      );
      if (contactsErased + cancelledDeleted + reportsDeleted > 0) {
        audit({
          actorRole: 'systeem',
          action: 'bewaartermijn_toegepast',
          result: 'gelukt',
          detail: `contactgegevens gewist ${contactsErased}, geannuleerd verwijderd ${cancelledDeleted}, verwijderd ${reportsDeleted}`,
        }, at);
      }
      return { contactsErased, cancelledDeleted, reportsDeleted };
    })
    .immediate();
}
