import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';
import { DELETABLE } from '#features/reports/reports.repo.server.ts';
import { DELETION_RULES, type DeletionRule } from './retention.rules.ts';

/**
 * The only module that writes `deletion_log`: what remains of a deleted report — metadata, no content,
 * and the blind indexes of its address and person, so a later report about them still says there
 * were reports before (spec §8, retention.queries.server.ts).
 */

const statements = lazy(() => ({
  // The ids arrive as one JSON array, so the statement is prepared once whatever their number.
  // The keys of address, BAG object and person stay in report_keys under the report's id (migration 0028):
  // `report_id` finds them, and the row's own key columns (rows logged before) stay empty.
  log: db().prepare(`
    INSERT INTO deletion_log (reference, channel, created_at, closed_at, status, outcome, deleted_at, rule, report_id)
    SELECT reference, channel, created_at, closed_at, status, outcome, :at, :rule, id FROM reports
    WHERE ${DELETABLE} ORDER BY id
    RETURNING report_id AS id`),
  logCases: db().prepare(`
    INSERT INTO case_deletion_log (case_id, ave_phase, created_at, closed_at, deleted_at)
    SELECT id, ave_phase, created_at, closed_at, ? FROM cases WHERE id IN (SELECT value FROM json_each(?))`),
}));

/**
 * Records the metadata of those of `ids` that may be deleted now by `rule` (DELETABLE: still closed before
 * `closedBefore` in one of its statuses, and not the newest report), and returns their ids: delete exactly these,
 * in the same transaction.
 */
export function logDeletable(ids: readonly number[], rule: DeletionRule, closedBefore: Date, at: Date): number[] {
  if (ids.length === 0) return [];
  const rows = statements().log.all({ ids: JSON.stringify(ids), statuses: JSON.stringify(DELETION_RULES[rule]), closedBefore: closedBefore.toISOString(), at: at.toISOString(), rule }) as { id: number }[];
  return rows.map((r) => r.id);
}

/** Records the metadata of casussen about to be deleted (nummer, phase, dates). Call before deleting them, in the same transaction. */
export function logCaseDeletions(ids: readonly number[], at: Date): void {
  if (ids.length === 0) return;
  statements().logCases.run(at.toISOString(), JSON.stringify(ids));
}
