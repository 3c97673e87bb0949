// Reading sealed rows back in unit tests (spec §8): each sealed column is checked to be stored in the
// encrypted format, then opened for its row. A plain value in a sealed column fails the test.
import assert from 'node:assert/strict';
import { db } from '#platform/db.ts';
import { fieldsOf } from '#platform/crypto/fields.server.ts';
import { SEALED_COLUMNS } from '#features/reports/sealed-columns.rules.ts';
import { SEALED_EVENT_KINDS, type EventKind } from '#features/triage/triage.rules.ts';

export type Row = Record<string, string | number | null>;

/** The stored format: v1.<key id>.<iv>.<tag>.<ciphertext>. */
export const SEALED_FORMAT = /^v1\.[0-9a-f]{8}\.[\w-]{16}\.[\w-]{22}\.[\w-]*$/;

/** Opens `columns` of a raw row of `table` sealed for `rowKey`, asserting each is stored sealed. */
export function openRow(table: string, rowKey: string | number, raw: Row, columns: readonly string[]): Row {
  const fields = fieldsOf(table);
  const row = { ...raw };
  for (const column of columns) {
    const stored = row[column];
    if (stored === null || stored === undefined) continue;
    assert.match(String(stored), SEALED_FORMAT, `${table}.${column} is stored sealed`);
    row[column] = fields.open(column, rowKey, stored) ?? null;
  }
  return row;
}

/** A report's row as stored (sealed columns encrypted). */
export const rawReportRow = (reference: string): Row => db().prepare('SELECT * FROM reports WHERE reference = ?').get(reference) as Row;

/** A report's row with its sealed columns opened. */
export const reportRow = (reference: string): Row => openRow('reports', reference, rawReportRow(reference), SEALED_COLUMNS);

/** A report's history rows, oldest first, with their sealed values opened. */
export function eventRows(reportId: number): Row[] {
  const rows = db().prepare('SELECT id, kind, from_value, to_value, reason, actor_id FROM report_events WHERE report_id = ? ORDER BY id').all(reportId) as Row[];
  return rows.map((r) => {
    const columns = SEALED_EVENT_KINDS.has(r['kind'] as EventKind) ? ['from_value', 'to_value', 'reason'] : ['reason'];
    const { id: _id, ...opened } = openRow('report_events', Number(r['id']), r, columns);
    return opened;
  });
}

/** A report's notes, oldest first, with their bodies opened. */
export function noteRows(reportId: number): Row[] {
  const rows = db().prepare('SELECT id, author_id, body FROM report_notes WHERE report_id = ? ORDER BY id').all(reportId) as Row[];
  return rows.map((r) => openRow('report_notes', Number(r['id']), r, ['body']));
}
