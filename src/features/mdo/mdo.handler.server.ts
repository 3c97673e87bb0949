import { pageHref, pager, wantedPage, type Pager } from '#lib/paging.ts';
import { fmtDay, label } from '#lib/format.ts';
import { staffActor } from '#features/auth/login.server.ts';
import { AVE_PHASE } from '#features/reports/options.schema.ts';
import { actionFields } from '#features/casus/casus.schema.ts';
import { actionOverdue } from '#features/casus/casus.rules.ts';
import { caseChoiceValue } from '#features/casus/casus.schema.ts';
import { fieldId } from '#lib/field-ids.ts';
import { cleanText, readFields, type FieldDef, type FieldErrors } from '#lib/forms.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { now } from '#platform/clock.ts';
import { FORM_LIMIT_BYTES, readForm, redirectTo, render, rewriteTo, type FormOutcome, type HandlerContext } from '#platform/http.ts';
import type { AgendaItem } from './mdo.queries.server.ts';
import { MEETING_KINDS, initials, meetingUpcoming, shortenedDirector } from './mdo.rules.ts';
import { MEETING_SAVED, agendaFromMeetingFields, agreementFields, isMeetingIntent, planFields, type MeetingIntent } from './mdo.schema.ts';
import { changeMeeting, listMeetings, openMeeting, planMeeting, printMeeting, type MeetingDetails } from './mdo.server.ts';

/**
 * The MDO pages: the overleggen /intern/overleggen (paged; `Overleg plannen`), one overleg
 * /intern/overleggen/[nummer] (its agenda; per casus the question, `Afspraken` and actions; ?casus=N
 * chooses the casus being discussed) and its print pages …/agenda and …/verslag (`Namen afkorten`:
 * ?afkorten=1). GETs audited; a POST is one change, 303 back, or the page again with the messages and
 * every answer kept (400).
 */



export interface SummaryLink {
  href: string;
  text: string;
}

const summaryOf = (errors: FieldErrors, fields: readonly FieldDef[]): SummaryLink[] =>
  Object.entries(errors).map(([name, message]) => {
    const field = fields.find((f) => f.name === name);
    return { href: `#${field ? fieldId(field) : `f-${name}`}`, text: `${field?.label ?? name}: ${message}` };
  });

async function postedValues(request: Request) {
  const posted = await readForm(request, FORM_LIMIT_BYTES);
  const values: Record<string, string> = {};
  if (posted.ok) for (const [k, v] of posted.form) if (typeof v === 'string' && k !== 'intent') values[k] = cleanText(v).slice(0, 4000);
  return { posted, values };
}

/** A meeting's title: "MDO op 12 december 2026". */
export const meetingTitle = (m: { kind: string; heldOn: string }) => `${label(MEETING_KINDS, m.kind)} op ${fmtDay(m.heldOn)}`;

// ---------------------------------------------------------------------------------------------
// The list

const PAGE_SIZE = 20;

export interface MeetingListView {
  rows: { nummer: number; date: string; kind: string; agenda: string; upcoming: boolean }[];
  total: number;
  pager: Pager;
  errors: FieldErrors;
  values: Record<string, string>;
  summary: SummaryLink[];
}

export async function handleMeetingList(ctx: HandlerContext): Promise<FormOutcome<MeetingListView>> {
  const actor = staffActor(ctx.locals.staff!, ctx.locals.clientIp);
  let errors: FieldErrors = {};
  let values: Record<string, string> = {};
  let status = 200;
  if (ctx.request.method === 'POST') {
    const { posted, values: typed } = await postedValues(ctx.request);
    values = typed;
    const outcome = posted.ok ? planMeeting(readFields(posted.form, planFields), actor, now()) : ({ kind: 'refused', status: posted.status, errors: {} } as const);
    if (outcome.kind === 'done') return redirectTo(`/intern/overleggen/${outcome.nummer}`);
    errors = outcome.errors;
    status = outcome.status;
  }
  const wanted = wantedPage(ctx.url);
  const first = listMeetings(PAGE_SIZE, (wanted - 1) * PAGE_SIZE, actor, now());
  const paging = pager(first.total, PAGE_SIZE, wanted, (p) => pageHref('/intern/overleggen', {}, p));
  const { rows, total } = paging.page === wanted ? first : listMeetings(PAGE_SIZE, (paging.page - 1) * PAGE_SIZE, actor, now());
  const today = amsterdamDate(now());
  return render(
    {
      rows: rows.map((r) => ({
        nummer: r.id,
        date: fmtDay(r.heldOn),
        kind: label(MEETING_KINDS, r.kind),
        agenda: r.items === 0 ? 'Nog geen casussen' : `${r.items} ${r.items === 1 ? 'casus' : 'casussen'}, ${r.discussed} besproken`,
        upcoming: meetingUpcoming(r.heldOn, today),
      })),
      total,
      pager: paging,
      errors,
      values,
      summary: summaryOf(errors, planFields),
    },
    status,
  );
}

// ---------------------------------------------------------------------------------------------
// One overleg

export interface AgendaEntry {
  caseId: number;
  caseValue: string;
  href: string;
  name: string;
  avePhase: string;
  directors: string[];
  question: string;
  agreements: string | null;
  discussHref: string;
  selected: boolean;
  actions: { id: number; what: string; who: string; due: string; done: boolean; overdue: boolean }[];
}

export interface MeetingView {
  nummer: number;
  title: string;
  upcoming: boolean;
  participants: string;
  agenda: AgendaEntry[];
  selected: AgendaEntry | undefined;
  choices: Record<string, string>;
  errors: FieldErrors;
  values: Record<string, string>;
  summary: SummaryLink[];
  saved: string | undefined;
  formError: string | undefined;
}

const directorsOf = (i: Pick<AgendaItem, 'caseDirector' | 'processDirector' | 'treatmentDirector'>, shorten = false): string[] =>
  (
    [
      ['Casusregisseur', i.caseDirector],
      ['Procesregisseur', i.processDirector],
      ['Behandelregie', i.treatmentDirector],
    ] as [string, string | null][]
  ).flatMap(([role, who]) => (who ? [`${role}: ${shorten ? shortenedDirector(who) : who}`] : []));

function agendaEntries(d: Pick<MeetingDetails, 'agenda' | 'actions' | 'meeting'>, selectedCase: number | undefined, today: string, shorten = false): AgendaEntry[] {
  return d.agenda.map((i) => ({
    caseId: i.caseId,
    caseValue: caseChoiceValue(i.caseId),
    href: `/intern/casussen/${i.caseId}`,
    name: shorten ? initials(i.caseName) : i.caseName,
    avePhase: label(AVE_PHASE, i.avePhase),
    directors: directorsOf(i, shorten),
    question: i.question,
    agreements: i.agreements,
    discussHref: `/intern/overleggen/${d.meeting.id}?casus=${i.caseId}#bespreking`,
    selected: i.caseId === selectedCase,
    actions: d.actions
      .filter((a) => a.caseId === i.caseId)
      // `Wie` is a name or an organisation: shortened like a regisseur (an organisation after a comma stays).
      .map((a) => ({ id: a.id, what: a.what, who: shorten ? shortenedDirector(a.who) : a.who, due: fmtDay(a.dueOn), done: a.doneAt !== null, overdue: actionOverdue(a, today) })),
  }));
}

const SAVED_COOKIE = 'mb_overleg_opgeslagen';
const cookieOptions = (nummer: number) => ({ path: `/intern/overleggen/${nummer}`, httpOnly: true, sameSite: 'strict', maxAge: 60 }) as const;
const MEETING_FIELDS: readonly FieldDef[] = [...agendaFromMeetingFields, ...agreementFields, ...actionFields];
const FIELDS_OF: Record<MeetingIntent, readonly FieldDef[]> = {
  agenda: agendaFromMeetingFields,
  agreements: agreementFields,
  action: actionFields,
  action_done: [{ name: 'actionId', label: 'Actie', kind: 'text' }],
};

function meetingView(d: MeetingDetails, selectedCase: number | undefined, state: { errors: FieldErrors; values: Record<string, string>; saved?: MeetingIntent | undefined; formError?: string | undefined }): MeetingView {
  const today = amsterdamDate(now());
  // No casus chosen: the first on the agenda not yet discussed, else the first.
  const chosen = selectedCase ?? (d.agenda.find((i) => i.agreements === null) ?? d.agenda[0])?.caseId;
  const agenda = agendaEntries(d, chosen, today);
  return {
    nummer: d.meeting.id,
    title: `Overleg ${d.meeting.id}: ${meetingTitle(d.meeting)}`,
    upcoming: meetingUpcoming(d.meeting.heldOn, today),
    participants: d.meeting.participants,
    agenda,
    selected: agenda.find((a) => a.selected),
    choices: Object.fromEntries(d.choices.map((c) => [caseChoiceValue(c.id), `Casus ${c.id}: ${c.name}`])),
    errors: state.errors,
    values: state.values,
    summary: summaryOf(state.errors, MEETING_FIELDS),
    saved: state.saved ? `Opgeslagen: ${MEETING_SAVED[state.saved]}.` : undefined,
    formError: state.formError,
  };
}

const nummerOf = (raw: string | undefined): number | undefined => (/^[1-9]\d{0,8}$/.test(String(raw ?? '')) ? Number(raw) : undefined);

export async function handleMeeting(ctx: HandlerContext): Promise<FormOutcome<MeetingView>> {
  const nummer = nummerOf(ctx.params['nummer']);
  if (nummer === undefined) return rewriteTo('/404');
  const actor = staffActor(ctx.locals.staff!, ctx.locals.clientIp);
  const chosen = nummerOf(ctx.url.searchParams.get('casus') ?? undefined);
  if (ctx.request.method !== 'POST') {
    const details = openMeeting(nummer, actor, now());
    if (!details) return rewriteTo('/404');
    const value = ctx.cookies.get(SAVED_COOKIE)?.value;
    if (value !== undefined) ctx.cookies.delete(SAVED_COOKIE, cookieOptions(nummer));
    return render(meetingView(details, chosen, { errors: {}, values: {}, saved: isMeetingIntent(value) ? value : undefined }));
  }
  const { posted, values } = await postedValues(ctx.request);
  const intent = posted.ok ? String(posted.form.get('intent') ?? '') : '';
  const itemCase = posted.ok ? String(posted.form.get('itemCase') ?? '') : '';
  const outcome = posted.ok
    ? changeMeeting({ nummer, intent, itemCase, answers: readFields(posted.form, isMeetingIntent(intent) ? FIELDS_OF[intent] : []), actor, at: now() })
    : ({ kind: 'refused', status: posted.status, errors: {}, formError: 'Het formulier kwam niet goed aan.' } as const);
  if (outcome.kind === 'done' && isMeetingIntent(intent)) {
    ctx.cookies.set(SAVED_COOKIE, intent, cookieOptions(nummer));
    return redirectTo(`/intern/overleggen/${nummer}${outcome.caseId ? `?casus=${outcome.caseId}` : ''}#${intent === 'agenda' ? 'agenda' : 'bespreking'}`);
  }
  const details = openMeeting(nummer, actor, now());
  if (!details) return rewriteTo('/404');
  const status = outcome.kind === 'refused' ? outcome.status : 400;
  const formError = outcome.kind === 'refused' ? outcome.formError : undefined;
  const selected = nummerOf(itemCase.replace(/^casus-/, '')) ?? chosen;
  return render(meetingView(details, selected, { errors: outcome.kind === 'refused' ? outcome.errors : {}, values, formError }), status);
}

// ---------------------------------------------------------------------------------------------
// The print pages

export interface PrintView {
  which: 'agenda' | 'verslag';
  nummer: number;
  heading: string;
  participants: string;
  shortened: boolean;
  agenda: AgendaEntry[];
  backHref: string;
}

export function handlePrint(ctx: HandlerContext, which: 'agenda' | 'verslag'): FormOutcome<PrintView> {
  const nummer = nummerOf(ctx.params['nummer']);
  if (nummer === undefined) return rewriteTo('/404');
  const shortened = ctx.url.searchParams.get('afkorten') === '1';
  const details = printMeeting(nummer, which, shortened, staffActor(ctx.locals.staff!, ctx.locals.clientIp), now());
  if (!details) return rewriteTo('/404');
  return render({
    which,
    nummer,
    heading: `${which === 'agenda' ? 'Agenda' : 'Verslag'} ${meetingTitle(details.meeting)}`,
    participants: details.meeting.participants,
    shortened,
    agenda: agendaEntries(details, undefined, amsterdamDate(now()), shortened),
    backHref: `/intern/overleggen/${nummer}`,
  });
}
