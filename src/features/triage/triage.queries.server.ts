import type { Urgency } from '#features/reports/urgency.rules.ts';
import { urgencyRank } from '#features/reports/urgency.rules.ts';
import { URGENCY } from '#features/reports/options.schema.ts';
import { REPORT_ID_BY_REFERENCE, blindLookups, findReportByReference, type Channel, type StoredReport } from '#features/reports/reports.repo.server.ts';
import { deletedEarlier, type DeletedEarlier } from '#features/retention/retention.queries.server.ts';
import type { AuditObject } from '#features/audit/audit.repo.server.ts';
import type { Role } from '#features/auth/roles.schema.ts';
import { addressNumberKey, normaliseName, registrationKey, streetKey, streetNumberKey } from '#features/reports/repeat-keys.rules.ts';
import { db } from '#platform/db.ts';
import { blindAll, fieldsOf } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';
import { AWAITING_TRIAGE, OPEN_WORK, SEALED_EVENT_KINDS, isOpenWork, type EventKind, type Outcome, type Status } from './triage.rules.ts';
import { parseSearch } from './search.rules.ts';

/** Read models of triage: the queue, a report's triage fields, notes, history, repeats, access. Never writes. */

export interface QueueFilter {
  /** A chosen status, `alle` for every status; absent: the open work (OPEN_WORK). */
  status?: Status | 'alle' | undefined;
  channel?: Channel | undefined;
  urgency?: Urgency | undefined;
  avePhase?: string | undefined;
  concern?: string | undefined;
  outcome?: Outcome | undefined;
  /** The village from the address lookup (`woonplaats`), or `onbekend` for reports without one. */
  area?: string | undefined;
  overdue?: boolean | undefined;
  assignedTo?: number | undefined;
  /** Posted search, never in the URL (search.rules.ts). Without a chosen status it looks in every status. */
  search?: string | undefined;
  /** `termijn`: overdue first, then by deadline, then most urgent (the open work's default); else most urgent, newest or oldest first. */
  order?: QueueOrder | undefined;
}

export type QueueOrder = 'termijn' | 'nieuw' | 'oud';

export interface QueueRow {
  reference: string;
  createdAt: string;
  channel: Channel;
  urgency: Urgency;
  status: Status;
  avePhase: string;
  /** The village from the address lookup; `null` without one. */
  woonplaats: string | null;
  otherMunicipality: number;
  addressCheck: string | null;
  dueOn: string;
  assignedTo: number | null;
  wvggzStartedOn: string | null;
  /** An addition no coordinator has seen yet (the marker `Nieuwe aanvulling`): 1 or 0. */
  newAddition: number;
  /** The casus the report belongs to (a merged report: the casus of the report it was merged into), if any. */
  caseNumber: number | null;
}

/** The open statuses as an SQL list, written literally: SQLite uses a partial index only when the query repeats its condition. */
const OPEN_SQL = `status IN (${OPEN_WORK.map((st) => `'${st}'`).join(', ')})`;
/** Overdue: awaiting triage, due before today (the partial index `reports_awaiting_by_due`). */
const OVERDUE_SQL = `status = '${AWAITING_TRIAGE}' AND due_on < ?`;

/**
 * The search as SQL terms (search.rules.ts): each reading of the term, OR-ed, each on its own index.
 * Street, name and house number are encrypted (spec §8): they are found by their blind indexes, an exact
 * match of the normalised value (any case, accents, punctuation), under every key of the keyring.
 */
/**
 * A search as SQL: its term and its parameters; and when every reading is by a key, `keys`: each reading's
 * matches in `report_keys` alone, taking the same parameters in the same order (for QueuePart.estimate).
 */
interface SearchClause {
  sql: string;
  params: string[];
  keys?: string[];
}

/**
 * At least how many reports the readings `keys` match: the reading that matches most, each counted on its own
 * up to COUNT_CAP + 1 (a report has one key of a kind, so no reading counts a report twice; a report found by
 * two readings would count twice in a sum). Above COUNT_CAP that settles it: a street (a tenth of the reports)
 * stops at 5,001 keys, where the union of street and name collected every match of both first (11 ms at
 * 1,000,000 reports, now about 1).
 */
const keysEstimate = (keys: readonly string[]) => `SELECT max(${keys.map((k) => `(SELECT count(*) FROM (${k} LIMIT ${COUNT_CAP + 1}))`).join(', ')}) AS n`;

function searchClause(term: string | undefined): SearchClause | undefined {
  const search = parseSearch(term ?? '');
  if (!search) return undefined;
  const alternatives: SearchClause[] = [];
  // The keys are in a table of their own (migration 0028), the reference and the postcode among them. `keys`: the same
  // matches in that table alone, for an estimate that needs no report (QueuePart.estimate).
  const keyMatch = (kind: string, condition: string, params: string[]) => {
    const matches = `SELECT report_id FROM report_keys WHERE kind = '${kind}' AND ${condition}`;
    return { sql: `id IN (${matches})`, params, keys: [matches] };
  };
  const blindMatch = (kind: string, keys: string) => keyMatch(kind, 'key IN (SELECT value FROM json_each(?))', [keys]);
  if (search.reference) alternatives.push({ sql: `id = ${REPORT_ID_BY_REFERENCE}`, params: [search.reference] });
  if (search.postcode) {
    const p = search.postcode;
    if (p.complete && p.houseNumber !== undefined) alternatives.push(blindMatch('address_number', blindAll('address_number', addressNumberKey(p.postcode, p.houseNumber))));
    else if (p.complete) alternatives.push(keyMatch('postcode', 'key = ?', [p.postcode]));
    // Four digits (with a number or not): the postcode area.
    else alternatives.push(keyMatch('postcode', 'key >= ? AND key < ?', [`${p.postcode}AA`, `${p.postcode}ZZ~`]));
  }
  if (search.street) {
    const { start, houseNumber } = search.street;
    alternatives.push(
      houseNumber === undefined
        ? blindMatch('street', blindAll('street', streetKey(start)))
        : blindMatch('street_number', blindAll('street_number', streetNumberKey(start, houseNumber))),
    );
  }
  if (search.name) alternatives.push(blindMatch('name', blindAll('name', normaliseName(search.name))));
  if (search.registration) alternatives.push(blindMatch('police_reference', blindAll('registration', registrationKey(search.registration))));
  if (alternatives.length === 1) return alternatives[0]!;
  const keys = alternatives.every((t) => t.keys) ? alternatives.flatMap((t) => t.keys!) : undefined;
  // Several readings: the ids each finds on its own index. (As an OR, the count gave up on the
  // indexes and read the whole table.)
  return {
    // A reading by a blind index gives its ids straight from the table of keys: looking each up in reports
    // first cost 240 ms for a street in 1,000,000 reports (70,000 ids); the query that uses the list joins them anyway.
    sql: `id IN (${alternatives.map((t) => t.keys?.join(' UNION ALL ') ?? `SELECT id FROM reports WHERE ${t.sql}`).join(' UNION ALL ')})`,
    params: alternatives.flatMap((t) => t.params),
    ...(keys ? { keys } : {}),
  };
}

/** The filters other than status and overdue, as SQL terms. */
function filterClauses(filter: QueueFilter, byDue = false): { clauses: string[]; params: (string | number)[]; search: SearchClause | undefined } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const add = (sql: string, ...values: (string | number)[]) => {
    clauses.push(sql);
    params.push(...values);
  };
  if (filter.channel) add('channel = ?', filter.channel);
  // By deadline, the urgency is a filter on the walk (`+` keeps SQLite from ordering by it and sorting).
  if (filter.urgency) add(byDue ? '+urgency_rank = ?' : 'urgency_rank = ?', urgencyRank(filter.urgency));
  if (filter.avePhase) add('ave_phase = ?', filter.avePhase);
  // EXISTS keeps the queue order of the index for a page (it stops after 50 matches instead of
  // sorting them all), and lets a count start from the index of the other filters. (An
  // `id IN (…)` list is built whole first: 25 ms for a common concern in 100,000 reports.)
  if (filter.concern) add('EXISTS (SELECT 1 FROM report_concerns c WHERE c.report_id = reports.id AND c.concern = ?)', filter.concern);
  if (filter.outcome) add('outcome = ?', filter.outcome);
  if (filter.area === UNKNOWN_AREA) add('woonplaats IS NULL');
  else if (filter.area) add('woonplaats = ?', filter.area);
  if (filter.assignedTo !== undefined) add('assigned_to = ?', filter.assignedTo);
  const search = searchClause(filter.search);
  if (search) add(search.sql, ...search.params);
  return { clauses, params, search };
}

/** Above this many matches the queue says "more than" instead of counting on. */
export const COUNT_CAP = 5000;

const COLUMNS = `reference, created_at AS createdAt, channel, urgency, status, ave_phase AS avePhase, woonplaats,
  other_municipality AS otherMunicipality, address_check AS addressCheck, due_on AS dueOn, assigned_to AS assignedTo, wvggz_started_on AS wvggzStartedOn,
  EXISTS (SELECT 1 FROM report_additions a WHERE a.report_id = reports.id AND a.seen_at IS NULL) AS newAddition,
  coalesce((SELECT case_id FROM case_reports WHERE report_id = reports.id), (SELECT case_id FROM case_reports WHERE report_id = reports.merged_into)) AS caseNumber`;

/** One part of the queue: its page query, its count, their parameters. */
export interface QueuePart {
  list: string;
  /** How many reports match, counted up to a limit: its last parameter, after `params`. */
  count: string;
  params: (string | number)[];
  /**
   * For a search: the page query that walks the index of the queue's order and checks the search on the
   * way, used when the search matches more than COUNT_CAP reports. A broad search (a postcode area, a
   * street: a tenth of a million reports) then stops after a page instead of sorting every match; a
   * narrow one (a reference, an address) keeps `list`, its own index and a sort of at most COUNT_CAP rows.
   */
  wide?: { list: string; params: (string | number)[] };
  /**
   * For a search by keys alone (blind indexes, a postcode): at least how many reports it matches, each reading
   * counted up to COUNT_CAP + 1 in the table of keys, without visiting a report (a street matches about 70,000
   * of 1,000,000 reports, and looking 5,001 of them up took 470 ms from disk). Trusted only above COUNT_CAP (a
   * key of a report deleted but not yet swept counts too, a few at most); at or below it the part is counted
   * exactly.
   */
  estimate?: string;
}

/** Whether the filter asks for the open work: no status chosen (and no search), or an open status. */
export function isOpenScope(filter: QueueFilter): boolean {
  if (filter.status === undefined) return !parseSearch(filter.search ?? '');
  return filter.status !== 'alle' && isOpenWork(filter.status);
}

/** The order the queue is shown in: `termijn` only for the open work. */
export function queueOrder(filter: QueueFilter): QueueOrder {
  const open = isOpenScope(filter);
  const order = filter.order ?? (open ? 'termijn' : 'nieuw');
  return order === 'termijn' && !open ? 'nieuw' : order;
}

const sql = (where: string[], order: string, from = 'reports'): string => `SELECT ${COLUMNS} FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ? OFFSET ?`;
// Counting stops at a limit (the last parameter): above COUNT_CAP the exact number helps no one and costs a
// scan, and queuePage counts each part only up to what the parts before it leave of COUNT_CAP + 1.
const countSql = (where: string[], from = 'reports'): string => `SELECT count(*) AS n FROM (SELECT 1 FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} LIMIT ?)`;

/**
 * A page query that walks `index` (urgency, then newest first: of one status, or of all reports) and
 * checks the other terms on the way. Newest first it is the index's own order. Oldest first, each
 * urgency is walked backwards on its own (equal urgency: the index gives the age in either direction),
 * and SQLite merges the four ordered walks (a compound ORDER BY on ordered arms), again without a sort.
 */
function walkInOrder(where: string[], params: (string | number)[], order: QueueOrder, index: string): { list: string; params: (string | number)[] } {
  const from = `reports INDEXED BY ${index}`;
  if (order !== 'oud') return { list: sql(where, 'urgency_rank, created_at DESC', from), params };
  const ranks = Object.keys(URGENCY).map((u) => urgencyRank(u as Urgency));
  const arm = (rank: number) => `SELECT ${COLUMNS}, urgency_rank AS urgencyRank FROM ${from} WHERE ${[...where, `urgency_rank = ${rank}`].join(' AND ')}`;
  return { list: `${ranks.map(arm).join(' UNION ALL ')} ORDER BY urgencyRank, createdAt LIMIT ? OFFSET ?`, params: ranks.flatMap(() => params) };
}

/**
 * The queue's SQL, in the parts shown one after the other, exposed for the test that checks every variant
 * uses an index. The open work by deadline is two parts: the overdue reports, then the rest of the open
 * work, each walked in the order of its own partial index (due date, urgency, age), so no part sorts.
 */
export function queueSql(filter: QueueFilter, today: string): QueuePart[] {
  const order = queueOrder(filter);
  const f = filterClauses(filter, order === 'termijn');
  const chosen = filter.status !== undefined && filter.status !== 'alle' ? filter.status : undefined;
  if (order === 'termijn') {
    const byDue = 'due_on, urgency_rank, created_at';
    // INDEXED BY: the planner, seeing `status = ?`, would take reports_by_status and sort. The open work
    // is small (a few hundred reports where the table holds years of closed ones), so walking it in
    // order and stopping after a page is cheaper than any other index plus a sort, whatever the filters.
    const parts: QueuePart[] = [];
    if (chosen === undefined || chosen === AWAITING_TRIAGE) {
      const where = [OVERDUE_SQL, ...f.clauses];
      const from = 'reports INDEXED BY reports_awaiting_by_due';
      parts.push({ list: sql(where, byDue, from), count: countSql(where, from), params: [today, ...f.params] });
    }
    if (!filter.overdue && chosen === AWAITING_TRIAGE) {
      // The rest of the reports awaiting triage: a range of the same index, not a walk of all open work.
      const where = [`status = '${AWAITING_TRIAGE}' AND due_on >= ?`, ...f.clauses];
      const from = 'reports INDEXED BY reports_awaiting_by_due';
      parts.push({ list: sql(where, byDue, from), count: countSql(where, from), params: [today, ...f.params] });
    } else if (!filter.overdue) {
      const where = [OPEN_SQL, `(status <> '${AWAITING_TRIAGE}' OR due_on >= ?)`, ...(chosen ? ['status = ?'] : []), ...f.clauses];
      const from = 'reports INDEXED BY reports_open_by_due';
      parts.push({ list: sql(where, byDue, from), count: countSql(where, from), params: [today, ...(chosen ? [chosen] : []), ...f.params] });
    }
    return parts;
  }
  const where: string[] = [];
  const params: (string | number)[] = [];
  const searching = parseSearch(filter.search ?? '') !== undefined;
  // The open work oldest first: walked in the order of its own partial index (which needs the open
  // statuses written literally in the query), instead of sorting every open report.
  const openByAge = order === 'oud' && !searching && (chosen ? isOpenWork(chosen) : isOpenScope(filter));
  if (chosen) (where.push('status = ?'), params.push(chosen));
  if ((!chosen && filter.status === undefined && isOpenScope(filter)) || openByAge) where.push(OPEN_SQL);
  if (filter.overdue) (where.push(OVERDUE_SQL), params.push(today));
  where.push(...f.clauses);
  params.push(...f.params);
  const byUrgency = order === 'oud' ? 'urgency_rank, created_at' : 'urgency_rank, created_at DESC';
  // A concern alone is counted in its own index, without visiting a report.
  const { concern, order: _order, status, ...others } = filter;
  const concernOnly = concern !== undefined && status === 'alle' && Object.values(others).every((v) => v === undefined || v === false);
  // The search is the only term: no status, no open work, no other filter.
  const search = f.search;
  const searchOnly = search?.keys !== undefined && where.length === 1 && f.clauses.length === 1;
  return [
    {
      ...(searchOnly ? { estimate: keysEstimate(search.keys!) } : {}),
      list: sql(where, byUrgency, openByAge ? 'reports INDEXED BY reports_open_by_age' : 'reports'),
      count: concernOnly ? 'SELECT count(*) AS n FROM (SELECT 1 FROM report_concerns WHERE concern = ? LIMIT ?)' : countSql(where),
      params,
      ...(searching ? { wide: walkInOrder(where, params, order, chosen ? 'reports_by_status' : 'reports_queue_by_urgency_and_age') } : {}),
    },
  ];
}

// One statement per shape of the queue's SQL, prepared on first use (a few dozen shapes in practice).
const prepared = new Map<string, ReturnType<ReturnType<typeof db>['prepare']>>();
function statement(text: string) {
  let st = prepared.get(text);
  if (!st) {
    st = db().prepare(text);
    if (prepared.size < 500) prepared.set(text, st);
  }
  return st;
}

/**
 * One page of the queue and the number of matching reports, counted up to COUNT_CAP + 1 over all parts: a part
 * is counted only up to what the parts before it leave (the overdue reports with a concern counted 3,345 of
 * 1,000,000 reports; the rest of the open work then needs 1,656 more to be "more than 5,000", not 5,001).
 * The queue pages through COUNT_CAP reports at most, so every row it can show lies within the counts.
 */
export function queuePage(filter: QueueFilter, today: string, limit: number, offset: number): { rows: QueueRow[]; total: number } {
  const rows: QueueRow[] = [];
  let total = 0;
  let skip = offset;
  for (const part of queueSql(filter, today)) {
    const estimated = part.estimate ? (statement(part.estimate).get(part.params) as { n: number }).n : 0;
    const left = COUNT_CAP + 1 - total;
    const n = estimated > COUNT_CAP ? estimated : left > 0 ? (statement(part.count).get([...part.params, left]) as { n: number }).n : 0;
    total += n;
    const want = limit - rows.length;
    const { list, params } = part.wide && n > COUNT_CAP ? part.wide : part;
    if (want > 0 && skip < n) rows.push(...(statement(list).all([...params, want, skip]) as QueueRow[]));
    skip = Math.max(0, skip - n);
  }
  return { rows, total };
}

/** The value of the area filter for reports without a looked-up address. */
export const UNKNOWN_AREA = 'onbekend';

/** The areas the queue can filter on: the villages the address lookup found, by name. */
export function queueAreas(): string[] {
  return (s().areas.all() as { woonplaats: string }[]).map((r) => r.woonplaats);
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
  /** Blind indexes: the address (postcode, number, addition), the BAG address, the person (name and place). */
  addressKey: string | null;
  bagKey: string | null;
  personKey: string | null;
  enteredByName: string | null;
  enteredByServiceNumber: string | null;
  createdAt: string;
  /** `Geen terugkoppeling sturen` (spec §7). */
  feedbackOff: boolean;
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
  /** For an assignment: the names of the users the values name (any user, also one disabled since). */
  fromName: string | null;
  toName: string | null;
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

/**
 * The newest 50 other reports with a key (the table of keys, migration 0028; a key of a deleted report
 * that retention has not swept yet is passed over).
 */
const newestByKey = (kind: string, param: string) => `
  SELECT k.report_id AS id FROM report_keys k
  WHERE k.kind = '${kind}' AND k.key = ${param} AND k.report_id <> @id AND EXISTS (SELECT 1 FROM reports x WHERE x.id = k.report_id)
  ORDER BY k.report_id DESC LIMIT 50`;

const s = lazy(() => {
  const d = db();
  return {
    triage: d.prepare(`
      SELECT r.id, r.status, r.urgency, r.suggested_urgency AS suggestedUrgency, r.ave_phase AS avePhase, r.due_on AS dueOn,
        r.assigned_to AS assignedTo, a.name AS assignedName, r.outcome, r.case_director AS caseDirector,
        r.process_director AS processDirector, r.treatment_director AS treatmentDirector, r.wvggz_started_on AS wvggzStartedOn,
        r.forwarded_to AS forwardedTo, m.reference AS mergedInto, r.triaged_at AS triagedAt, r.closed_at AS closedAt,
        r.address_key AS addressKey, r.bag_key AS bagKey, r.person_key AS personKey, r.reference, e.name AS enteredByName,
        e.service_number AS enteredByServiceNumber, r.created_at AS createdAt, r.feedback_off AS feedbackOff
      FROM reports r
      LEFT JOIN users a ON a.id = r.assigned_to
      LEFT JOIN users e ON e.id = r.entered_by
      LEFT JOIN reports m ON m.id = r.merged_into
      WHERE r.id = ${REPORT_ID_BY_REFERENCE}`),
    idOf: d.prepare(`SELECT id, status FROM reports WHERE id = ${REPORT_ID_BY_REFERENCE}`),
    notes: d.prepare(`
      SELECT n.id, u.name AS author, n.created_at AS createdAt, n.body FROM report_notes n JOIN users u ON u.id = n.author_id
      WHERE n.report_id = ? ORDER BY n.id DESC`),
    events: d.prepare(`
      SELECT e.id, e.at, u.name AS actor, e.kind, e.from_value AS fromValue, e.to_value AS toValue, e.reason,
        f.name AS fromName, t.name AS toName
      FROM report_events e LEFT JOIN users u ON u.id = e.actor_id
      LEFT JOIN users f ON e.kind = 'toewijzing' AND f.id = CAST(e.from_value AS INTEGER)
      LEFT JOIN users t ON e.kind = 'toewijzing' AND t.id = CAST(e.to_value AS INTEGER)
      WHERE e.report_id = ? ORDER BY e.id DESC LIMIT 200`),
    // The newest 50 by address and by person come from their indexes (ids follow time), plus every
    // linked report; only those are sorted. (Matching on everything first meant sorting hundreds of
    // rows for a common name: 4 ms of each report page on 100,000 reports.)
    related: d.prepare(`
      WITH candidates(id) AS (
        SELECT id FROM (${newestByKey('address', '@addressKey')})
        UNION SELECT id FROM (${newestByKey('bag', '@bagKey')})
        UNION SELECT id FROM (${newestByKey('person', '@personKey')})
        UNION SELECT linked_id FROM report_links WHERE report_id = @id
        UNION SELECT report_id FROM report_links WHERE linked_id = @id)
      SELECT * FROM (
        SELECT r.id, r.reference, r.created_at AS createdAt, r.status, r.channel,
          -- The same address: by BAG identifier where both reports have one, else postcode + number + addition.
          CASE WHEN r.bag_key IS NOT NULL AND @bagKey IS NOT NULL THEN r.bag_key = @bagKey
            ELSE r.address_key IS NOT NULL AND r.address_key = @addressKey END AS sameAddress,
          (r.person_key IS NOT NULL AND r.person_key = @personKey) AS samePerson,
          EXISTS (SELECT 1 FROM report_links l WHERE (l.report_id = @id AND l.linked_id = r.id) OR (l.report_id = r.id AND l.linked_id = @id)) AS linked
        FROM candidates c JOIN reports r ON r.id = c.id)
      WHERE sameAddress OR samePerson OR linked
      ORDER BY createdAt DESC LIMIT 50`),
    access: d.prepare(`
      SELECT a.at, u.name AS actor, a.actor_role AS role, a.action, a.result FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
      WHERE a.object_type = ? AND a.object_id = ? ORDER BY a.id DESC LIMIT ?`),
    // Distinct on its index: one row per village, without reading a report.
    areas: d.prepare('SELECT DISTINCT woonplaats FROM reports WHERE woonplaats IS NOT NULL ORDER BY woonplaats LIMIT 200'),
    coordinators: d.prepare('SELECT id, name FROM users WHERE role = ? AND disabled_at IS NULL ORDER BY name COLLATE NOCASE'),
  };
});

const reportFields = fieldsOf('reports');
const noteFields = fieldsOf('report_notes');
const eventFields = fieldsOf('report_events');

export function triageFields(reference: string): TriageFields | undefined {
  const t = s().triage.get(reference) as (TriageFields & { reference?: string }) | undefined;
  if (!t) return undefined;
  const { reference: _r, ...fields } = t;
  const open = (column: string, stored: string | null) => reportFields.open(column, reference, stored) ?? null;
  return {
    ...fields,
    feedbackOff: Boolean(t.feedbackOff),
    caseDirector: open('case_director', t.caseDirector),
    processDirector: open('process_director', t.processDirector),
    treatmentDirector: open('treatment_director', t.treatmentDirector),
    forwardedTo: open('forwarded_to', t.forwardedTo),
  };
}

export function reportIdOf(reference: string): { id: number; status: Status } | undefined {
  return s().idOf.get(reference) as { id: number; status: Status } | undefined;
}

export function notesOf(reportId: number): Note[] {
  return (s().notes.all(reportId) as Note[]).map((n) => ({ ...n, body: noteFields.open('body', n.id, n.body) ?? '' }));
}

export function eventsOf(reportId: number): ReportEvent[] {
  return (s().events.all(reportId) as (ReportEvent & { id: number })[]).map(({ id, ...e }) => ({
    ...e,
    fromValue: openEventValue(id, 'from_value', e.kind, e.fromValue),
    toValue: openEventValue(id, 'to_value', e.kind, e.toValue),
    reason: eventFields.open('reason', id, e.reason) ?? null,
  }));
}

/** A history value, opened where its kind seals it (triage.rules.ts SEALED_EVENT_KINDS). */
function openEventValue(id: number, column: 'from_value' | 'to_value', kind: string, stored: string | null): string | null {
  return SEALED_EVENT_KINDS.has(kind as EventKind) ? (eventFields.open(column, id, stored) ?? null) : stored;
}

/** Reports about the same address or person, and those already linked. */
export function relatedReports(t: Pick<TriageFields, 'id' | 'addressKey' | 'bagKey' | 'personKey'>): RelatedReport[] {
  return (s().related.all({ id: t.id, addressKey: t.addressKey, bagKey: t.bagKey, personKey: t.personKey }) as (Omit<RelatedReport, 'sameAddress' | 'samePerson' | 'linked'> & {
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
  /** Reports about the same address or person that retention deleted (counts and a date, nothing else). */
  deleted: { address: DeletedEarlier | undefined; person: DeletedEarlier | undefined };
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
    deleted: deletedEarlier(blindLookups(report)),
  };
}
