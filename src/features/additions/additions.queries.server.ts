import { db } from '#platform/db.ts';
import { REPORT_ID_BY_REFERENCE } from '#features/reports/reports.repo.server.ts';
import { lazy } from '#lib/lazy.ts';

/** What callbacks and additions read of a report: never its content. */
export interface ReportForCaller {
  /** The report an addition goes to: the report itself, or the one it was merged into. */
  id: number;
  reference: string;
  createdAt: string;
  /** The status of the report an addition goes to. */
  status: string;
}

const s = lazy(() =>
  db().prepare(`
    SELECT coalesce(m.id, r.id) AS id, r.reference, r.created_at AS createdAt, coalesce(m.status, r.status) AS status
    FROM reports r LEFT JOIN reports m ON m.id = r.merged_into AND r.status = 'samengevoegd'
    WHERE r.id = ${REPORT_ID_BY_REFERENCE} AND r.status <> 'acuut_doorgezet'`),
);

/** A report by its reference as a caller may ask after it; `undefined` for none (or an acute record). */
export function reportForCaller(reference: string): ReportForCaller | undefined {
  return s().get(reference) as ReportForCaller | undefined;
}
