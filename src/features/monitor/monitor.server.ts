import { db } from '#platform/db.ts';
import { audit, type Actor } from '#features/audit/audit.repo.server.ts';
import { monitorCounts } from './monitor.queries.server.ts';
import { exportObjectId, monitorCsv, monitorOf, periodBounds, type Monitor, type Period } from './monitor.rules.ts';

/**
 * The AVE-monitor's services: the figures of a period for the page, and their CSV export with its
 * audit row. Each is one transaction, so every count comes from the same snapshot.
 */

/** The monitor of `period`; `today` (YYYY-MM-DD, Amsterdam) decides what is overdue now. */
export function monitorView(period: Period, today: string): Monitor {
  // Read only: a deferred transaction takes no write lock, yet all counts see one snapshot (WAL).
  return db()
    .transaction(() => monitorOf(period, monitorCounts(periodBounds(period), today, period.areaBy)))
    .deferred();
}

/** The monitor of `period` as CSV, audited as an export by `actor` at `at` in the same transaction. */
export function exportMonitorCsv(period: Period, today: string, actor: Actor, at: Date): string {
  return db()
    .transaction(() => {
      audit(
        { actorId: actor.id, actorRole: actor.role, action: 'monitor_geexporteerd', objectType: 'export', objectId: exportObjectId(period), result: 'gelukt', clientIp: actor.ip },
        at,
      );
      return monitorCsv(monitorOf(period, monitorCounts(periodBounds(period), today, period.areaBy)));
    })
    .immediate();
}
