import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';
import type { AreaLevel, Count, MonitorCounts } from './monitor.rules.ts';

/**
 * The AVE-monitor's read model: counts of the reports received in a period (merged and acute records
 * apart), by kind of concern,
 * channel, AVE phase, regie, area, status and outcome; receipt and triage times; overdue counts.
 * Aggregates only: no report content, no names. Never writes. Labels and quantiles: monitor.rules.ts.
 */

/**
 * The reports of the period that count as reports (spec §5 Monitor): a merged report is part of the
 * one it went into, and an acute record (`acuut_doorgezet`, passed on to 112) is counted apart.
 */
const IN_PERIOD = "created_at >= @start AND created_at < @end AND status NOT IN ('samengevoegd', 'acuut_doorgezet')";
/** Every record of the period, whatever its status. */
const CREATED_IN_PERIOD = 'created_at >= @start AND created_at < @end';

/** Counts per value of one column, most frequent first. */
const groupBy = (column: string) =>
  db().prepare<{ start: string; end: string }, Count>(
    `SELECT ${column} AS k, count(*) AS n FROM reports WHERE ${IN_PERIOD} GROUP BY k ORDER BY n DESC`,
  );

/** A casus open at the end of the period: created before it, not closed before it. */
const CASE_OPEN_AT_END = 'c.created_at < @end AND (c.closed_at IS NULL OR c.closed_at >= @end)';

const caseAreas = (column: string) =>
  db().prepare<{ end: string }, Count>(`
    SELECT (SELECT r.${column} FROM case_reports cr JOIN reports r ON r.id = cr.report_id
              WHERE cr.case_id = c.id AND r.${column} IS NOT NULL ORDER BY r.created_at DESC LIMIT 1) AS k, count(*) AS n
    FROM cases c WHERE ${CASE_OPEN_AT_END} GROUP BY k ORDER BY n DESC`);

const statements = lazy(() => {
  const d = db();
  return {
    total: d.prepare<{ start: string; end: string }, { n: number }>(`SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD}`),
    /** The records counted apart, by status: acute and merged. */
    apart: d.prepare<{ start: string; end: string }, { k: string; n: number }>(
      `SELECT status AS k, count(*) AS n FROM reports WHERE ${CREATED_IN_PERIOD} AND status IN ('samengevoegd', 'acuut_doorgezet') GROUP BY status`,
    ),
    concerns: d.prepare<{ start: string; end: string }, Count>(
      `SELECT c.concern AS k, count(*) AS n FROM report_concerns c JOIN reports r ON r.id = c.report_id
              WHERE r.created_at >= @start AND r.created_at < @end AND r.status NOT IN ('samengevoegd', 'acuut_doorgezet')
              GROUP BY k ORDER BY n DESC`,
    ),
    regie: d.prepare<{ start: string; end: string }, { k: string; n: number }>(
      `SELECT 'Casusregie (CR)' AS k, count(case_director) AS n FROM reports WHERE ${IN_PERIOD}
              UNION ALL SELECT 'Procesregie (PR)', count(process_director) FROM reports WHERE ${IN_PERIOD}
              UNION ALL SELECT 'Behandelregie (BR)', count(treatment_director) FROM reports WHERE ${IN_PERIOD}`,
    ),
    months: d.prepare<{ start: string; end: string }, { k: string; n: number }>(
      `SELECT substr(created_at, 1, 7) AS k, count(*) AS n FROM reports WHERE ${IN_PERIOD} GROUP BY k ORDER BY k`,
    ),
    channels: groupBy('channel'),
    avePhases: groupBy('ave_phase'),
    // Areas come from the address lookup, never from the free-text `place` (spec §5 Monitor).
    byVillage: groupBy('woonplaats'),
    byWijk: groupBy('wijk_name'),
    statuses: groupBy('status'),
    outcomes: groupBy('outcome'),
    triaged: d.prepare<{ start: string; end: string }, { createdAt: string; triagedAt: string }>(
      `SELECT created_at AS createdAt, triaged_at AS triagedAt FROM reports WHERE ${IN_PERIOD} AND triaged_at IS NOT NULL`,
    ),
    // Triaged on or before the due date (the day of triaged_at in UTC against due_on).
    withinNorm: d.prepare<{ start: string; end: string }, { n: number }>(
      `SELECT count(*) AS n FROM reports WHERE ${IN_PERIOD} AND triaged_at IS NOT NULL AND substr(triaged_at, 1, 10) <= due_on`,
    ),
    overdueNow: d.prepare<[string], { n: number }>("SELECT count(*) AS n FROM reports WHERE status = 'nieuw' AND due_on < ?"),
    // People, not only reports (spec §5 Monitor): casussen open at the end of the period, each once,
    // with its phase at that moment (the last AVE change before the end) and its current regie.
    casesByPhase: d.prepare<{ end: string }, Count>(`
      SELECT (SELECT e.to_value FROM case_events e WHERE e.case_id = c.id AND e.kind IN ('aangemaakt', 'opgeschaald', 'afgeschaald') AND e.at < @end
                ORDER BY e.at DESC, e.id DESC LIMIT 1) AS k, count(*) AS n
      FROM cases c WHERE ${CASE_OPEN_AT_END} GROUP BY k ORDER BY n DESC`),
    caseRegie: d.prepare<{ end: string }, { k: string; n: number }>(`
      SELECT 'Met casusregisseur' AS k, count(case_director) AS n FROM cases c WHERE ${CASE_OPEN_AT_END}
      UNION ALL SELECT 'Met procesregisseur', count(process_director) FROM cases c WHERE ${CASE_OPEN_AT_END}
      UNION ALL SELECT 'Met behandelregie', count(treatment_director) FROM cases c WHERE ${CASE_OPEN_AT_END}`),
    // The area of a casus: that of its latest report with a looked-up address.
    caseVillages: caseAreas('woonplaats'),
    caseWijken: caseAreas('wijk_name'),
    caseSteps: d.prepare<{ start: string; end: string }, { k: string; n: number }>(
      `SELECT kind AS k, count(*) AS n FROM case_events WHERE kind IN ('opgeschaald', 'afgeschaald') AND at >= @start AND at < @end GROUP BY kind`,
    ),
  };
});

/**
 * Everything the monitor counts for the reports created in [start, end) (UTC instants), and the reports
 * overdue on `today` (YYYY-MM-DD, Amsterdam). Call inside the caller's transaction for one snapshot.
 */
export function monitorCounts(range: { start: string; end: string }, today: string, areaBy: AreaLevel = 'dorp'): MonitorCounts {
  const s = statements();
  const apart = new Map(s.apart.all(range).map((r) => [r.k, r.n]));
  return {
    total: s.total.get(range)!.n,
    acute: apart.get('acuut_doorgezet') ?? 0,
    merged: apart.get('samengevoegd') ?? 0,
    months: s.months.all(range),
    concerns: s.concerns.all(range),
    channels: s.channels.all(range),
    avePhases: s.avePhases.all(range),
    regie: s.regie.all(range),
    areas: (areaBy === 'wijk' ? s.byWijk : s.byVillage).all(range),
    statuses: s.statuses.all(range),
    outcomes: s.outcomes.all(range),
    triaged: s.triaged.all(range),
    withinNorm: s.withinNorm.get(range)!.n,
    overdueNow: s.overdueNow.get(today)!.n,
    cases: {
      byPhase: s.casesByPhase.all({ end: range.end }),
      regie: s.caseRegie.all({ end: range.end }),
      areas: (areaBy === 'wijk' ? s.caseWijken : s.caseVillages).all({ end: range.end }),
      steps: s.caseSteps.all(range),
    },
  };
}
