import type { Channel } from '#features/reports/reports.repo.server.ts';
import type { Status } from '#features/triage/triage.rules.ts';
import { db } from '#platform/db.ts';
import { fieldsOf } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';
import { SEALED_CASE_EVENT_KINDS, type CaseEventKind, type CaseStatus } from './casus.rules.ts';

/**
 * Read models of the casus (spec §5a): a casus with its reports and trajectory, the casus of a report
 * (its own, or that of the report it was merged into), the list of open casussen. Opens the sealed
 * names and texts. Never writes.
 */

export interface CaseSummary {
  id: number;
  name: string;
  avePhase: string;
  status: CaseStatus;
  caseDirector: string | null;
  processDirector: string | null;
  treatmentDirector: string | null;
  wvggzStartedOn: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface CaseReport {
  id: number;
  reference: string;
  createdAt: string;
  channel: Channel;
  status: Status;
  concerns: string[];
  addedAt: string;
  /** Merged into a report of the casus: it follows that report. */
  merged: boolean;
}

export interface CaseEvent {
  at: string;
  actor: string | null;
  kind: CaseEventKind;
  fromValue: string | null;
  toValue: string | null;
  reason: string | null;
}

export interface CaseNote {
  at: string;
  author: string;
  reference: string;
  body: string;
}

export interface CaseAction {
  id: number;
  what: string;
  who: string;
  dueOn: string;
  createdAt: string;
  doneAt: string | null;
  author: string | null;
  /** Agreed in an overleg (MDO): its nummer, date and kind. */
  meetingId: number | null;
  meetingOn: string | null;
  meetingKind: string | null;
}

export interface CaseDetails {
  summary: CaseSummary;
  reports: CaseReport[];
  events: CaseEvent[];
  /** The notes on its reports (append-only, on the report page). */
  notes: CaseNote[];
  actions: CaseAction[];
}

export interface CaseListRow extends CaseSummary {
  latestReportAt: string | null;
  reportCount: number;
  openActions: number;
  overdueActions: number;
  /** The date of the next overleg it is on the agenda of (today or later). */
  nextMeetingOn: string | null;
}

export interface CaseListFilter {
  avePhase?: string | undefined;
  regie?: 'cr' | 'pr' | 'br' | undefined;
  /** A village (`woonplaats` from the address lookup) of one of its reports. */
  area?: string | undefined;
  /** Only those with an open action past its date (`Met acties te laat`). */
  overdue?: boolean | undefined;
}

const CASE_COLUMNS = `c.id, c.name, c.ave_phase AS avePhase, c.status, c.case_director AS caseDirector, c.process_director AS processDirector,
  c.treatment_director AS treatmentDirector, c.wvggz_started_on AS wvggzStartedOn, c.created_at AS createdAt, c.closed_at AS closedAt`;

const REGIE_SQL = { cr: 'c.case_director IS NOT NULL', pr: 'c.process_director IS NOT NULL', br: 'c.treatment_director IS NOT NULL' } as const;

/** A casus's reports: its own and those merged into them (exported for the query-plan test). */
export const CASE_REPORTS_SQL = `
      SELECT r.id, r.reference, r.created_at AS createdAt, r.channel, r.status, cr.added_at AS addedAt, 0 AS merged,
        (SELECT group_concat(concern) FROM report_concerns WHERE report_id = r.id) AS concerns
      FROM case_reports cr JOIN reports r ON r.id = cr.report_id WHERE cr.case_id = @id
      UNION ALL
      SELECT m.id, m.reference, m.created_at, m.channel, m.status, cr.added_at, 1,
        (SELECT group_concat(concern) FROM report_concerns WHERE report_id = m.id)
      FROM case_reports cr JOIN reports m ON m.merged_into = cr.report_id WHERE cr.case_id = @id
      ORDER BY createdAt DESC`;

/** A casus's trajectory, newest first (exported for the query-plan test). */
export const CASE_EVENTS_SQL = `
      SELECT e.id, e.at, u.name AS actor, e.kind, e.from_value AS fromValue, e.to_value AS toValue, e.reason
      FROM case_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = ? ORDER BY e.at DESC, e.id DESC LIMIT 500`;

/** The notes on a casus's reports, newest first (exported for the query-plan test). */
export const CASE_NOTES_SQL = `
      SELECT n.id, n.created_at AS at, u.name AS author, r.reference, n.body
      FROM case_reports cr JOIN report_notes n ON n.report_id = cr.report_id JOIN reports r ON r.id = cr.report_id
      JOIN users u ON u.id = n.author_id
      WHERE cr.case_id = @id ORDER BY n.id DESC LIMIT 500`;

/** A casus's actions, with the overleg each was agreed in (exported for the query-plan test). */
export const CASE_ACTIONS_SQL = `
      SELECT a.id, a.what, a.who, a.due_on AS dueOn, a.created_at AS createdAt, a.done_at AS doneAt, u.name AS author,
        a.meeting_id AS meetingId, m.held_on AS meetingOn, m.kind AS meetingKind
      FROM case_actions a LEFT JOIN users u ON u.id = a.created_by LEFT JOIN meetings m ON m.id = a.meeting_id
      WHERE a.case_id = ? ORDER BY a.due_on, a.id`;

const s = lazy(() => {
  const d = db();
  return {
    summary: d.prepare(`SELECT ${CASE_COLUMNS} FROM cases c WHERE c.id = ?`),
    // Its own membership, else that of the report it was merged into.
    caseOfReport: d.prepare(`
      SELECT case_id AS id FROM case_reports WHERE report_id = @id
      UNION ALL SELECT cr.case_id FROM reports r JOIN case_reports cr ON cr.report_id = r.merged_into WHERE r.id = @id
      LIMIT 1`),
    membership: d.prepare('SELECT case_id AS id FROM case_reports WHERE report_id = ?'),
    // Reports merged into this one that were put in a casus themselves.
    mergedWithCase: d.prepare('SELECT r.id, r.reference FROM reports r JOIN case_reports cr ON cr.report_id = r.id WHERE r.merged_into = ?'),
    reports: d.prepare(CASE_REPORTS_SQL),
    events: d.prepare(CASE_EVENTS_SQL),
    notes: d.prepare(CASE_NOTES_SQL),
    actions: d.prepare(CASE_ACTIONS_SQL),
    overdue: d.prepare(`
      SELECT a.case_id AS nummer, a.due_on AS dueOn FROM case_actions a JOIN cases c ON c.id = a.case_id
      WHERE a.done_at IS NULL AND a.due_on < ? AND c.status = 'open' ORDER BY a.due_on LIMIT 100`),
    openChoices: d.prepare(`SELECT id, name FROM cases WHERE status = 'open' ORDER BY id DESC LIMIT 500`),
    casesOfReports: d.prepare(`
      SELECT DISTINCT cr.case_id AS id FROM json_each(?) j JOIN case_reports cr ON cr.report_id = j.value`),
  };
});

const caseFields = fieldsOf('cases');
const noteFields = fieldsOf('report_notes');
const actionFields = fieldsOf('case_actions');
const eventFields = fieldsOf('case_events');

function opened<T extends CaseSummary>(row: T): T {
  const open = (column: string, v: string | null) => caseFields.open(column, row.id, v) ?? null;
  return {
    ...row,
    name: open('name', row.name) ?? '',
    caseDirector: open('case_director', row.caseDirector),
    processDirector: open('process_director', row.processDirector),
    treatmentDirector: open('treatment_director', row.treatmentDirector),
  };
}

export function caseSummary(id: number): CaseSummary | undefined {
  const row = s().summary.get(id) as CaseSummary | undefined;
  return row ? opened(row) : undefined;
}

/** The casus a report belongs to: its own, or that of the report it was merged into. */
export function caseIdOfReport(reportId: number): number | undefined {
  return (s().caseOfReport.get({ id: reportId }) as { id: number } | undefined)?.id;
}

/** The reports merged into `reportId` that are in a casus of their own. */
export function mergedWithOwnCase(reportId: number): { id: number; reference: string }[] {
  return s().mergedWithCase.all(reportId) as { id: number; reference: string }[];
}

/** The casus the report itself was put in (not through a merge). */
export function membershipOf(reportId: number): number | undefined {
  return (s().membership.get(reportId) as { id: number } | undefined)?.id;
}

export function caseReports(id: number): CaseReport[] {
  return (s().reports.all({ id }) as (Omit<CaseReport, 'concerns' | 'merged'> & { concerns: string | null; merged: number })[]).map((r) => ({
    ...r,
    concerns: r.concerns ? r.concerns.split(',') : [],
    merged: r.merged === 1,
  }));
}

export function caseEvents(id: number): CaseEvent[] {
  return (s().events.all(id) as (CaseEvent & { id: number })[]).map(({ id: eventId, ...e }) => {
    const sealed = SEALED_CASE_EVENT_KINDS.has(e.kind);
    const open = (column: string, v: string | null) => (sealed ? (eventFields.open(column, eventId, v) ?? null) : v);
    return { ...e, fromValue: open('from_value', e.fromValue), toValue: open('to_value', e.toValue), reason: eventFields.open('reason', eventId, e.reason) ?? null };
  });
}

export function caseDetails(id: number): CaseDetails | undefined {
  const summary = caseSummary(id);
  if (!summary) return undefined;
  const notes = (s().notes.all({ id }) as (CaseNote & { id: number })[]).map(({ id: noteId, ...n }) => ({ ...n, body: noteFields.open('body', noteId, n.body) ?? '' }));
  const actions = (s().actions.all(id) as CaseAction[]).map((a) => ({ ...a, what: actionFields.open('what', a.id, a.what) ?? '', who: actionFields.open('who', a.id, a.who) ?? '' }));
  return { summary, reports: caseReports(id), events: caseEvents(id), notes, actions };
}

/** Open casussen to add a report to: the casussen of `preferredReportIds` (the matching earlier reports) first. */
export function openCaseChoices(preferredReportIds: readonly number[]): { id: number; name: string; preferred: boolean }[] {
  const preferred = new Set((s().casesOfReports.all(JSON.stringify(preferredReportIds)) as { id: number }[]).map((r) => r.id));
  const rows = (s().openChoices.all() as { id: number; name: string }[]).map((r) => ({
    id: r.id,
    name: caseFields.open('name', r.id, r.name) ?? '',
    preferred: preferred.has(r.id),
  }));
  return [...rows.filter((r) => r.preferred), ...rows.filter((r) => !r.preferred)];
}

const listStatements = new Map<string, ReturnType<ReturnType<typeof db>['prepare']>>();

/** The open actions past their date of open casussen (no names, no texts: for the start page). */
export function overdueActions(today: string): { nummer: number; dueOn: string }[] {
  return s().overdue.all(today) as { nummer: number; dueOn: string }[];
}

/** Open casussen a page of the list shows. */
export const CASE_PAGE_SIZE = 50;

/** The WHERE of the list of open casussen and its parameters; `today` decides what is overdue. */
function caseListWhere(filter: CaseListFilter, today: string): { where: string; params: Record<string, string> } {
  const where = [`c.status = 'open'`];
  const params: Record<string, string> = { today };
  if (filter.avePhase) {
    where.push('c.ave_phase = @avePhase');
    params['avePhase'] = filter.avePhase;
  }
  if (filter.regie) where.push(REGIE_SQL[filter.regie]);
  if (filter.area) {
    where.push('EXISTS (SELECT 1 FROM case_reports cr JOIN reports r ON r.id = cr.report_id WHERE cr.case_id = c.id AND r.woonplaats = @area)');
    params['area'] = filter.area;
  }
  if (filter.overdue) where.push('EXISTS (SELECT 1 FROM case_actions a WHERE a.case_id = c.id AND a.done_at IS NULL AND a.due_on < @today)');
  return { where: where.join(' AND '), params };
}

/** The SQL of one page of the list of open casussen (exported for the query-plan test); `today` decides what is overdue. */
export function caseListSql(filter: CaseListFilter, today: string, page = 1): { sql: string; params: Record<string, string> } {
  const { where, params } = caseListWhere(filter, today);
  const sql = `
    SELECT ${CASE_COLUMNS},
      (SELECT max(r.created_at) FROM case_reports cr JOIN reports r ON r.id = cr.report_id WHERE cr.case_id = c.id) AS latestReportAt,
      (SELECT count(*) FROM case_reports cr WHERE cr.case_id = c.id) AS reportCount,
      (SELECT count(*) FROM case_actions a WHERE a.case_id = c.id AND a.done_at IS NULL) AS openActions,
      (SELECT count(*) FROM case_actions a WHERE a.case_id = c.id AND a.done_at IS NULL AND a.due_on < @today) AS overdueActions,
      (SELECT min(m.held_on) FROM meeting_items i JOIN meetings m ON m.id = i.meeting_id WHERE i.case_id = c.id AND m.held_on >= @today) AS nextMeetingOn
    FROM cases c WHERE ${where}
    ORDER BY c.updated_at DESC, c.id DESC LIMIT ${CASE_PAGE_SIZE} OFFSET ${(page - 1) * CASE_PAGE_SIZE}`;
  return { sql, params };
}

/**
 * The SQL that counts the open casussen of a filter (exported for the query-plan test). On the status
 * index by name: where most casussen are open, SQLite's statistics would otherwise read the whole table.
 */
export function caseCountSql(filter: CaseListFilter, today: string): { sql: string; params: Record<string, string> } {
  const { where, params } = caseListWhere(filter, today);
  return { sql: `SELECT count(*) FROM cases c INDEXED BY cases_by_status WHERE ${where}`, params };
}

const prepared = (sql: string): ReturnType<ReturnType<typeof db>['prepare']> => {
  let st = listStatements.get(sql);
  if (!st) {
    st = db().prepare(sql);
    listStatements.set(sql, st);
  }
  return st;
};

/** One page of the open casussen of a filter, and how many there are in all. */
export function caseList(filter: CaseListFilter, today: string, page = 1): { rows: CaseListRow[]; total: number } {
  const list = caseListSql(filter, today, page);
  const count = caseCountSql(filter, today);
  return { rows: (prepared(list.sql).all(list.params) as CaseListRow[]).map(opened), total: prepared(count.sql).pluck().get(count.params) as number };
}
