import { db } from '#platform/db.ts';
import { fieldsOf, resealed, type ResealBatch } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';
import type { ReportStatus } from '#features/reports/reports.repo.server.ts';

/**
 * The one module that writes `report_additions`: what a resident (/melden/aanvullen) or a caller through
 * the KCC (/intern/kcc/opzoeken) adds to a report later. The text and the caller's name and phone are
 * sealed (spec §8) with the addition's id as the row they belong to.
 */

export type AdditionSource = 'inwoner' | 'kcc';

export interface NewAddition {
  reportId: number;
  source: AdditionSource;
  body: string;
  callerName?: string | undefined;
  callerPhone?: string | undefined;
  enteredBy?: number | undefined;
}

export interface StoredAddition {
  id: number;
  reportId: number;
  source: AdditionSource;
  body: string;
  callerName: string | undefined;
  callerPhone: string | undefined;
  enteredByName: string | undefined;
  createdAt: string;
  /** Not yet seen by a coordinator when the report page was opened. */
  unseen: boolean;
}

const fields = fieldsOf('report_additions');

const s = lazy(() => {
  const d = db();
  return {
    insert: d.prepare(`
      INSERT INTO report_additions (report_id, source, body, entered_by, created_at)
      VALUES (@reportId, @source, '', @enteredBy, @createdAt)`),
    seal: d.prepare('UPDATE report_additions SET body = ?, caller_name = ?, caller_phone = ? WHERE id = ?'),
    ofReports: d.prepare(`
      SELECT a.id, a.report_id AS reportId, a.source, a.body, a.caller_name AS callerName, a.caller_phone AS callerPhone,
        u.name AS enteredByName, a.created_at AS createdAt, a.seen_at IS NULL AS unseen
      FROM report_additions a LEFT JOIN users u ON u.id = a.entered_by
      WHERE a.report_id IN (SELECT value FROM json_each(?)) ORDER BY a.created_at, a.id`),
    markSeen: d.prepare('UPDATE report_additions SET seen_at = ? WHERE report_id = ? AND seen_at IS NULL'),
    batch: d.prepare('SELECT id, body, caller_name, caller_phone FROM report_additions WHERE id > ? ORDER BY id LIMIT ?'),
    // Retention: the candidates are the additions with a caller detail (migration 0026), a batch at a time.
    eraseCallers: d.prepare(`
      UPDATE report_additions SET caller_name = NULL, caller_phone = NULL
      WHERE id IN (SELECT a.id FROM report_additions a INDEXED BY report_additions_with_caller
                   JOIN reports r ON r.id = a.report_id
                   WHERE (a.caller_name IS NOT NULL OR a.caller_phone IS NOT NULL)
                     AND r.closed_at IS NOT NULL AND r.closed_at < ? AND r.status IN (SELECT value FROM json_each(?))
                   LIMIT ?)`),
  };
});

/** Stores an addition; call inside the transaction that audits it. Returns its id. */
export function insertAddition(a: NewAddition, at: Date): number {
  const id = Number(s().insert.run({ reportId: a.reportId, source: a.source, enteredBy: a.enteredBy ?? null, createdAt: at.toISOString() }).lastInsertRowid);
  // Sealed for the row's own id, known once inserted.
  s().seal.run(fields.seal('body', id, a.body), fields.seal('caller_name', id, a.callerName), fields.seal('caller_phone', id, a.callerPhone), id);
  return id;
}

/** The additions to these reports, oldest first, opened. */
export function additionsOf(reportIds: readonly number[]): StoredAddition[] {
  if (reportIds.length === 0) return [];
  type Row = Omit<StoredAddition, 'unseen' | 'callerName' | 'callerPhone' | 'enteredByName'> & {
    callerName: string | null; callerPhone: string | null; enteredByName: string | null; unseen: number;
  };
  return (s().ofReports.all(JSON.stringify(reportIds)) as Row[]).map((r) => ({
    ...r,
    body: fields.open('body', r.id, r.body) ?? '',
    callerName: fields.open('caller_name', r.id, r.callerName),
    callerPhone: fields.open('caller_phone', r.id, r.callerPhone),
    enteredByName: r.enteredByName ?? undefined,
    unseen: r.unseen === 1,
  }));
}

/** A coordinator opened the report: its additions are no longer new (the queue's `Nieuwe aanvulling`). */
export function markAdditionsSeen(reportId: number, at: Date): void {
  s().markSeen.run(at.toISOString(), reportId);
}

/**
 * Retention: erases the caller's name and phone of at most `limit` additions to reports in one of
 * `statuses` closed before `closedBefore` (the reporter's contact details go at the same time). The text
 * of the addition stays with its report. Returns how many additions changed.
 */
export function eraseCallerContact(statuses: readonly ReportStatus[], closedBefore: Date, limit: number): number {
  return s().eraseCallers.run(closedBefore.toISOString(), JSON.stringify(statuses), limit).changes;
}

/** The encryption pass (src/features/encryption): texts and caller details after `afterId` sealed again where needed. */
export function resealAdditions(afterId: number, limit: number): ResealBatch<number> {
  const rows = s().batch.all(afterId, limit) as { id: number; body: string; caller_name: string | null; caller_phone: string | null }[];
  let changed = 0;
  for (const r of rows) {
    const body = resealed(fields, 'body', r.id, r.body);
    const name = resealed(fields, 'caller_name', r.id, r.caller_name);
    const phone = resealed(fields, 'caller_phone', r.id, r.caller_phone);
    if (body === r.body && name === r.caller_name && phone === r.caller_phone) continue;
    s().seal.run(body, name, phone, r.id);
    changed++;
  }
  return { last: rows.at(-1)?.id, changed };
}

const additionsOfDeleted = lazy(() => db().prepare('DELETE FROM report_additions WHERE report_id IN (SELECT value FROM json_each(?))'));
/**
 * Removes the additions of the reports `ids` just deleted, in one statement: retention deletes reports with
 * foreign keys off (retention.server.ts, REPORT_CHILDREN), so no cascade does it.
 */
export function deleteAdditionsOfDeletedReports(ids: readonly number[]): void {
  additionsOfDeleted().run(JSON.stringify(ids));
}
