import { parseStep, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { audit, type AuditEntry } from '#features/audit/audit.repo.server.ts';
import type { StaffActor } from '#features/audit/audit.repo.server.ts';
import { insertAction, markActionDone, updateCase } from '#features/casus/casus.repo.server.ts';
import { caseSummary, openCaseChoices } from '#features/casus/casus.queries.server.ts';
import { actionSchema } from '#features/casus/casus.schema.ts';
import { db } from '#platform/db.ts';
import { insertAgendaItem, insertMeeting, recordAgreements } from './mdo.repo.server.ts';
import { actionsOfMeeting, agendaItemId, agendaOf, meetingById, meetingPage, plannedMeetings, type AgendaItem, type Meeting, type MeetingAction, type MeetingRow } from './mdo.queries.server.ts';
import { agendaFromCaseSchema, agendaFromMeetingSchema, agreementSchema, isMeetingIntent, planSchema, type MeetingIntent } from './mdo.schema.ts';

/**
 * The coordinator's work on overleggen (spec §5a MDO), one transaction per call: plan an overleg, put
 * a casus on its agenda (from the overleg or from the casus), record the agreements and actions per
 * casus, mark an action done, print the agenda or the report. Every view and every print is audited,
 * on the overleg and on each casus it shows; a refused change writes only a `geweigerd` row.
 */

export type MeetingOutcome = { kind: 'done'; nummer: number; caseId?: number } | { kind: 'refused'; status: 400 | 404 | 409; errors: FieldErrors; formError?: string };

const tx = <T>(fn: () => T): T => db().transaction(fn).immediate();

const entry = (actor: StaffActor, objectType: 'overleg' | 'casus', objectId: string | number | undefined, action: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  actorId: actor.id,
  actorRole: actor.role,
  objectType: objectId === undefined ? undefined : objectType,
  objectId,
  action,
  result: 'gelukt',
  clientIp: actor.ip,
  ...extra,
});

function refuse(actor: StaffActor, objectType: 'overleg' | 'casus', objectId: number | undefined, action: string, at: Date, errors: FieldErrors, status: 400 | 404 | 409 = 400): MeetingOutcome {
  audit(entry(actor, objectType, objectId, action, { result: 'geweigerd', detail: Object.keys(errors).join(',') || undefined }), at);
  return { kind: 'refused', status, errors };
}

/** The overleggen, a page at a time: audited (`overleggen_bekeken`). */
export function listMeetings(limit: number, offset: number, actor: StaffActor, at: Date): { rows: MeetingRow[]; total: number } {
  return tx(() => {
    audit(entry(actor, 'overleg', undefined, 'overleggen_bekeken'), at);
    return meetingPage(limit, offset);
  });
}

/** `Overleg plannen`. */
export function planMeeting(answers: RawAnswers, actor: StaffActor, at: Date): MeetingOutcome {
  return tx(() => {
    const p = parseStep(planSchema, answers);
    if (!p.ok) return refuse(actor, 'overleg', undefined, 'overleg_plannen', at, p.errors);
    const nummer = insertMeeting({ heldOn: p.data.meetingDate, kind: p.data.meetingKind, participants: p.data.participants }, actor.id, at);
    audit(entry(actor, 'overleg', nummer, 'overleg_gepland', { detail: p.data.meetingKind }), at);
    return { kind: 'done', nummer };
  });
}

export interface MeetingDetails {
  meeting: Meeting;
  agenda: AgendaItem[];
  actions: MeetingAction[];
  /** Open casussen not yet on the agenda. */
  choices: { id: number; name: string }[];
}

/** The overleg page: its agenda with names and texts, audited on the overleg and on each casus it shows. */
export function openMeeting(nummer: number, actor: StaffActor, at: Date): MeetingDetails | undefined {
  return tx(() => {
    const meeting = meetingById(nummer);
    if (!meeting) return undefined;
    const agenda = agendaOf(nummer);
    audit(entry(actor, 'overleg', nummer, 'overleg_bekeken'), at);
    for (const item of agenda) audit(entry(actor, 'casus', item.caseId, 'casus_bekeken_in_overleg', { detail: `overleg ${nummer}` }), at);
    const on = new Set(agenda.map((i) => i.caseId));
    return { meeting, agenda, actions: actionsOfMeeting(nummer), choices: openCaseChoices([]).filter((c) => !on.has(c.id)).map(({ id, name }) => ({ id, name })) };
  });
}

/** Puts a casus on the agenda (inside a caller's transaction): refused when it is already on it. */
function addToAgenda(meetingId: number, caseId: number, question: string, actor: StaffActor, at: Date): boolean {
  if (agendaItemId(meetingId, caseId) !== undefined) return false;
  insertAgendaItem(meetingId, caseId, question, actor.id, at);
  updateCase(caseId, {}, at);
  audit(entry(actor, 'overleg', meetingId, 'overleg_casus_geagendeerd', { detail: `casus ${caseId}` }), at);
  audit(entry(actor, 'casus', caseId, 'casus_geagendeerd', { detail: `overleg ${meetingId}` }), at);
  return true;
}

const ON_AGENDA = 'Deze casus staat al op de agenda van dit overleg';

/** From the casus page: `Op agenda zetten` of a planned overleg, with `Vraag aan het overleg`. */
export function putCaseOnAgenda(caseId: number, answers: RawAnswers, actor: StaffActor, at: Date): MeetingOutcome {
  return tx(() => {
    const casus = caseSummary(caseId);
    if (!casus) return { kind: 'refused', status: 404, errors: {}, formError: 'Deze casus bestaat niet.' };
    const planned = plannedMeetings(amsterdamDate(at)).map((m) => m.id);
    const p = parseStep(agendaFromCaseSchema(planned), answers);
    if (!p.ok) return refuse(actor, 'casus', caseId, 'casus_agenderen', at, p.errors);
    if (casus.status !== 'open') return refuse(actor, 'casus', caseId, 'casus_agenderen', at, { meeting: 'Een afgesloten casus zet u niet op de agenda' }, 409);
    if (!addToAgenda(p.data.meeting, caseId, p.data.question, actor, at)) return refuse(actor, 'casus', caseId, 'casus_agenderen', at, { meeting: ON_AGENDA }, 409);
    return { kind: 'done', nummer: p.data.meeting, caseId };
  });
}

export interface MeetingChange {
  nummer: number;
  intent: string;
  answers: RawAnswers;
  /** The casus on the agenda the form is about (`itemCase`). */
  itemCase: string;
  actor: StaffActor;
  at: Date;
}

/** Applies one form of the overleg page, or refuses it. */
export function changeMeeting(c: MeetingChange): MeetingOutcome {
  return tx(() => {
    if (!meetingById(c.nummer)) return { kind: 'refused', status: 404, errors: {}, formError: 'Dit overleg bestaat niet.' };
    if (!isMeetingIntent(c.intent)) return refuse(c.actor, 'overleg', c.nummer, 'wijziging_overleg_onbekend', c.at, {});
    return apply(c, c.intent);
  });
}

function apply(c: MeetingChange, intent: MeetingIntent): MeetingOutcome {
  const { nummer, actor, at } = c;
  const refused = (errors: FieldErrors, status: 400 | 409 = 400) => refuse(actor, 'overleg', nummer, `wijziging_overleg_${intent}`, at, errors, status);
  const agenda = agendaOf(nummer);
  const item = agenda.find((i) => `casus-${i.caseId}` === c.itemCase || String(i.caseId) === c.itemCase);
  switch (intent) {
    case 'agenda': {
      const on = new Set(agenda.map((i) => i.caseId));
      const open = openCaseChoices([]).map((o) => o.id).filter((id) => !on.has(id));
      const p = parseStep(agendaFromMeetingSchema(open), c.answers);
      if (!p.ok) return refused(p.errors);
      addToAgenda(nummer, p.data.agendaCase, p.data.question, actor, at);
      return { kind: 'done', nummer, caseId: p.data.agendaCase };
    }
    case 'agreements': {
      if (!item) return refused({ agreements: 'Kies een casus van de agenda' });
      const p = parseStep(agreementSchema, c.answers);
      if (!p.ok) return refused(p.errors);
      recordAgreements(item.id, p.data.agreements, actor.id, at);
      updateCase(item.caseId, {}, at);
      audit(entry(actor, 'overleg', nummer, 'overleg_afspraken_vastgelegd', { detail: `casus ${item.caseId}` }), at);
      audit(entry(actor, 'casus', item.caseId, 'casus_afspraken_vastgelegd', { detail: `overleg ${nummer}` }), at);
      return { kind: 'done', nummer, caseId: item.caseId };
    }
    case 'action': {
      if (!item) return refused({ actionWhat: 'Kies een casus van de agenda' });
      const p = parseStep(actionSchema, c.answers);
      if (!p.ok) return refused(p.errors);
      insertAction(item.caseId, { what: p.data.actionWhat, who: p.data.actionWho, dueOn: p.data.actionDue, meetingId: nummer }, actor.id, at);
      updateCase(item.caseId, {}, at);
      audit(entry(actor, 'casus', item.caseId, 'casus_actie_toegevoegd', { detail: `overleg ${nummer}` }), at);
      return { kind: 'done', nummer, caseId: item.caseId };
    }
    case 'action_done': {
      const id = /^\d{1,9}$/.test(String(c.answers['actionId'] ?? '')) ? Number(c.answers['actionId']) : undefined;
      const action = actionsOfMeeting(nummer).find((a) => a.id === id);
      if (!action || !markActionDone(action.id, action.caseId, actor.id, at)) return refused({ actionId: 'Deze actie is al afgerond of bestaat niet' }, 409);
      audit(entry(actor, 'casus', action.caseId, 'casus_actie_afgerond', { detail: `overleg ${nummer}` }), at);
      return { kind: 'done', nummer, caseId: action.caseId };
    }
  }
}

/** `Agenda afdrukken` / `Verslag afdrukken`: what the print page shows, the print audited on the overleg and each casus. */
export function printMeeting(nummer: number, which: 'agenda' | 'verslag', shortened: boolean, actor: StaffActor, at: Date): Omit<MeetingDetails, 'choices'> | undefined {
  return tx(() => {
    const meeting = meetingById(nummer);
    if (!meeting) return undefined;
    const agenda = agendaOf(nummer);
    const detail = shortened ? 'namen afgekort' : 'volledige namen';
    audit(entry(actor, 'overleg', nummer, `${which}_afgedrukt`, { detail }), at);
    for (const item of agenda) audit(entry(actor, 'casus', item.caseId, `casus_${which}_afgedrukt`, { detail: `overleg ${nummer}, ${detail}` }), at);
    return { meeting, agenda, actions: which === 'verslag' ? actionsOfMeeting(nummer) : [] };
  });
}

/** The overleggen still to come (for the casus page's `Op agenda zetten`); no names. */
export { plannedMeetings };
