import { db } from '#platform/db.ts';
import { fieldsOf } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';
import type { MeetingKind } from './mdo.rules.ts';

/**
 * Read models of the MDO (spec §5a): the overleggen (paged), one overleg with its agenda and the
 * actions agreed there, the agenda items of one casus (its timeline), the overleggen still to come,
 * a coordinator's open actions. Opens the sealed texts. Never writes.
 */

export interface MeetingRow {
  id: number;
  heldOn: string;
  kind: MeetingKind;
  items: number;
  discussed: number;
}

export interface Meeting {
  id: number;
  heldOn: string;
  kind: MeetingKind;
  participants: string;
}

export interface AgendaItem {
  id: number;
  caseId: number;
  caseName: string;
  avePhase: string;
  caseStatus: string;
  caseDirector: string | null;
  processDirector: string | null;
  treatmentDirector: string | null;
  question: string;
  agreements: string | null;
  discussedAt: string | null;
}

export interface MeetingAction {
  id: number;
  caseId: number;
  what: string;
  who: string;
  dueOn: string;
  doneAt: string | null;
}

export interface CaseMeeting {
  meetingId: number;
  heldOn: string;
  kind: MeetingKind;
  question: string;
  agreements: string | null;
  addedAt: string;
  discussedAt: string | null;
  discussedBy: string | null;
}

/** The overleggen, newest date first (exported for the query-plan test). */
export const MEETINGS_SQL = `
  SELECT m.id, m.held_on AS heldOn, m.kind,
    (SELECT count(*) FROM meeting_items i WHERE i.meeting_id = m.id) AS items,
    (SELECT count(*) FROM meeting_items i WHERE i.meeting_id = m.id AND i.agreements IS NOT NULL) AS discussed
  FROM meetings m ORDER BY m.held_on DESC, m.id DESC LIMIT ? OFFSET ?`;

/** A casus's agenda items, with their overleg (exported for the query-plan test). */
export const CASE_MEETINGS_SQL = `
  SELECT i.id, i.meeting_id AS meetingId, m.held_on AS heldOn, m.kind, i.question, i.agreements, i.added_at AS addedAt,
    i.discussed_at AS discussedAt, u.name AS discussedBy
  FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id LEFT JOIN users u ON u.id = i.discussed_by
  WHERE i.case_id = ? ORDER BY m.held_on DESC, i.id DESC LIMIT 200`;

const s = lazy(() => {
  const d = db();
  return {
    count: d.prepare('SELECT count(*) AS n FROM meetings'),
    page: d.prepare(MEETINGS_SQL),
    meeting: d.prepare('SELECT id, held_on AS heldOn, kind, participants FROM meetings WHERE id = ?'),
    agenda: d.prepare(`
      SELECT i.id, i.case_id AS caseId, c.name AS caseName, c.ave_phase AS avePhase, c.status AS caseStatus,
        c.case_director AS caseDirector, c.process_director AS processDirector, c.treatment_director AS treatmentDirector,
        i.question, i.agreements, i.discussed_at AS discussedAt
      FROM meeting_items i JOIN cases c ON c.id = i.case_id WHERE i.meeting_id = ? ORDER BY i.id`),
    item: d.prepare('SELECT id FROM meeting_items WHERE meeting_id = ? AND case_id = ?'),
    actions: d.prepare(`
      SELECT a.id, a.case_id AS caseId, a.what, a.who, a.due_on AS dueOn, a.done_at AS doneAt
      FROM case_actions a WHERE a.meeting_id = ? ORDER BY a.case_id, a.due_on, a.id`),
    ofCase: d.prepare(CASE_MEETINGS_SQL),
    planned: d.prepare('SELECT id, held_on AS heldOn, kind FROM meetings WHERE held_on >= ? ORDER BY held_on, id LIMIT 50'),
    mine: d.prepare(`
      SELECT a.case_id AS nummer, a.due_on AS dueOn, a.meeting_id AS meetingId FROM case_actions a JOIN cases c ON c.id = a.case_id
      WHERE a.created_by = ? AND a.done_at IS NULL AND c.status = 'open' ORDER BY a.due_on, a.id LIMIT 50`),
  };
});

const meetingFields = fieldsOf('meetings');
const itemFields = fieldsOf('meeting_items');
const caseFields = fieldsOf('cases');
const actionFields = fieldsOf('case_actions');

export function meetingPage(limit: number, offset: number): { rows: MeetingRow[]; total: number } {
  return { rows: s().page.all(limit, offset) as MeetingRow[], total: (s().count.get() as { n: number }).n };
}

export function meetingById(id: number): Meeting | undefined {
  const row = s().meeting.get(id) as Meeting | undefined;
  return row ? { ...row, participants: meetingFields.open('participants', row.id, row.participants) ?? '' } : undefined;
}

export function agendaOf(meetingId: number): AgendaItem[] {
  return (s().agenda.all(meetingId) as AgendaItem[]).map((i) => {
    const c = (column: string, v: string | null) => caseFields.open(column, i.caseId, v) ?? null;
    return {
      ...i,
      caseName: c('name', i.caseName) ?? '',
      caseDirector: c('case_director', i.caseDirector),
      processDirector: c('process_director', i.processDirector),
      treatmentDirector: c('treatment_director', i.treatmentDirector),
      question: itemFields.open('question', i.id, i.question) ?? '',
      agreements: itemFields.open('agreements', i.id, i.agreements) ?? null,
    };
  });
}

/** The agenda item of a casus in an overleg, if it is on it. */
export function agendaItemId(meetingId: number, caseId: number): number | undefined {
  return (s().item.get(meetingId, caseId) as { id: number } | undefined)?.id;
}

export function actionsOfMeeting(meetingId: number): MeetingAction[] {
  return (s().actions.all(meetingId) as MeetingAction[]).map((a) => ({ ...a, what: actionFields.open('what', a.id, a.what) ?? '', who: actionFields.open('who', a.id, a.who) ?? '' }));
}

/** The overleggen a casus was or is on the agenda of, newest first (the casus timeline). */
export function meetingsOfCase(caseId: number): CaseMeeting[] {
  return (s().ofCase.all(caseId) as (CaseMeeting & { id: number })[]).map(({ id, ...m }) => ({
    ...m,
    question: itemFields.open('question', id, m.question) ?? '',
    agreements: itemFields.open('agreements', id, m.agreements) ?? null,
  }));
}

/** The overleggen from `today` on, to put a casus on the agenda of. */
export function plannedMeetings(today: string): { id: number; heldOn: string; kind: MeetingKind }[] {
  return s().planned.all(today) as { id: number; heldOn: string; kind: MeetingKind }[];
}

/** `Mijn acties`: the open actions a coordinator recorded, of open casussen, by date (no texts: for the start page). */
export function myOpenActions(userId: number): { nummer: number; dueOn: string; meetingId: number | null }[] {
  return s().mine.all(userId) as { nummer: number; dueOn: string; meetingId: number | null }[];
}
