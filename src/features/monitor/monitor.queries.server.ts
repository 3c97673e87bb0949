import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';
import { mostFrequentFirst, periodBounds, triageParts, type AreaLevel, type Count, type MonitorCounts, type Period, type RollupDimension } from './monitor.rules.ts';

/**
 * The AVE-monitor's read model: counts of the reports received in a period (merged and acute records
 * apart), by kind of concern, channel, AVE phase, regie, area, status and outcome; triage times; overdue
 * counts; and the casussen open at the end of the period. Aggregates only: no report content, no names.
 * Never writes. Labels and quantiles: monitor.rules.ts.
 *
 * The report counts come from the rollup `monitor_daily` (migration 0020): counts per Amsterdam day and
 * dimension, kept current by triggers in the transaction of every change to a report, so a year is some tens
 * of thousands of small rows read in one range scan of its primary key, whatever the number of reports; the
 * triage hours from their own histogram tables, by month where the period covers one (triageParts).
 * The casussen (far fewer) are counted directly, at the instant the period ends.
 */

/** The rollup of the days of a period: a count per dimension and value, the total per month as well. */
interface RollupRow {
  dimension: RollupDimension;
  value: string;
  month: string | null;
  n: number;
}

/** A group of the casussen open at the end of a period: phase now, areas, and how many have each regie. */
interface CasesNowRow {
  phase: string;
  woonplaats: string | null;
  wijk: string | null;
  n: number;
  caseDirector: number;
  processDirector: number;
  treatmentDirector: number;
}

/** A casus open at the end of the period: created before it, not closed before it. */
const CASE_OPEN_AT_END = 'c.created_at < @end AND (c.closed_at IS NULL OR c.closed_at >= @end)';

/**
 * The casussen open at the end of a period in one pass over one index (migration 0023), grouped by their
 * phase now and their areas (those of their latest report with a looked-up address, kept on the casus),
 * with how many have each regie. The phase now is their phase at the end of the period when no phase
 * changed after it (lastPhaseChange). `coalesce` keeps the planner on the index: a casus not closed is open
 * at any end ('9' sorts after every ISO time). Exported for its plan test: no sort, no casus row read.
 */
export const CASES_NOW_SQL = `
  SELECT ave_phase AS phase, woonplaats, wijk_name AS wijk, count(*) AS n,
         sum(case_director IS NOT NULL) AS caseDirector, sum(process_director IS NOT NULL) AS processDirector,
         sum(treatment_director IS NOT NULL) AS treatmentDirector
  FROM cases c INDEXED BY cases_for_monitor
  WHERE c.created_at < @end AND coalesce(c.closed_at, '9') >= @end
  GROUP BY ave_phase, woonplaats, wijk_name`;

const statements = lazy(() => {
  const d = db();
  return {
    rollup: d.prepare<{ from: string; to: string }, RollupRow>(`
      SELECT dimension, value, CASE dimension WHEN 'total' THEN substr(day, 1, 7) END AS month, sum(n) AS n
      FROM monitor_daily WHERE day >= @from AND day <= @to
      GROUP BY dimension, value, month HAVING sum(n) > 0`),
    triageDays: d.prepare<[string, string], { tenths: number; n: number }>(
      'SELECT tenths, sum(n) AS n FROM monitor_triage WHERE day >= ? AND day <= ? GROUP BY tenths',
    ),
    triageMonths: d.prepare<[string, string], { tenths: number; n: number }>(
      'SELECT tenths, sum(n) AS n FROM monitor_triage_monthly WHERE month >= ? AND month <= ? GROUP BY tenths',
    ),
    overdueNow: d.prepare<[string], { n: number }>("SELECT count(*) AS n FROM reports WHERE status = 'nieuw' AND due_on < ?"),
    // People, not only reports (spec §5 Monitor): casussen open at the end of the period, each once,
    // with its phase at that moment (the last AVE change before the end) and its current regie.
    casesByPhase: d.prepare<{ end: string }, Count>(`
      SELECT (SELECT e.to_value FROM case_events e WHERE e.case_id = c.id AND e.kind IN ('aangemaakt', 'opgeschaald', 'afgeschaald') AND e.at < @end
                ORDER BY e.at DESC, e.id DESC LIMIT 1) AS k, count(*) AS n
      FROM cases c WHERE ${CASE_OPEN_AT_END} GROUP BY k ORDER BY n DESC`),
    casesNow: d.prepare<{ end: string }, CasesNowRow>(CASES_NOW_SQL),
    // The latest phase change of any casus: three seeks on case_events_by_kind.
    lastPhaseChange: d.prepare<[], { at: string }>(`
      SELECT max(coalesce((SELECT max(at) FROM case_events WHERE kind = 'aangemaakt'), ''),
                 coalesce((SELECT max(at) FROM case_events WHERE kind = 'opgeschaald'), ''),
                 coalesce((SELECT max(at) FROM case_events WHERE kind = 'afgeschaald'), '')) AS at`),
    caseSteps: d.prepare<{ start: string; end: string }, { k: string; n: number }>(
      `SELECT kind AS k, count(*) AS n FROM case_events WHERE kind IN ('opgeschaald', 'afgeschaald') AND at >= @start AND at < @end GROUP BY kind`,
    ),
  };
});

/** The rows of one dimension as counts, most frequent first; '' (no value) is NULL. */
function countsOf(rows: readonly RollupRow[], dimension: RollupDimension): Count[] {
  return mostFrequentFirst(rows.filter((r) => r.dimension === dimension).map((r) => ({ k: r.value === '' ? null : r.value, n: r.n })));
}

/**
 * Everything the monitor counts for the reports created on the days of `period` (Amsterdam, inclusive)
 * and the casussen open at its end, and the reports overdue on `today` (YYYY-MM-DD, Amsterdam). Call
 * inside the caller's transaction for one snapshot.
 */
export function monitorCounts(period: Pick<Period, 'from' | 'to' | 'areaBy'>, today: string): MonitorCounts {
  const s = statements();
  const rows = s.rollup.all({ from: period.from, to: period.to });
  const one = (dimension: RollupDimension, value: string) => rows.find((r) => r.dimension === dimension && r.value === value)?.n ?? 0;
  const months = rows.filter((r) => r.dimension === 'total').map((r) => ({ k: r.month!, n: r.n })).sort((a, b) => (a.k < b.k ? -1 : 1));
  return {
    total: months.reduce((sum, m) => sum + m.n, 0),
    acute: one('apart', 'acuut_doorgezet'),
    merged: one('apart', 'samengevoegd'),
    months,
    concerns: countsOf(rows, 'concern'),
    channels: countsOf(rows, 'channel'),
    avePhases: countsOf(rows, 'ave_phase'),
    regie: [
      { k: 'Casusregie (CR)', n: one('regie', 'case') },
      { k: 'Procesregie (PR)', n: one('regie', 'process') },
      { k: 'Behandelregie (BR)', n: one('regie', 'treatment') },
    ],
    areas: countsOf(rows, period.areaBy === 'wijk' ? 'wijk' : 'woonplaats'),
    statuses: countsOf(rows, 'status'),
    outcomes: countsOf(rows, 'outcome'),
    triageTenths: triageHistogram(period),
    withinNorm: one('within_norm', ''),
    overdueNow: s.overdueNow.get(today)!.n,
    cases: caseCounts(periodBounds(period), period.areaBy),
  };
}

/** The triage hours of the reports received on the days of `period`, in tenths, ascending (triageParts). */
function triageHistogram(period: Pick<Period, 'from' | 'to'>): MonitorCounts['triageTenths'] {
  const s = statements();
  const histogram = new Map<number, number>();
  for (const part of triageParts(period)) {
    for (const r of (part.grain === 'month' ? s.triageMonths : s.triageDays).all(part.from, part.to)) {
      histogram.set(r.tenths, (histogram.get(r.tenths) ?? 0) + part.sign * r.n);
    }
  }
  return [...histogram]
    .filter(([, n]) => n > 0)
    .map(([tenths, n]) => ({ tenths, n }))
    .sort((a, b) => a.tenths - b.tenths);
}

/**
 * The casussen open at the end of `range` (UTC instants): by AVE phase at that moment, by regie, by area
 * (`areaBy`); and the AVE steps in the range.
 */
function caseCounts(range: { start: string; end: string }, areaBy: AreaLevel): MonitorCounts['cases'] {
  const s = statements();
  const end = { end: range.end };
  const now = s.casesNow.all(end);
  const sum = (column: 'caseDirector' | 'processDirector' | 'treatmentDirector') => now.reduce((n, row) => n + row[column], 0);
  const countBy = (key: (row: CasesNowRow) => string | null): Count[] => {
    const counts = new Map<string | null, number>();
    for (const row of now) counts.set(key(row), (counts.get(key(row)) ?? 0) + row.n);
    return mostFrequentFirst([...counts].map(([k, n]) => ({ k, n })));
  };
  // A period that ends after the last phase change (the usual one, up to today): each casus's phase at
  // its end is the phase it has now, counted in the same pass as the regie and the areas. Else the phase
  // is looked up per casus in its history.
  const phaseNow = s.lastPhaseChange.get()!.at < range.end;
  return {
    byPhase: phaseNow ? countBy((row) => row.phase) : mostFrequentFirst(s.casesByPhase.all(end)),
    regie: [
      { k: 'Met casusregisseur', n: sum('caseDirector') },
      { k: 'Met procesregisseur', n: sum('processDirector') },
      { k: 'Met behandelregie', n: sum('treatmentDirector') },
    ],
    areas: countBy((row) => (areaBy === 'wijk' ? row.wijk : row.woonplaats)),
    steps: s.caseSteps.all(range),
  };
}
