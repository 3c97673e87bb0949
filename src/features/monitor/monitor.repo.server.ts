import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';

/**
 * The AVE-monitor's rollup (migration 0020): counts per Amsterdam day and dimension (`monitor_daily`), the
 * triage hours per day and per month (`monitor_triage`, `monitor_triage_monthly`). SQLite triggers on
 * `reports` and `report_concerns` keep them current in every writer's own transaction, one report
 * at a time. The one thing written from here: a bulk deletion (retention), whose reports leave the rollup
 * in one grouped statement instead of a trigger per report.
 */

const statements = lazy(() => {
  const d = db();
  return {
    // The flag the per-row delete trigger reads (monitor_bulk_delete): set, used and cleared in one transaction.
    bulkOn: d.prepare('INSERT INTO monitor_bulk_delete (id) VALUES (1)'),
    bulkOff: d.prepare('DELETE FROM monitor_bulk_delete'),
    // The ids arrive as one JSON array, so the statement is prepared once whatever their number.
    subtract: d.prepare(`
      UPDATE monitor_daily SET n = monitor_daily.n - gone.n
      FROM (SELECT day, dimension, value, count(*) AS n FROM monitor_contributions
            WHERE id IN (SELECT value FROM json_each(?)) AND dimension <> 'triage_tenths' GROUP BY day, dimension, value) AS gone
      WHERE monitor_daily.day = gone.day AND monitor_daily.dimension = gone.dimension AND monitor_daily.value = gone.value`),
    subtractTriage: d.prepare(`
      UPDATE monitor_triage SET n = monitor_triage.n - gone.n
      FROM (SELECT day, value AS tenths, count(*) AS n FROM monitor_contributions
            WHERE id IN (SELECT value FROM json_each(?)) AND dimension = 'triage_tenths' GROUP BY day, value) AS gone
      WHERE monitor_triage.day = gone.day AND monitor_triage.tenths = gone.tenths`),
    subtractTriageMonthly: d.prepare(`
      UPDATE monitor_triage_monthly SET n = monitor_triage_monthly.n - gone.n
      FROM (SELECT substr(day, 1, 7) AS month, value AS tenths, count(*) AS n FROM monitor_contributions
            WHERE id IN (SELECT value FROM json_each(?)) AND dimension = 'triage_tenths' GROUP BY month, value) AS gone
      WHERE monitor_triage_monthly.month = gone.month AND monitor_triage_monthly.tenths = gone.tenths`),
  };
});

/**
 * Deletes reports in bulk: `remove` deletes the reports `ids` (and what cascades from them); their counts
 * leave the rollup in one statement first, while the per-row delete trigger stands aside. Call inside the
 * caller's write transaction: a failure anywhere rolls back the counts, the flag and the deletion together.
 */
export function deleteCountedInBulk(ids: readonly number[], remove: () => void): void {
  if (!db().inTransaction) throw new Error('deleteCountedInBulk: call inside a transaction');
  if (ids.length === 0) return remove();
  const s = statements();
  const list = JSON.stringify(ids);
  s.subtract.run(list);
  s.subtractTriage.run(list);
  s.subtractTriageMonthly.run(list);
  s.bulkOn.run();
  try {
    remove();
  } finally {
    s.bulkOff.run();
  }
}
