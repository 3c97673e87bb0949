// The test oracle of the AVE-monitor's rollup (migration 0020, src/features/monitor/): the monitor's report
// counts computed directly from `reports` and `report_concerns`, with the SQL the monitor ran before the
// rollup (a COUNT per breakdown over the reports created in the period's UTC bounds). Not a test file itself.
// The casussen and the overdue count are not part of the rollup: they come from the production read model,
// but for the casussen's areas, read here from each casus's latest report itself.
import { db } from '#platform/db.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { monitorCounts } from '#features/monitor/monitor.queries.server.ts';
import { mostFrequentFirst, periodBounds, type Count, type MonitorCounts, type Period } from '#features/monitor/monitor.rules.ts';

/** Hours from one instant to another (ISO 8601), unrounded. */
export function hoursBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 3_600_000;
}

/** The hours from receipt to triage in tenths, rounded as the monitor shows them (one decimal). */
export const tenthsOfHour = (from: string, to: string): number => Math.round(hoursBetween(from, to) * 10);

/** The reports of the period that count (merged and acute records apart). */
const IN_PERIOD = "created_at >= @start AND created_at < @end AND status NOT IN ('samengevoegd', 'acuut_doorgezet')";

type Range = { start: string; end: string };
const all = <T>(sql: string, range: Range): T[] => db().prepare(sql).all(range) as T[];
const groupBy = (column: string, range: Range): Count[] =>
  mostFrequentFirst(all<Count>(`SELECT ${column} AS k, count(*) AS n FROM reports WHERE ${IN_PERIOD} GROUP BY k`, range));

/** What the monitor counts for `period`, counted directly. */
export function directMonitorCounts(period: Pick<Period, 'from' | 'to' | 'areaBy'>, today: string): MonitorCounts {
  const range = periodBounds(period);
  const apart = new Map(
    all<{ k: string; n: number }>(
      "SELECT status AS k, count(*) AS n FROM reports WHERE created_at >= @start AND created_at < @end AND status IN ('samengevoegd', 'acuut_doorgezet') GROUP BY status",
      range,
    ).map((r) => [r.k, r.n]),
  );
  // By month of the Amsterdam day (the monitor counted by UTC month before the rollup).
  const months = new Map<string, number>();
  for (const { at } of all<{ at: string }>(`SELECT created_at AS at FROM reports WHERE ${IN_PERIOD}`, range)) {
    const month = amsterdamDate(new Date(at)).slice(0, 7);
    months.set(month, (months.get(month) ?? 0) + 1);
  }
  const tenths = new Map<number, number>();
  for (const t of all<{ createdAt: string; triagedAt: string }>(`SELECT created_at AS createdAt, triaged_at AS triagedAt FROM reports WHERE ${IN_PERIOD} AND triaged_at IS NOT NULL`, range)) {
    const k = tenthsOfHour(t.createdAt, t.triagedAt);
    tenths.set(k, (tenths.get(k) ?? 0) + 1);
  }
  const regie = all<{ k: string; n: number }>(
    `SELECT 'Casusregie (CR)' AS k, count(case_director) AS n FROM reports WHERE ${IN_PERIOD}
     UNION ALL SELECT 'Procesregie (PR)', count(process_director) FROM reports WHERE ${IN_PERIOD}
     UNION ALL SELECT 'Behandelregie (BR)', count(treatment_director) FROM reports WHERE ${IN_PERIOD}`,
    range,
  );
  const production = monitorCounts(period, today);
  const area = period.areaBy === 'wijk' ? 'wijk_name' : 'woonplaats';
  const caseAreas = mostFrequentFirst(
    db()
      .prepare(
        `SELECT (SELECT r.${area} FROM case_reports cr JOIN reports r ON r.id = cr.report_id
                   WHERE cr.case_id = c.id AND r.${area} IS NOT NULL ORDER BY r.created_at DESC LIMIT 1) AS k, count(*) AS n
         FROM cases c WHERE c.created_at < @end AND (c.closed_at IS NULL OR c.closed_at >= @end) GROUP BY k`,
      )
      .all({ end: range.end }) as Count[],
  );
  return {
    total: (db().prepare(`SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD}`).get(range) as { n: number }).n,
    acute: apart.get('acuut_doorgezet') ?? 0,
    merged: apart.get('samengevoegd') ?? 0,
    months: [...months].map(([k, n]) => ({ k, n })).sort((a, b) => (a.k < b.k ? -1 : 1)),
    concerns: mostFrequentFirst(
      all<Count>(
        `SELECT c.concern AS k, count(*) AS n FROM report_concerns c JOIN reports r ON r.id = c.report_id
         WHERE r.created_at >= @start AND r.created_at < @end AND r.status NOT IN ('samengevoegd', 'acuut_doorgezet') GROUP BY k`,
        range,
      ),
    ),
    channels: groupBy('channel', range),
    avePhases: groupBy('ave_phase', range),
    regie,
    areas: groupBy(period.areaBy === 'wijk' ? 'wijk_name' : 'woonplaats', range),
    statuses: groupBy('status', range),
    outcomes: groupBy('outcome', range),
    triageTenths: [...tenths].map(([k, n]) => ({ tenths: k, n })).sort((a, b) => a.tenths - b.tenths),
    withinNorm: (db().prepare(`SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD} AND triaged_at IS NOT NULL AND substr(triaged_at, 1, 10) <= due_on`).get(range) as { n: number }).n,
    overdueNow: production.overdueNow,
    cases: { ...production.cases, areas: caseAreas },
  };
}
