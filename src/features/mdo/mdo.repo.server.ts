import { db } from '#platform/db.ts';
import { fieldsOf, resealed, type ResealBatch } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';
import type { MeetingKind } from './mdo.rules.ts';

/**
 * The only module that writes the MDO tables (migration 0017): meetings (an overleg) and meeting_items
 * (a casus on its agenda, with the question and the agreements). Participants, question and
 * agreements are sealed here on the way in (spec §8); ids are chosen before the insert so the sealed
 * values name their row. The actions agreed in an overleg are the casus's (casus.repo.server.ts).
 */

const s = lazy(() => {
  const d = db();
  return {
    nextMeetingId: d.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM meetings'),
    nextItemId: d.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM meeting_items'),
    insertMeeting: d.prepare('INSERT INTO meetings (id, held_on, kind, participants, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)'),
    insertItem: d.prepare('INSERT INTO meeting_items (id, meeting_id, case_id, question, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?)'),
    setAgreements: d.prepare('UPDATE meeting_items SET agreements = ?, discussed_at = ?, discussed_by = ? WHERE id = ?'),
    meetingBatch: d.prepare('SELECT id, participants FROM meetings WHERE id > ? ORDER BY id LIMIT ?'),
    resealMeeting: d.prepare('UPDATE meetings SET participants = ? WHERE id = ?'),
    itemBatch: d.prepare('SELECT id, question, agreements FROM meeting_items WHERE id > ? ORDER BY id LIMIT ?'),
    resealItem: d.prepare('UPDATE meeting_items SET question = ?, agreements = ? WHERE id = ?'),
    // Retention: an overleg with nothing left on its agenda, held before the date.
    expired: d.prepare('SELECT id FROM meetings m WHERE m.held_on < ? AND NOT EXISTS (SELECT 1 FROM meeting_items i WHERE i.meeting_id = m.id) ORDER BY id'),
    deleteMeeting: d.prepare('DELETE FROM meetings WHERE id = ?'),
  };
});

const meetings = fieldsOf('meetings');
const items = fieldsOf('meeting_items');
const nextId = (st: { get(): unknown }): number => (st.get() as { id: number }).id;

/** Plans an overleg; returns its nummer. */
export function insertMeeting(m: { heldOn: string; kind: MeetingKind; participants: string }, by: number, at: Date): number {
  const id = nextId(s().nextMeetingId);
  s().insertMeeting.run(id, m.heldOn, m.kind, meetings.seal('participants', id, m.participants), at.toISOString(), by);
  return id;
}

/** Puts a casus on the agenda of an overleg with its question; returns the item's id. */
export function insertAgendaItem(meetingId: number, caseId: number, question: string, by: number, at: Date): number {
  const id = nextId(s().nextItemId);
  s().insertItem.run(id, meetingId, caseId, items.seal('question', id, question), at.toISOString(), by);
  return id;
}

/** Records (or corrects) what was agreed about a casus on the agenda. */
export function recordAgreements(itemId: number, agreements: string, by: number, at: Date): void {
  s().setAgreements.run(items.seal('agreements', itemId, agreements), at.toISOString(), by, itemId);
}

/** Retention: overleggen held before `heldBefore` (YYYY-MM-DD) whose casussen are all gone. */
export function expiredMeetingIds(heldBefore: string): number[] {
  return (s().expired.all(heldBefore) as { id: number }[]).map((r) => r.id);
}

export function deleteMeetings(ids: readonly number[]): void {
  for (const id of ids) s().deleteMeeting.run(id);
}

/** The encryption pass: overleggen after `afterId`, sealed again where plain or under an older key. */
export function resealMeetings(afterId: number, limit: number): ResealBatch<number> {
  const rows = s().meetingBatch.all(afterId, limit) as { id: number; participants: string }[];
  let changed = 0;
  for (const r of rows) {
    const next = resealed(meetings, 'participants', r.id, r.participants);
    if (next === r.participants) continue;
    s().resealMeeting.run(next, r.id);
    changed++;
  }
  return { last: rows.at(-1)?.id, changed };
}

/** The encryption pass: agenda items (question, agreements). */
export function resealAgendaItems(afterId: number, limit: number): ResealBatch<number> {
  const rows = s().itemBatch.all(afterId, limit) as { id: number; question: string; agreements: string | null }[];
  let changed = 0;
  for (const r of rows) {
    const question = resealed(items, 'question', r.id, r.question);
    const agreements = resealed(items, 'agreements', r.id, r.agreements);
    if (question === r.question && agreements === r.agreements) continue;
    s().resealItem.run(question, agreements, r.id);
    changed++;
  }
  return { last: rows.at(-1)?.id, changed };
}
