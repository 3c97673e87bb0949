import type { Urgency } from '#features/reports/urgency.rules.ts';
import { urgencyRank } from '#features/reports/urgency.rules.ts';
import { findReportByReference, type Channel, type StoredReport } from '#features/reports/reports.repo.server.ts';
import type { AuditObject } from '#features/audit/audit.repo.server.ts';
import type { Role } from '#features/auth/roles.schema.ts';
import { db } from '#platform/db.ts';
import { lazy } from '#lib/lazy.ts';
import { AWAITING_TRIAGE, type Status } from './triage.rules.ts';

/** Read models of triage: the queue, a report's triage fields, notes, history, repeats, access. Never writes. */

export interface QueueFilter {
  status?: Status | undefined;
  channel?: Channel | undefined;
  urgency?: Urgency | undefined;
  avePhase?: string | undefined;
  concern?: string | undefined;
  overdue?: boolean | undefined;
  assignedTo?: number | undefined;
  /** Posted search, never in the URL: a reference, a postcode, or (part of) a street name. */
  search?: string | undefined;
  oldestFirst?: boolean | undefined;
}

export interface QueueRow {
  reference: string;
  createdAt: string;
  channel: Channel;
  urgency: Urgency;
  status: Status;
  avePhase: string;
  place: string | null;
  postcode: string | null;
  dueOn: string;
  assignedTo: number | null;
}

function where(filter: QueueFilter, today: string): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (filter.status) {
    clauses.push('status = ?');
    params.push(filter.status);
  }
  if (filter.channel) {
    clauses.push('channel = ?');
    params.push(filter.channel);
  }
  if (filter.urgency) {
    clauses.push('urgency_rank = ?');
    params.push(urgencyRank(filter.urgency));
  }
  if (filter.avePhase) {
    clauses.push('ave_phase = ?');
    params.push(filter.avePhase);
  }
  if (filter.concern) {
    // EXISTS keeps the queue order of the index for a page (it stops after 50 matches instead of
    // sorting them all), and lets a count start from the index of the other filters. (An
    // `id IN (…)` list is built whole first: 25 ms for a common concern in 100,000 reports.)
    clauses.push('EXISTS (SELECT 1 FROM report_concerns c WHERE c.report_id = reports.id AND c.concern = ?)');
    params.push(filter.concern);
  }
  if (filter.overdue) {
    // The status is written into the SQL, not bound: SQLite uses the partial index `reports_overdue`
    // (`WHERE status = 'nieuw'`) only when the query repeats that term literally. It comes from
    // triage.rules.ts, never from input.
    clauses.push(`status = '${AWAITING_TRIAGE}' AND due_on < ?`);
    params.push(today);
  }
  if (filter.assignedTo !== undefined) {
    clauses.push('assigned_to = ?');
    params.push(filter.assignedTo);
  }
  const term = filter.search?.trim();
  if (term) {
    const compact = term.replace(/\s+/g, '').toUpperCase();
    if (/^MB-?[A-Z0-9]{8}$/.test(compact)) {
      clauses.push('reference = ?');
      params.push(compact.startsWith('MB-') ? compact : `MB-${compact.slice(2)}`);
    } else if (/^[1-9][0-9]{3}([A-Z]{2})?$/.test(compact)) {
      clauses.push(compact.length === 6 ? 'postcode = ?' : 'postcode >= ? AND postcode < ?');
      if (compact.length === 6) params.push(compact);
      else params.push(`${compact}AA`, `${compact}ZZ~`);
    } else {
      // Streets by the start of their name, case-insensitive, on the street index.
      clauses.push('street >= ? COLLATE NOCASE AND street < ? COLLATE NOCASE');
      params.push(term, `${term}\uffff`);
    }
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Above this many matches the queue says "more than" instead of counting on. */
export const COUNT_CAP = 5000;

const COLUMNS = `reference, created_at AS createdAt, channel, urgency, status, ave_phase AS avePhase, place, postcode,
  due_on AS dueOn, assigned_to AS assignedTo`;

/** The queue's SQL, exposed for the test that checks every variant uses an index. */
export function queueSql(filter: QueueFilter, today: string): { list: string; count: string; params: (string | number)[] } {
  const w = where(filter, today);
  const order = filter.oldestFirst ? 'urgency_rank, created_at' : 'urgency_rank, created_at DESC';
  // A concern alone is counted in its own index, without visiting a report.
  const { concern, oldestFirst: _order, ...others } = filter;
  const concernOnly = concern !== undefined && Object.values(others).every((v) => v === undefined || v === false);
  return {
    list: `SELECT ${COLUMNS} FROM reports ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    // Counting stops at COUNT_CAP: beyond that the exact number helps no one and costs a scan.
    count: concernOnly
      ? `SELECT count(*) AS n FROM (SELECT 1 FROM report_concerns WHERE concern = ? LIMIT ${COUNT_CAP + 1})`
      : `SELECT count(*) AS n FROM (SELECT 1 FROM reports ${w.sql} LIMIT ${COUNT_CAP + 1})`,
    params: w.params,
  };
}

// One statement per shape of the queue's SQL, prepared on first use (a few dozen shapes in practice).
const prepared = new Map<string, ReturnType<ReturnType<typeof db>['prepare']>>();
function statement(sql: string) {
  let s = prepared.get(sql);
  if (!s) {
    s = db().prepare(sql);
    if (prepared.size < 500) prepared.set(sql, s);
  }
  return s;
}

/** One page of the queue and the number of matching reports. */
export function queuePage(filter: QueueFilter, today: string, limit: number, offset: number): { rows: QueueRow[]; total: number } {
  const sql = queueSql(filter, today);
  const rows = statement(sql.list).all([...sql.params, limit, offset]) as QueueRow[];
  const total = (statement(sql.count).get(sql.params) as { n: number }).n;
  return { rows, total };
}

export interface TriageFields {
  id: number;
  status: Status;
  urgency: Urgency;
  suggestedUrgency: Urgency;
  avePhase: string;
  dueOn: string;
  assignedTo: number | null;
  assignedName: string | null;
  outcome: string | null;
  caseDirector: string | null;
  processDirector: string | null;
  treatmentDirector: string | null;
  wvggzStartedOn: string | null;
  forwardedTo: string | null;
  mergedInto: string | null;
  triagedAt: string | null;
  closedAt: string | null;
  addressKey: string | null;
  personKey: string | null;
  enteredByName: string | null;
  enteredByServiceNumber: string | null;
  createdAt: string;
}

export interface Note {
  id: number;
  author: string;
  createdAt: string;
  body: string;
}

export interface ReportEvent {
  at: string;
  actor: string | null;
  kind: string;
  fromValue: string | null;
  toValue: string | null;
  reason: string | null;
}

export interface RelatedReport {
  id: number;
  reference: string;
  createdAt: string;
  status: Status;
  channel: Channel;
  sameAddress: boolean;
  samePerson: boolean;
  linked: boolean;
}

export interface AccessEntry {
  at: string;
  actor: string | null;
  role: string;
  action: string;
  result: string;
}

/** Who may be assigned a report. */
const ASSIGNABLE_ROLE: Role = 'coordinator';
/** The audit rows of a report carry this object type. */
const REPORT_OBJECT: AuditObject = 'melding';

const s = lazy(() => {
  const d = db();
  return {
    triage: d.prepare(`
      SELECT r.id, r.status, r.urgency, r.suggested_urgency AS suggestedUrgency, r.ave_phase AS avePhase, r.due_on AS dueOn,
        r.assigned_to AS assignedTo, a.name AS assignedName, r.outcome, r.case_director AS caseDirector,
        r.process_director AS processDirector, r.treatment_director AS treatmentDirector, r.wvggz_started_on AS wvggzStartedOn,
        r.forwarded_to AS forwardedTo, m.reference AS mergedInto, r.triaged_at AS triagedAt, r.closed_at AS closedAt,
        r.address_key AS addressKey, r.person_key AS personKey, e.name AS enteredByName,
        e.service_number AS enteredByServiceNumber, r.created_at AS createdAt
      FROM reports r
      LEFT JOIN users a ON a.id = r.assigned_to
      LEFT JOIN users e ON e.id = r.entered_by
      LEFT JOIN reports m ON m.id = r.merged_into
      WHERE r.reference = ?`),
    idOf: d.prepare('SELECT id, status FROM reports WHERE reference = ?'),
    notes: d.prepare(`
      SELECT n.id, u.name AS author, n.created_at AS createdAt, n.body FROM report_notes n JOIN users u ON u.id = n.author_id
      WHERE n.report_id = ? ORDER BY n.id DESC`),
    events: d.prepare(`
      SELECT e.at, u.name AS actor, e.kind, e.from_value AS fromValue, e.to_value AS toValue, e.reason
      FROM report_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.report_id = ? ORDER BY e.id DESC LIMIT 200`),
    // The newest 50 by address and by person come from their indexes (ids follow time), plus every
    // linked report; only those are sorted. (Matching on everything first meant sorting hundreds of
    // rows for a common name: 4 ms of each report page on 100,000 reports.)
    related: d.prepare(`
      WITH candidates(id) AS (
        SELECT id FROM (SELECT id FROM reports WHERE address_key = @addressKey AND id <> @id ORDER BY id DESC LIMIT 50)
        UNION SELECT id FROM (SELECT id FROM reports WHERE person_key = @personKey AND id <> @id ORDER BY id DESC LIMIT 50)
        UNION SELECT linked_id FROM report_links WHERE report_id = @id
        UNION SELECT report_id FROM report_links WHERE linked_id = @id)
      SELECT r.id, r.reference, r.created_at AS createdAt, r.status, r.channel,
        (r.address_key IS NOT NULL AND r.address_key = @addressKey) AS sameAddress,
        (r.person_key IS NOT NULL AND r.person_key = @personKey) AS samePerson,
        EXISTS (SELECT 1 FROM report_links l WHERE (l.report_id = @id AND l.linked_id = r.id) OR (l.report_id = r.id AND l.linked_id = @id)) AS linked
      FROM candidates c JOIN reports r ON r.id = c.id
      ORDER BY r.created_at DESC LIMIT 50`),
    access: d.prepare(`
      SELECT a.at, u.name AS actor, a.actor_role AS role, a.action, a.result FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
      WHERE a.object_type = ? AND a.object_id = ? ORDER BY a.id DESC LIMIT ?`),
    coordinators: d.prepare('SELECT id, name FROM users WHERE role = ? AND disabled_at IS NULL ORDER BY name COLLATE NOCASE'),
  };
});

export function triageFields(reference: string): TriageFields | undefined {
  return s().triage.get(reference) as TriageFields | undefined;
}

export function reportIdOf(reference: string): { id: number; status: Status } | undefined {
  return s().idOf.get(reference) as { id: number; status: Status } | undefined;
}

export function notesOf(reportId: number): Note[] {
  return s().notes.all(reportId) as Note[];
}

export function eventsOf(reportId: number): ReportEvent[] {
  return s().events.all(reportId) as ReportEvent[];
}

/** Reports about the same address or person, and those already linked. */
export function relatedReports(t: Pick<TriageFields, 'id' | 'addressKey' | 'personKey'>): RelatedReport[] {
  return (s().related.all({ id: t.id, addressKey: t.addressKey, personKey: t.personKey }) as (Omit<RelatedReport, 'sameAddress' | 'samePerson' | 'linked'> & {
    sameAddress: number;
    samePerson: number;
    linked: number;
  })[]).map((r) => ({ ...r, sameAddress: r.sameAddress === 1, samePerson: r.samePerson === 1, linked: r.linked === 1 }));
}

export function accessHistory(reference: string, limit = 100): AccessEntry[] {
  return s().access.all(REPORT_OBJECT, reference, limit) as AccessEntry[];
}

/** Coordinators who can be assigned a report, by name. */
export function activeCoordinators(): { id: number; name: string }[] {
  return s().coordinators.all(ASSIGNABLE_ROLE) as { id: number; name: string }[];
}

/** Everything a report page shows. */
export interface ReportDetails {
  report: StoredReport;
  triage: TriageFields;
  notes: Note[];
  events: ReportEvent[];
  related: RelatedReport[];
  /** The newest rows of its access history. */
  access: AccessEntry[];
  coordinators: { id: number; name: string }[];
}

/** A report with its triage, notes, history, repeats and the newest 50 rows of its access history, or `undefined`. */
export function reportDetails(reference: string, accessRows = 50): ReportDetails | undefined {
  const report = findReportByReference(reference);
  const triage = triageFields(reference);
  if (!report || !triage) return undefined;
  return {
    report,
    triage,
    notes: notesOf(triage.id),
    events: eventsOf(triage.id),
    related: relatedReports(triage),
    access: accessHistory(reference, accessRows),
    coordinators: activeCoordinators(),
  };
}
