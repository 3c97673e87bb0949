import { db } from '#platform/db.ts';
import { audit, type Actor } from '#features/audit/audit.repo.server.ts';
import { monitorFromReader } from './monitor.reader.server.ts';
import { exportObjectId, monitorCsv, type Monitor, type Period } from './monitor.rules.ts';

/**
 * The AVE-monitor's services: the figures of a period for the page, and their CSV export with its
 * audit row. The figures come from the rollup and the casussen (monitor.queries.server.ts), read in the
 * monitor's reader thread (monitor.reader.server.ts) all from one snapshot, so they never stall the server's
 * thread (issue 16).
 */

/** The monitor of `period`; `today` (YYYY-MM-DD, Amsterdam) decides what is overdue now. */
export function monitorView(period: Period, today: string): Promise<Monitor> {
  return monitorFromReader(period, today);
}

/**
 * The monitor of `period` as CSV, audited as an export by `actor` at `at`. The audit row is written once
 * the figures are there: a period that cannot be counted exports and audits nothing.
 */
export async function exportMonitorCsv(period: Period, today: string, actor: Actor, at: Date): Promise<string> {
  const monitor = await monitorFromReader(period, today);
  db()
    .transaction(() =>
      audit(
        { actorId: actor.id, actorRole: actor.role, action: 'monitor_geexporteerd', objectType: 'export', objectId: exportObjectId(period), result: 'gelukt', clientIp: actor.ip },
        at,
      ),
    )
    .immediate();
  return monitorCsv(monitor);
}
