import { db, rekeying } from '#platform/db.ts';
import { fieldsOf, resealed, resealedEvent, type EventRow, type ResealBatch } from '#platform/crypto/fields.server.ts';
import { lazy } from '#lib/lazy.ts';
import { SEALED_CASE_EVENT_KINDS, type CaseEventKind, type CaseStatus } from './casus.rules.ts';

/**
 * The only module that writes the casus tables (migrations 0012, 0014, 0015): cases, case_reports (which report
 * belongs to which casus), case_events (the trajectory, append-only) and case_actions. Names and texts are sealed
 * here on the way in (spec §8); the casus's id is its nummer and names its sealed values, an event's
 * id is chosen before the insert. Reading is for casus.queries.server.ts.
 */

const s = lazy(() => {
  const d = db();
  return {
    nextCaseId: d.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM cases'),
    nextEventId: d.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM case_events'),
    insertCase: d.prepare(`
      INSERT INTO cases (id, name, ave_phase, status, created_at, created_by, updated_at) VALUES (?, ?, ?, 'open', ?, ?, ?)`),
    addReport: d.prepare('INSERT INTO case_reports (report_id, case_id, added_at, added_by) VALUES (?, ?, ?, ?)'),
    removeReport: d.prepare('DELETE FROM case_reports WHERE report_id = ? AND case_id = ?'),
    addEvent: d.prepare('INSERT INTO case_events (id, case_id, actor_id, at, kind, from_value, to_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    caseBatch: d.prepare('SELECT id, name, case_director, process_director, treatment_director FROM cases WHERE id > ? ORDER BY id LIMIT ?'),
    resealCase: d.prepare('UPDATE cases SET name = ?, case_director = ?, process_director = ?, treatment_director = ? WHERE id = ?'),
    eventBatch: d.prepare('SELECT id, kind, from_value, to_value, reason FROM case_events WHERE id > ? ORDER BY id LIMIT ?'),
    resealEvent: d.prepare('UPDATE case_events SET from_value = ?, to_value = ?, reason = ? WHERE id = ?'),
    deleteCase: d.prepare('DELETE FROM cases WHERE id = ?'),
    nextActionId: d.prepare('SELECT coalesce(max(id), 0) + 1 AS id FROM case_actions'),
    addAction: d.prepare('INSERT INTO case_actions (id, case_id, what, who, due_on, created_at, created_by, meeting_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    actionDone: d.prepare('UPDATE case_actions SET done_at = ?, done_by = ? WHERE id = ? AND case_id = ? AND done_at IS NULL'),
    actionBatch: d.prepare('SELECT id, what, who FROM case_actions WHERE id > ? ORDER BY id LIMIT ?'),
    resealAction: d.prepare('UPDATE case_actions SET what = ?, who = ? WHERE id = ?'),
    // Closed before the date and no report left in it (reports go by their own retention). A batch at a
    // time in id order (NOT INDEXED: a walk of the table from the last id, so a catch-up reads each casus once).
    expired: d.prepare(`
      SELECT id FROM cases c NOT INDEXED WHERE c.id > ? AND c.status = 'afgesloten' AND c.closed_at < ?
        AND NOT EXISTS (SELECT 1 FROM case_reports cr WHERE cr.case_id = c.id) ORDER BY id LIMIT ?`),
  };
});

const cases = fieldsOf('cases');
const actions = fieldsOf('case_actions');
const events = fieldsOf('case_events');
const nextId = (st: { get(): unknown }): number => (st.get() as { id: number }).id;

/** The columns a change of a casus may set; names in plain text (sealed here). */
export interface CaseUpdate {
  name?: string;
  ave_phase?: string;
  case_director?: string | null;
  process_director?: string | null;
  treatment_director?: string | null;
  wvggz_started_on?: string | null;
  status?: CaseStatus;
  closed_at?: string | null;
}

const SEALED_CASE_COLUMNS = ['name', 'case_director', 'process_director', 'treatment_director'] as const;
type SealedColumn = (typeof SEALED_CASE_COLUMNS)[number];
const SEALED_COLUMNS: ReadonlySet<string> = new Set(SEALED_CASE_COLUMNS);
const UPDATABLE = new Set(['name', 'ave_phase', 'case_director', 'process_director', 'treatment_director', 'wvggz_started_on', 'status', 'closed_at']);
const updates = new Map<string, ReturnType<ReturnType<typeof db>['prepare']>>();

/** Creates a casus; returns its nummer. */
export function insertCase(name: string, avePhase: string, by: number, at: Date): number {
  const id = nextId(s().nextCaseId);
  const iso = at.toISOString();
  s().insertCase.run(id, cases.seal('name', id, name), avePhase, iso, by, iso);
  return id;
}

/** Sets the given columns (none: only `updated_at`, for the list's order). */
export function updateCase(id: number, change: CaseUpdate, at: Date): void {
  const columns = Object.keys(change).filter((c) => UPDATABLE.has(c)).sort();
  // Column names come from the typed keys above (UPDATABLE), never from input.
  const sql = `UPDATE cases SET ${[...columns, 'updated_at'].map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`;
  let st = updates.get(sql);
  if (!st) {
    st = db().prepare(sql);
    updates.set(sql, st);
  }
  const values: Record<string, unknown> = { id, updated_at: at.toISOString() };
  for (const c of columns) {
    const v = change[c as keyof CaseUpdate] ?? null;
    values[c] = SEALED_COLUMNS.has(c) ? cases.seal(c, id, v) : v;
  }
  st.run(values);
}

export function addReportToCase(reportId: number, caseId: number, by: number, at: Date): void {
  s().addReport.run(reportId, caseId, at.toISOString(), by);
}

export function removeReportFromCase(reportId: number, caseId: number): boolean {
  return s().removeReport.run(reportId, caseId).changes === 1;
}

/** Appends one change to the trajectory. */
export function addCaseEvent(caseId: number, actorId: number | undefined, at: Date, kind: CaseEventKind, fromValue: string | null, toValue: string | null, reason: string | null = null): void {
  const id = nextId(s().nextEventId);
  const value = (column: string, v: string | null) => (SEALED_CASE_EVENT_KINDS.has(kind) ? events.seal(column, id, v) : v);
  s().addEvent.run(id, caseId, actorId ?? null, at.toISOString(), kind, value('from_value', fromValue), value('to_value', toValue), events.seal('reason', id, reason));
}

/** A new action of a casus: what, who, due date (YYYY-MM-DD); `meetingId` when agreed in an overleg (MDO). */
export function insertAction(caseId: number, a: { what: string; who: string; dueOn: string; meetingId?: number | undefined }, by: number, at: Date): number {
  const id = nextId(s().nextActionId);
  s().addAction.run(id, caseId, actions.seal('what', id, a.what), actions.seal('who', id, a.who), a.dueOn, at.toISOString(), by, a.meetingId ?? null);
  return id;
}

/** Marks an open action of the casus done; false when there is no such open action. */
export function markActionDone(actionId: number, caseId: number, by: number, at: Date): boolean {
  return s().actionDone.run(at.toISOString(), by, actionId, caseId).changes === 1;
}

export function resealActions(afterId: number, limit: number): ResealBatch<number> {
  const rows = s().actionBatch.all(afterId, limit) as { id: number; what: string; who: string }[];
  let changed = 0;
  for (const r of rows) {
    const what = resealed(actions, 'what', r.id, r.what);
    const who = resealed(actions, 'who', r.id, r.who);
    if (what === r.what && who === r.who) continue;
    s().resealAction.run(what, who, r.id);
    changed++;
  }
  return { last: rows.at(-1)?.id, changed };
}

/** Retention: the closed casussen closed before `closedBefore` with no report left in them, after id `afterId`, at most `limit`, by id. */
export function expiredCaseIds(closedBefore: Date, afterId = 0, limit = Number.MAX_SAFE_INTEGER): number[] {
  return (s().expired.all(afterId, closedBefore.toISOString(), limit) as { id: number }[]).map((r) => r.id);
}

/** Retention: casussen with their trajectory and report memberships (ON DELETE CASCADE). */
export function deleteCases(ids: readonly number[]): void {
  for (const id of ids) s().deleteCase.run(id);
}


/** The encryption pass (src/features/encryption): casussen after `afterId`, at most `limit`, sealed again where plain or under an older key. */
export function resealCases(afterId: number, limit: number): ResealBatch<number> {
  const rows = s().caseBatch.all(afterId, limit) as ({ id: number } & Record<SealedColumn, string | null>)[];
  let changed = 0;
  for (const r of rows) {
    const next = SEALED_CASE_COLUMNS.map((column) => resealed(cases, column, r.id, r[column]));
    if (next.every((v, i) => v === r[SEALED_CASE_COLUMNS[i] as SealedColumn])) continue;
    s().resealCase.run(...next, r.id);
    changed++;
  }
  return { last: rows.at(-1)?.id, changed };
}

export function resealCaseEvents(afterId: number, limit: number): ResealBatch<number> {
  const rows = s().eventBatch.all(afterId, limit) as (EventRow & { kind: CaseEventKind })[];
  let changed = 0;
  rekeying(() => {
    for (const r of rows) {
      const next = resealedEvent(events, r, SEALED_CASE_EVENT_KINDS.has(r.kind));
      if (!next) continue;
      s().resealEvent.run(...next, r.id);
      changed++;
    }
  });
  return { last: rows.at(-1)?.id, changed };
}

const linksOfDeleted = lazy(() => db().prepare('DELETE FROM case_reports WHERE report_id IN (SELECT value FROM json_each(?))'));
/**
 * Removes the casus links of the reports `ids` just deleted, in one statement (each casus keeps its area
 * current: trigger case_area_unlinked): retention deletes reports with foreign keys off (retention.server.ts,
 * REPORT_CHILDREN), so no cascade does it.
 */
export function unlinkDeletedReports(ids: readonly number[]): void {
  linksOfDeleted().run(JSON.stringify(ids));
}
