import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';
import type { EventKind } from './triage.rules.ts';

/**
 * The only module that writes the triage tables: report_notes (append-only), report_events (the
 * history of a report) and report_links (repeat reports linked by the coordinator). Reading them is
 * for triage.queries.server.ts; the reports themselves are written by reports.repo.server.ts.
 */

const s = lazy(() => {
  const d = db();
  return {
    addNote: d.prepare('INSERT INTO report_notes (report_id, author_id, created_at, body) VALUES (?, ?, ?, ?)'),
    addEvent: d.prepare(`
      INSERT INTO report_events (report_id, actor_id, at, kind, from_value, to_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    link: d.prepare('INSERT OR IGNORE INTO report_links (report_id, linked_id, created_at, created_by) VALUES (?, ?, ?, ?)'),
  };
});

export function addNote(reportId: number, authorId: number, body: string, at: Date): void {
  s().addNote.run(reportId, authorId, at.toISOString(), body);
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
  s().addEvent.run(reportId, actorId ?? null, at.toISOString(), kind, fromValue, toValue, reason);
}

/** Links two reports (idempotent). */
export function linkReports(a: number, b: number, by: number, at: Date): boolean {
  const [low, high] = a < b ? [a, b] : [b, a];
  return s().link.run(low, high, at.toISOString(), by).changes === 1;
}
