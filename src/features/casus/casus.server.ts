import { parseStep, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { audit, type AuditEntry } from '#features/audit/audit.repo.server.ts';
import type { StaffActor } from '#features/audit/audit.repo.server.ts';
import { triageFields } from '#features/triage/triage.queries.server.ts';
import { db } from '#platform/db.ts';
import { addCaseEvent, addReportToCase, insertAction, insertCase, markActionDone, removeReportFromCase, updateCase } from './casus.repo.server.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { CASE_PAGE_SIZE, caseDetails, caseIdOfReport, caseList, caseSummary, membershipOf, mergedWithOwnCase, openCaseChoices, type CaseDetails, type CaseListFilter, type CaseListRow, type CaseSummary } from './casus.queries.server.ts';
import { aveChange, statusChange } from './casus.rules.ts';
import { meetingsOfCase, plannedMeetings, type CaseMeeting } from '#features/mdo/mdo.queries.server.ts';
import { DIRECTOR_LABELS, actionDoneSchema, actionSchema, addSchema, aveSchema, createSchema, isCaseIntent, nameSchema, regieSchema, removeSchema, statusSchema, wvggzSchema, type CaseIntent, type Regie } from './casus.schema.ts';

/**
 * The coordinator's work on casussen (spec §5a), one transaction per call: every change validated
 * with its schema (casus.schema.ts), written with its trajectory event and its audit row; a refused
 * change writes only a `geweigerd` audit row. Every view of a casus is audited.
 */

export type CaseOutcome = { kind: 'done'; nummer: number } | { kind: 'refused'; status: 400 | 404 | 409; errors: FieldErrors; formError?: string };

const tx = <T>(fn: () => T): T => db().transaction(fn).immediate();

const entry = (actor: StaffActor, objectType: 'casus' | 'melding', objectId: string | number, action: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  actorId: actor.id,
  actorRole: actor.role,
  objectType,
  objectId,
  action,
  result: 'gelukt',
  clientIp: actor.ip,
  ...extra,
});

/** What the casus page shows: the casus, and its overleggen (MDO) with the ones still to come to put it on the agenda of. */
export interface CasePageData extends CaseDetails {
  meetings: CaseMeeting[];
  planned: { id: number; heldOn: string; kind: string }[];
}

/** Opens a casus page: what it shows, with its `casus_bekeken` audit row. */
export function openCase(nummer: number, actor: StaffActor, at: Date): CasePageData | undefined {
  return tx(() => {
    const details = caseDetails(nummer);
    if (!details) return undefined;
    audit(entry(actor, 'casus', nummer, 'casus_bekeken'), at);
    return { ...details, meetings: meetingsOfCase(nummer), planned: plannedMeetings(amsterdamDate(at)) };
  });
}

/** The list of open casussen (names on it): audited. */
export { CASE_PAGE_SIZE };

/** A page of the open casussen (never past the last page) and how many there are. */
export function listCases(filter: CaseListFilter, page: number, actor: StaffActor, at: Date): { rows: CaseListRow[]; total: number; page: number } {
  return tx(() => {
    audit({ actorId: actor.id, actorRole: actor.role, action: 'casussen_bekeken', result: 'gelukt', clientIp: actor.ip }, at);
    const today = amsterdamDate(at);
    const first = caseList(filter, today, page);
    const last = Math.max(1, Math.ceil(first.total / CASE_PAGE_SIZE));
    return page <= last ? { ...first, page } : { ...caseList(filter, today, last), page: last };
  });
}

/** What the report page shows of its casus, and the open casussen it may be added to. Read inside the report page's view. */
export function caseOfReport(reportId: number, relatedIds: readonly number[]): { current: CaseSummary | undefined; own: boolean; choices: { id: number; name: string; preferred: boolean }[] } {
  const id = caseIdOfReport(reportId);
  const current = id === undefined ? undefined : caseSummary(id);
  return { current, own: membershipOf(reportId) !== undefined, choices: current ? [] : openCaseChoices(relatedIds) };
}

export interface FromReport {
  reference: string;
  answers: RawAnswers;
  actor: StaffActor;
  at: Date;
}

function refuse(actor: StaffActor, objectType: 'casus' | 'melding', objectId: string | number, action: string, at: Date, errors: FieldErrors, status: 400 | 404 | 409 = 400, formError?: string): CaseOutcome {
  audit(entry(actor, objectType, objectId, action, { result: 'geweigerd', detail: Object.keys(errors).join(',') || undefined }), at);
  return { kind: 'refused', status, errors, ...(formError ? { formError } : {}) };
}

const ALREADY = 'Deze melding hoort al bij een casus.';

/** `Casus aanmaken`: a new casus with this report, at the report's AVE phase. */
export function createCaseFromReport(r: FromReport): CaseOutcome {
  return tx(() => {
    const t = triageFields(r.reference);
    if (!t) return { kind: 'refused', status: 404, errors: {}, formError: 'Deze melding bestaat niet.' };
    if (caseIdOfReport(t.id) !== undefined) return refuse(r.actor, 'melding', r.reference, 'casus_aanmaken', r.at, {}, 409, ALREADY);
    const parsed = parseStep(createSchema, r.answers);
    if (!parsed.ok) return refuse(r.actor, 'melding', r.reference, 'casus_aanmaken', r.at, parsed.errors);
    const nummer = insertCase(parsed.data.caseName, t.avePhase, r.actor.id, r.at);
    addCaseEvent(nummer, r.actor.id, r.at, 'aangemaakt', null, t.avePhase);
    addReportToCase(t.id, nummer, r.actor.id, r.at);
    addCaseEvent(nummer, r.actor.id, r.at, 'melding_toegevoegd', null, r.reference);
    audit(entry(r.actor, 'casus', nummer, 'casus_aangemaakt', { detail: `met ${r.reference}` }), r.at);
    audit(entry(r.actor, 'melding', r.reference, 'aan_casus_toegevoegd', { detail: `casus ${nummer}` }), r.at);
    mergedFollow({ id: t.id, reference: r.reference }, r.actor, r.at);
    return { kind: 'done', nummer };
  });
}

/** `Toevoegen aan casus`: the report joins an open casus. */
export function addReportToOpenCase(r: FromReport): CaseOutcome {
  return tx(() => {
    const t = triageFields(r.reference);
    if (!t) return { kind: 'refused', status: 404, errors: {}, formError: 'Deze melding bestaat niet.' };
    if (caseIdOfReport(t.id) !== undefined) return refuse(r.actor, 'melding', r.reference, 'casus_toevoegen', r.at, {}, 409, ALREADY);
    const open = openCaseChoices([]).map((c) => c.id);
    const parsed = parseStep(addSchema(open), r.answers);
    if (!parsed.ok) return refuse(r.actor, 'melding', r.reference, 'casus_toevoegen', r.at, parsed.errors);
    const nummer = parsed.data.caseNumber;
    addReportToCase(t.id, nummer, r.actor.id, r.at);
    addCaseEvent(nummer, r.actor.id, r.at, 'melding_toegevoegd', null, r.reference);
    updateCase(nummer, {}, r.at);
    audit(entry(r.actor, 'casus', nummer, 'casus_melding_toegevoegd', { detail: r.reference }), r.at);
    audit(entry(r.actor, 'melding', r.reference, 'aan_casus_toegevoegd', { detail: `casus ${nummer}` }), r.at);
    mergedFollow({ id: t.id, reference: r.reference }, r.actor, r.at);
    return { kind: 'done', nummer };
  });
}

/**
 * A report merged into another follows it (spec §5a): when the report it was merged into is in a casus (at the
 * merge, or when that report joins one later), the report leaves a casus it was put in itself, so it belongs to
 * one casus only, shown through the merge. Leaving another casus is kept in that casus's trajectory and
 * audited. Call inside the merge's (or the joining's) transaction.
 */
export function followMergeTarget(report: { id: number; reference: string }, target: { id: number; reference: string }, actor: StaffActor, at: Date): void {
  const own = membershipOf(report.id);
  const targetCase = caseIdOfReport(target.id);
  if (own === undefined || targetCase === undefined || !removeReportFromCase(report.id, own)) return;
  if (own === targetCase) return;
  addCaseEvent(own, actor.id, at, 'melding_uitgehaald', report.reference, null, `Samengevoegd met ${target.reference} (casus ${targetCase})`);
  updateCase(own, {}, at);
  audit(entry(actor, 'melding', report.reference, 'uit_casus_gehaald', { detail: `casus ${own}, samengevoegd met ${target.reference}` }), at);
}

/** A report that joins a casus takes along the reports merged into it that were in a casus of their own. */
function mergedFollow(target: { id: number; reference: string }, actor: StaffActor, at: Date): void {
  for (const merged of mergedWithOwnCase(target.id)) followMergeTarget(merged, target, actor, at);
}

export interface CaseChange {
  nummer: number;
  intent: string;
  answers: RawAnswers;
  actor: StaffActor;
  at: Date;
  /** Finds a report by reference (the triage read model). */
  findReport: (reference: string) => { id: number } | undefined;
}

/** Applies one change of the casus page, or refuses it. */
export function changeCase(c: CaseChange): CaseOutcome {
  return tx(() => {
    const current = caseSummary(c.nummer);
    if (!current) return { kind: 'refused', status: 404, errors: {}, formError: 'Deze casus bestaat niet.' };
    if (!isCaseIntent(c.intent)) return refuse(c.actor, 'casus', c.nummer, 'wijziging_casus_onbekend', c.at, {});
    return apply(c, c.intent, current);
  });
}

function apply(c: CaseChange, intent: CaseIntent, cur: CaseSummary): CaseOutcome {
  const { nummer, actor, at } = c;
  const refused = (errors: FieldErrors, status: 400 | 409 = 400) => refuse(actor, 'casus', nummer, `wijziging_casus_${intent}`, at, errors, status);
  const done = (action: string, detail?: string): CaseOutcome => {
    audit(entry(actor, 'casus', nummer, action, detail ? { detail } : {}), at);
    return { kind: 'done', nummer };
  };
  const event = (kind: Parameters<typeof addCaseEvent>[3], from: string | null, to: string | null, reason: string | null = null) => addCaseEvent(nummer, actor.id, at, kind, from, to, reason);
  switch (intent) {
    case 'name': {
      const p = parseStep(nameSchema, c.answers);
      if (!p.ok) return refused(p.errors);
      if (p.data.name === cur.name) return { kind: 'done', nummer };
      updateCase(nummer, { name: p.data.name }, at);
      event('naam', cur.name, p.data.name);
      return done('casus_naam_gewijzigd');
    }
    case 'ave': {
      const p = parseStep(aveSchema(cur), c.answers);
      if (!p.ok) return refused(p.errors);
      const change = aveChange(cur.avePhase, p.data.avePhase, p.data.aveReason);
      if (!change.ok) return refused({ aveReason: 'Vul de reden in voor de nieuwe AVE-fase' });
      if (!change.kind) return { kind: 'done', nummer };
      updateCase(nummer, { ave_phase: p.data.avePhase }, at);
      event(change.kind, cur.avePhase, p.data.avePhase, p.data.aveReason);
      return done(`casus_${change.kind}`, `${cur.avePhase} naar ${p.data.avePhase}`);
    }
    case 'regie': {
      const p = parseStep(regieSchema, c.answers);
      if (!p.ok) return refused(p.errors);
      const before: Regie = { caseDirector: cur.caseDirector, processDirector: cur.processDirector, treatmentDirector: cur.treatmentDirector };
      const changed = (Object.keys(DIRECTOR_LABELS) as (keyof Regie)[]).filter((k) => p.data[k] !== before[k]);
      if (changed.length === 0) return { kind: 'done', nummer };
      for (const k of changed) event('regie', before[k] ? `${DIRECTOR_LABELS[k]}: ${before[k]}` : null, `${DIRECTOR_LABELS[k]}: ${p.data[k] ?? '-'}`);
      updateCase(nummer, { case_director: p.data.caseDirector, process_director: p.data.processDirector, treatment_director: p.data.treatmentDirector }, at);
      return done('casus_regie_gewijzigd');
    }
    case 'wvggz': {
      const p = parseStep(wvggzSchema, c.answers);
      if (!p.ok) return refused(p.errors);
      if (p.data.wvggzStart === cur.wvggzStartedOn) return { kind: 'done', nummer };
      updateCase(nummer, { wvggz_started_on: p.data.wvggzStart }, at);
      event('wvggz', cur.wvggzStartedOn, p.data.wvggzStart);
      return done('casus_wvggz_gewijzigd');
    }
    case 'status': {
      const p = parseStep(statusSchema, c.answers);
      if (!p.ok) return refused(p.errors);
      const to = cur.status === 'open' ? 'afgesloten' : 'open';
      const check = statusChange(cur.status, to, p.data.statusReason);
      if (!check.ok) return refused({ statusReason: 'Vul de reden in' });
      updateCase(nummer, { status: to, closed_at: to === 'afgesloten' ? at.toISOString() : null }, at);
      event(to === 'afgesloten' ? 'afgesloten' : 'heropend', cur.status, to, p.data.statusReason);
      return done(to === 'afgesloten' ? 'casus_afgesloten' : 'casus_heropend');
    }
    case 'add_action': {
      const p = parseStep(actionSchema, c.answers);
      if (!p.ok) return refused(p.errors);
      insertAction(nummer, { what: p.data.actionWhat, who: p.data.actionWho, dueOn: p.data.actionDue }, actor.id, at);
      return done('casus_actie_toegevoegd');
    }
    case 'action_done': {
      const p = parseStep(actionDoneSchema, c.answers);
      if (!p.ok) return refused(p.errors);
      if (!markActionDone(p.data.actionId, nummer, actor.id, at)) return refused({ actionId: 'Deze actie is al afgerond of bestaat niet' }, 409);
      return done('casus_actie_afgerond');
    }
    case 'remove': {
      const p = parseStep(removeSchema, c.answers);
      if (!p.ok) return refused(p.errors);
      const report = c.findReport(p.data.removeReference);
      if (!report || !removeReportFromCase(report.id, nummer)) return refused({ removeReference: 'Kies een melding van deze casus' });
      event('melding_uitgehaald', p.data.removeReference, null, p.data.removeReason);
      updateCase(nummer, {}, at);
      audit(entry(actor, 'melding', p.data.removeReference, 'uit_casus_gehaald', { detail: `casus ${nummer}` }), at);
      return done('casus_melding_uitgehaald', p.data.removeReference);
    }
  }
}
