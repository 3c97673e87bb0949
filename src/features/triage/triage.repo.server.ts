import { db, rekeying } from '#platform/db.ts';
import { fieldsOf, resealed, resealedEvent, type EventRow, type ResealBatch } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';
import { SEALED_EVENT_KINDS, type EventKind } from './triage.rules.ts';

/**
 * The only module that writes the triage tables: report_notes (append-only), report_events (the
 * history of a report) and report_links (repeat reports linked by the coordinator). Reading them is
 * for triage.queries.server.ts; the reports themselves are written by reports.repo.server.ts.
 */

const s = lazy(() => {
  const d = db();
  return {
    // The id is chosen before the insert: a sealed value names its row (the writes of this process are
    // serialised, and these run inside the handler's transaction).
    nextNoteId: d.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM report_notes'),
    nextEventId: d.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM report_events'),
    addNote: d.prepare('INSERT INTO report_notes (id, report_id, author_id, created_at, body) VALUES (?, ?, ?, ?, ?)'),
    addEvent: d.prepare(`
      INSERT INTO report_events (id, report_id, actor_id, at, kind, from_value, to_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    noteBatch: d.prepare('SELECT id, body FROM report_notes WHERE id > ? ORDER BY id LIMIT ?'),
    resealNote: d.prepare('UPDATE report_notes SET body = ? WHERE id = ?'),
    eventBatch: d.prepare('SELECT id, kind, from_value, to_value, reason FROM report_events WHERE id > ? ORDER BY id LIMIT ?'),
    resealEvent: d.prepare('UPDATE report_events SET from_value = ?, to_value = ?, reason = ? WHERE id = ?'),
    link: d.prepare('INSERT OR IGNORE INTO report_links (report_id, linked_id, created_at, created_by) VALUES (?, ?, ?, ?)'),
  };
});

const notes = fieldsOf('report_notes');
const events = fieldsOf('report_events');

const nextId = (st: { get(): unknown }): number => (st.get() as { id: number }).id;

export function addNote(reportId: number, authorId: number, body: string, at: Date): void {
  const id = nextId(s().nextNoteId);
  s().addNote.run(id, reportId, authorId, at.toISOString(), notes.seal('body', id, body));
}

export function addEvent(
  reportId: number,
  actorId: number | undefined,
  at: Date,
  kind: EventKind,
  fromValue: string | null,
  toValue: string | null,
  reason: string | null = null,
): void {
  const id = nextId(s().nextEventId);
  const value = (column: string, v: string | null) => (SEALED_EVENT_KINDS.has(kind) ? events.seal(column, id, v) : v);
  s().addEvent.run(id, reportId, actorId ?? null, at.toISOString(), kind, value('from_value', fromValue), value('to_value', toValue), events.seal('reason', id, reason));
}

/**
 * The encryption pass over notes and history (src/features/encryption): rows after `afterId`, at most
 * `limit`, sealed again where plain or under an older key. Notes are append-only: this is the one
 * change the database lets through (migration 0010), the text staying the same. Call inside a transaction.
 */
export function resealNotes(afterId: number, limit: number): ResealBatch<number> {
  const rows = s().noteBatch.all(afterId, limit) as { id: number; body: string }[];
  let changed = 0;
  rekeying(() => {
    for (const r of rows) {
      const next = resealed(notes, 'body', r.id, r.body);
      if (next === r.body) continue;
      s().resealNote.run(next, r.id);
      changed++;
    }
  });
  return { last: rows.at(-1)?.id, changed };
}

export function resealEvents(afterId: number, limit: number): ResealBatch<number> {
  const rows = s().eventBatch.all(afterId, limit) as (EventRow & { kind: EventKind })[];
  let changed = 0;
  for (const r of rows) {
    const next = resealedEvent(events, r, SEALED_EVENT_KINDS.has(r.kind));
    if (!next) continue;
    s().resealEvent.run(...next, r.id);
    changed++;
  }
  return { last: rows.at(-1)?.id, changed };
}

/** Links two reports (idempotent). */
export function linkReports(a: number, b: number, by: number, at: Date): boolean {
  const [low, high] = a < b ? [a, b] : [b, a];
  return s().link.run(low, high, at.toISOString(), by).changes === 1;
}

const trailOfDeleted = lazy(() => ({
  events: db().prepare('DELETE FROM report_events WHERE report_id IN (SELECT value FROM json_each(?))'),
  notes: db().prepare('DELETE FROM report_notes WHERE report_id IN (SELECT value FROM json_each(?))'),
  links: db().prepare('DELETE FROM report_links WHERE report_id IN (SELECT value FROM json_each(:ids)) OR linked_id IN (SELECT value FROM json_each(:ids))'),
}));
/**
 * Removes the history, notes and links of the reports `ids` just deleted, a statement per table: retention
 * deletes reports with foreign keys off (retention.server.ts, REPORT_CHILDREN), so no cascade does it.
 */
export function deleteTrailOfDeletedReports(ids: readonly number[]): void {
  const list = JSON.stringify(ids);
  const t = trailOfDeleted();
  t.events.run(list);
  t.notes.run(list);
  t.links.run({ ids: list });
}
