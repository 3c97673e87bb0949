import { audit } from '#features/audit/audit.repo.server.ts';
import { purgeSessions } from '#features/auth/sessions.repo.server.ts';
import { purgeLinks } from '#features/auth/links.repo.server.ts';
import { IDLE_MS } from '#features/auth/login.server.ts';
import { purgeExpiredDrafts } from '#features/intake/drafts.repo.server.ts';
import { purgeExpiredPhotos } from '#features/photos/photos.repo.server.ts';
import { closedReportIds, deleteReports, eraseReporterContact } from '#features/reports/reports.repo.server.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { db } from '#platform/db.ts';
import { logCaseDeletions, logDeletions } from './retention.repo.server.ts';
import { deleteCases, expiredCaseIds } from '#features/casus/casus.repo.server.ts';
import { deleteMeetings, expiredMeetingIds } from '#features/mdo/mdo.repo.server.ts';
import { CONTACT_ERASURE_STATUSES, DELETION_RULES, type DeletionRule } from './retention.rules.ts';

/**
 * Retention (spec §8), with the periods from the municipality's configuration:
 * - `geannuleerd` reports are deleted `cancelledDays` after closing;
 * - other closed reports lose the reporter's contact details `contactErasureDays` after closing, and are
 *   deleted `reportDeletionDays` after closing;
 * - a closed casus is deleted `reportDeletionDays` after closing once no report of it remains (spec §8),
 *   with its place on MDO agendas; an overleg goes `reportDeletionDays` after its date once no casus is left on its agenda.
 * A deleted report leaves a metadata row in `deletion_log`; each run is audited (counts only).
 * Drafts older than 24 hours and ended staff sessions are purged every quarter of an hour by the
 * background jobs (jobs.ts) through `purgeExpired`, audited (counts only) whenever it deletes anything.
 */
export interface RetentionResult {
  contactsErased: number;
  cancelledDeleted: number;
  reportsDeleted: number;
  casesDeleted: number;
}

const DAY = 86_400_000;

/** One transaction: the erasures, the deletions with their log rows, and the audit row. */
export function applyRetention(at: Date = now()): RetentionResult {
  const r = config().municipality.retention;
  const before = (days: number) => new Date(at.getTime() - days * DAY);
  const remove = (rule: DeletionRule, closedBefore: Date): number => {
    const ids = closedReportIds(DELETION_RULES[rule], closedBefore);
    logDeletions(ids, rule, at);
    deleteReports(ids);
    return ids.length;
  };
  return db()
    .transaction((): RetentionResult => {
      const contactsErased = eraseReporterContact(CONTACT_ERASURE_STATUSES, before(r.contactErasureDays), at);
      const cancelledDeleted = remove('geannuleerd', before(r.cancelledDays));
      const reportsDeleted = remove('bewaartermijn', before(r.reportDeletionDays));
      // A closed casus: as long as a report, counted from its closing, and never before its last report.
      const cases = expiredCaseIds(before(r.reportDeletionDays));
      logCaseDeletions(cases, at);
      deleteCases(cases);
      const casesDeleted = cases.length;
      const meetings = expiredMeetingIds(before(r.reportDeletionDays).toISOString().slice(0, 10));
      deleteMeetings(meetings);
      if (contactsErased + cancelledDeleted + reportsDeleted + casesDeleted + meetings.length > 0) {
        audit({
          actorRole: 'systeem',
          action: 'bewaartermijn_toegepast',
          result: 'gelukt',
          detail: `contactgegevens gewist ${contactsErased}, geannuleerd verwijderd ${cancelledDeleted}, verwijderd ${reportsDeleted}, casussen verwijderd ${casesDeleted}, overleggen verwijderd ${meetings.length}`,
        }, at);
      }
      return { contactsErased, cancelledDeleted, reportsDeleted, casesDeleted };
    })
    .immediate();
}

/**
 * Deletes expired drafts, photos of forms never sent (they expire like drafts), ended sessions and
 * expired reset and invitation links; one transaction with an audit row (counts) when any went. A report's
 * own photos go with the report.
 */
export function purgeExpired(at: Date = now()): { drafts: number; photos: number; sessions: number; links: number } {
  return db()
    .transaction(() => {
      const drafts = purgeExpiredDrafts(at);
      const photos = purgeExpiredPhotos(at);
      const sessions = purgeSessions(at, new Date(at.getTime() - IDLE_MS));
      const links = purgeLinks(at);
      if (drafts + photos + sessions + links > 0) {
        audit({ actorRole: 'systeem', action: 'verlopen_opgeruimd', result: 'gelukt', detail: `concepten ${drafts}, foto's ${photos}, sessies ${sessions}, links ${links}` }, at);
      }
      return { drafts, photos, sessions, links };
    })
    .immediate();
}
