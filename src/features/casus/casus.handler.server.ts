import type { AstroCookies } from 'astro';
import { fmtDateTime, fmtDay, label } from '#lib/format.ts';
import { additionItems } from '#features/additions/additions.server.ts';
import { staffActor } from '#features/auth/login.server.ts';
import { AVE_PHASE, CHANNELS, CONCERNS, STATUS } from '#features/reports/options.schema.ts';
import { queueAreas, reportIdOf } from '#features/triage/triage.queries.server.ts';
import { wvggzDeadline } from '#features/triage/triage.rules.ts';
import { fieldId } from '#lib/field-ids.ts';
import { cleanText, readFields, type FieldErrors } from '#lib/forms.ts';
import { now } from '#platform/clock.ts';
import { FORM_LIMIT_BYTES, readForm, redirectTo, render, rewriteTo, type FormOutcome, type HandlerContext } from '#platform/http.ts';
import type { CaseEvent, CaseListRow } from './casus.queries.server.ts';
import { MEETING_KINDS } from '#features/mdo/mdo.rules.ts';
import { agendaFromCaseFields, meetingChoiceValue } from '#features/mdo/mdo.schema.ts';
import { putCaseOnAgenda } from '#features/mdo/mdo.server.ts';
import { reportPhotos, type ReportPhoto } from '#features/photos/photos.server.ts';
import { CASE_EVENT_KINDS, CASE_STATUS, actionOverdue } from './casus.rules.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { CASE_FIELDS, CASE_SAVED, FIELDS_OF, REGIE_FILTER, isCaseIntent, type CaseIntent } from './casus.schema.ts';
import { CASE_PAGE_SIZE, changeCase, listCases, openCase, type CasePageData, type CaseOutcome } from './casus.server.ts';
import { pageHref, pager, wantedPage, type Pager } from '#lib/paging.ts';

/**
 * The casus pages: the list /intern/casussen (filters in the URL) and one casus
 * /intern/casussen/[nummer] (GET audited; POST one change, 303 back to its part, or the page again
 * with the messages and every answer kept, 400).
 */


const AGENDA = 'agenda';
type SavedIntent = CaseIntent | typeof AGENDA;



// ---------------------------------------------------------------------------------------------
// The list

export interface CaseListView {
  rows: { nummer: number; name: string; avePhase: string; directors: string; latestReport: string; reports: number; actions: string; overdue: boolean; nextMeeting: string }[];
  filter: { fase: string; regie: string; gebied: string; teLaat: boolean };
  faseOptions: Record<string, string>;
  regieOptions: Record<string, string>;
  areaOptions: Record<string, string>;
  /** How many open casussen the filter finds (all pages). */
  total: number;
  pager: Pager;
}

const directorsOf = (c: Pick<CaseListRow, 'caseDirector' | 'processDirector' | 'treatmentDirector'>): string[] =>
  [
    c.caseDirector && `Casusregisseur: ${c.caseDirector}`,
    c.processDirector && `Procesregisseur: ${c.processDirector}`,
    c.treatmentDirector && `Behandelregie: ${c.treatmentDirector}`,
  ].filter((d): d is string => Boolean(d));

export function handleCaseList(ctx: HandlerContext): FormOutcome<CaseListView> {
  const fase = ctx.url.searchParams.get('fase') ?? '';
  const regie = ctx.url.searchParams.get('regie') ?? '';
  const gebied = ctx.url.searchParams.get('gebied') ?? '';
  const areas = queueAreas();
  const filter = {
    avePhase: Object.hasOwn(AVE_PHASE, fase) ? fase : undefined,
    regie: Object.hasOwn(REGIE_FILTER, regie) ? (regie as keyof typeof REGIE_FILTER) : undefined,
    area: areas.includes(gebied) ? gebied : undefined,
    overdue: ctx.url.searchParams.get('te-laat') === '1',
  };
  const shownFilter = { fase: filter.avePhase ?? '', regie: filter.regie ?? '', gebied: filter.area ?? '', teLaat: filter.overdue };
  const { rows, total, page } = listCases(filter, wantedPage(ctx.url), staffActor(ctx.locals.staff!, ctx.locals.clientIp), now());
  const params = { fase: shownFilter.fase, regie: shownFilter.regie, gebied: shownFilter.gebied, 'te-laat': shownFilter.teLaat ? '1' : '' };
  return render({
    rows: rows.map((r) => ({
      nummer: r.id,
      name: r.name,
      avePhase: label(AVE_PHASE, r.avePhase),
      directors: directorsOf(r).join('; ') || 'Geen',
      latestReport: r.latestReportAt ? fmtDateTime(r.latestReportAt) : 'Geen',
      reports: r.reportCount,
      actions: r.openActions === 0 ? 'Geen' : `${r.openActions} open${r.overdueActions > 0 ? `, ${r.overdueActions} te laat` : ''}`,
      overdue: r.overdueActions > 0,
      nextMeeting: r.nextMeetingOn ? fmtDay(r.nextMeetingOn) : 'Geen',
    })),
    filter: shownFilter,
    faseOptions: AVE_PHASE,
    regieOptions: REGIE_FILTER,
    areaOptions: Object.fromEntries(areas.map((a) => [a, a])),
    total,
    pager: pager(total, CASE_PAGE_SIZE, page, (p) => pageHref('/intern/casussen', params, p)),
  });
}

// ---------------------------------------------------------------------------------------------
// One casus

export interface TimelineEntry {
  at: string;
  /** For sorting: ISO time. */
  sortKey: string;
  text: string;
  reason: string | null;
  actor: string | null;
  link?: { href: string; text: string };
  /** An overleg (MDO): the question and the agreements, each a line. */
  lines?: string[];
  /** A report's photos (BOA): thumbnails through the photo route, each view audited there. */
  photos?: ReportPhoto[];
}

export interface CaseView {
  nummer: number;
  name: string;
  open: boolean;
  status: string;
  avePhase: string;
  directors: string[];
  wvggz: string;
  saved: string | undefined;
  errors: FieldErrors;
  formError: string | undefined;
  summary: { href: string; text: string }[];
  values: Record<string, string>;
  current: { name: string; avePhase: string; caseDirector: string; processDirector: string; treatmentDirector: string; wvggzStart: string };
  /** The reports that may be taken out (not those that follow a merge). */
  ownReports: Record<string, string>;
  actions: { id: number; what: string; who: string; due: string; done: boolean; overdue: boolean; meeting: string | undefined }[];
  timeline: TimelineEntry[];
  /** `Op agenda zetten`: the overleggen still to come, and those it is on. */
  meetingChoices: Record<string, string>;
  upcomingMeetings: { href: string; text: string }[];
}

/** A trajectory event in words: "Opgeschaald: AVE 2 → AVE 3", "Regie: Procesregisseur: … ". */
function eventText(e: CaseEvent): string {
  const phase = (v: string | null) => (v === null ? 'geen' : label(AVE_PHASE, v));
  switch (e.kind) {
    case 'aangemaakt':
      return `Casus aangemaakt in ${phase(e.toValue)}`;
    case 'opgeschaald':
    case 'afgeschaald':
      return `${CASE_EVENT_KINDS[e.kind]}: ${phase(e.fromValue)} → ${phase(e.toValue)}`;
    case 'melding_toegevoegd':
      return `Melding ${e.toValue ?? ''} toegevoegd aan de casus`;
    case 'melding_uitgehaald':
      return `Melding ${e.fromValue ?? ''} uit de casus gehaald`;
    case 'regie': {
      const role = (e.toValue ?? e.fromValue ?? '').split(': ')[0] ?? '';
      const who = (v: string | null) => {
        const name = v === null ? '-' : v.slice(v.indexOf(': ') + 2);
        return name === '-' ? 'geen' : name;
      };
      return `${role}: ${who(e.fromValue)} → ${who(e.toValue)}`;
    }
    case 'wvggz':
      return e.toValue ? `Wvggz gestart op ${fmtDay(e.toValue)}, uiterlijk klaar op ${fmtDay(wvggzDeadline(e.toValue))}` : 'Wvggz weggehaald';
    case 'naam':
      return `Naam of omschrijving gewijzigd in: ${e.toValue ?? ''}`;
    case 'afgesloten':
    case 'heropend':
      return CASE_EVENT_KINDS[e.kind];
  }
}

/** What residents and callers added to the casus's reports (spec §2 "Aanvullen", §3a), as timeline entries. */
function additionEntries(reports: CasePageData['reports']): TimelineEntry[] {
  const referenceOf = new Map(reports.map((r) => [r.id, r.reference]));
  return additionItems(reports.map((r) => r.id)).map((a) => ({
    at: fmtDateTime(a.createdAt),
    sortKey: a.createdAt,
    text: `Aanvulling (${a.from}): ${a.body}`,
    reason: null,
    actor: null,
    link: { href: `/intern/triage/${referenceOf.get(a.reportId) ?? ''}#aanvullingen`, text: referenceOf.get(a.reportId) ?? '' },
  }));
}

const meetingName = (m: { kind: string; heldOn: string }) => `${label(MEETING_KINDS, m.kind)} op ${fmtDay(m.heldOn)}`;

export function caseView(
  d: CasePageData,
  state: { errors: FieldErrors; values: Record<string, string>; saved?: SavedIntent | undefined; formError?: string | undefined },
  today: string,
): CaseView {
  const c = d.summary;
  const reports: TimelineEntry[] = d.reports.map((r) => ({
    at: fmtDateTime(r.createdAt),
    sortKey: r.createdAt,
    text: `Melding via ${label(CHANNELS, r.channel)} (${label(STATUS, r.status)})${r.concerns.length ? `: ${r.concerns.map((k) => label(CONCERNS, k)).join(', ')}` : ''}${r.merged ? ', samengevoegd' : ''}`,
    reason: null,
    actor: null,
    link: { href: `/intern/triage/${r.reference}`, text: r.reference },
    photos: reportPhotos(r.reference).map((p) => ({ ...p, alt: `${p.alt}, melding ${r.reference}` })),
  }));
  const events: TimelineEntry[] = d.events.map((e) => ({ at: fmtDateTime(e.at), sortKey: e.at, text: eventText(e), reason: e.reason, actor: e.actor }));
  const notes: TimelineEntry[] = d.notes.map((n) => ({
    at: fmtDateTime(n.at),
    sortKey: n.at,
    text: `notitie: ${n.body}`,
    reason: null,
    actor: n.author,
    link: { href: `/intern/triage/${n.reference}#notities`, text: n.reference },
  }));
  const actions: TimelineEntry[] = d.actions.flatMap((a) => [
    { at: fmtDateTime(a.createdAt), sortKey: a.createdAt, text: `Actie${a.meetingId && a.meetingOn ? ` uit ${meetingName({ kind: a.meetingKind ?? '', heldOn: a.meetingOn })}` : ''}: ${a.what} (${a.who}, uiterlijk ${fmtDay(a.dueOn)})`, reason: null, actor: a.author, ...(a.meetingId ? { link: { href: `/intern/overleggen/${a.meetingId}`, text: `Overleg ${a.meetingId}` } } : {}) },
    ...(a.doneAt ? [{ at: fmtDateTime(a.doneAt), sortKey: a.doneAt, text: `Actie afgerond: ${a.what}`, reason: null, actor: null }] : []),
  ]);
  // MDO discussions (meeting_items): on the date of the overleg, the question and what was agreed.
  const meetings: TimelineEntry[] = d.meetings.map((m) => ({
    at: fmtDay(m.heldOn),
    sortKey: m.discussedAt ?? `${m.heldOn}T23:59:59.999Z`,
    text: m.agreements === null ? `Op de agenda van ${meetingName(m)}` : `Besproken in ${meetingName(m)}`,
    reason: null,
    actor: m.discussedBy,
    link: { href: `/intern/overleggen/${m.meetingId}?casus=${c.id}`, text: `Overleg ${m.meetingId}` },
    lines: [`Vraag aan het overleg: ${m.question}`, ...(m.agreements === null ? [] : [`Afspraken: ${m.agreements}`])],
  }));
  const additions = additionEntries(d.reports);
  const timeline = [...reports, ...events, ...notes, ...actions, ...additions, ...meetings].sort((a, b) => (a.sortKey < b.sortKey ? 1 : a.sortKey > b.sortKey ? -1 : 0));
  return {
    nummer: c.id,
    name: c.name,
    open: c.status === 'open',
    status: CASE_STATUS[c.status],
    avePhase: label(AVE_PHASE, c.avePhase),
    directors: directorsOf(c),
    wvggz: c.wvggzStartedOn ? `Gestart op ${fmtDay(c.wvggzStartedOn)}; uiterlijk klaar op ${fmtDay(wvggzDeadline(c.wvggzStartedOn))}.` : 'Geen Wvggz.',
    saved: state.saved ? `Opgeslagen: ${state.saved === AGENDA ? 'op de agenda gezet' : CASE_SAVED[state.saved]}.` : undefined,
    errors: state.errors,
    formError: state.formError,
    summary: Object.entries(state.errors).map(([name, message]) => {
      const field = [...CASE_FIELDS, ...agendaFromCaseFields].find((f) => f.name === name);
      return { href: `#${field ? fieldId(field) : `f-${name}`}`, text: `${field?.label ?? name}: ${message}` };
    }),
    values: state.values,
    current: {
      name: c.name,
      avePhase: c.avePhase,
      caseDirector: c.caseDirector ?? '',
      processDirector: c.processDirector ?? '',
      treatmentDirector: c.treatmentDirector ?? '',
      wvggzStart: c.wvggzStartedOn ?? '',
    },
    actions: d.actions.map((a) => ({ id: a.id, what: a.what, who: a.who, due: fmtDay(a.dueOn), done: a.doneAt !== null, overdue: actionOverdue(a, today), meeting: a.meetingId ? `Overleg ${a.meetingId}` : undefined })),
    ownReports: Object.fromEntries(d.reports.filter((r) => !r.merged).map((r) => [r.reference, `${r.reference}, ${fmtDateTime(r.createdAt)}`])),
    timeline,
    meetingChoices: Object.fromEntries(d.planned.filter((p) => !d.meetings.some((m) => m.meetingId === p.id)).map((p) => [meetingChoiceValue(p.id), `Overleg ${p.id}: ${meetingName(p)}`])),
    upcomingMeetings: d.meetings
      .filter((m) => d.planned.some((p) => p.id === m.meetingId))
      .map((m) => ({ href: `/intern/overleggen/${m.meetingId}?casus=${c.id}`, text: `Overleg ${m.meetingId}: ${meetingName(m)}` })),
  };
}

const SAVED_COOKIE = 'mb_casus_opgeslagen';
const cookieOptions = (nummer: number) => ({ path: `/intern/casussen/${nummer}`, httpOnly: true, sameSite: 'strict', maxAge: 60 }) as const;

/** `Op agenda zetten` answers as the casus page's own changes do: done (back to the casus), or its messages. */
function agendaOutcome(o: ReturnType<typeof putCaseOnAgenda>, nummer: number): CaseOutcome {
  return o.kind === 'done' ? { kind: 'done', nummer } : o;
}

function takeSaved(cookies: AstroCookies, nummer: number): SavedIntent | undefined {
  const value = cookies.get(SAVED_COOKIE)?.value;
  if (value === undefined) return undefined;
  cookies.delete(SAVED_COOKIE, cookieOptions(nummer));
  return isCaseIntent(value) || value === AGENDA ? value : undefined;
}

const ACTIONS = 'acties';
const ANCHORS: Record<SavedIntent, string> = { agenda: 'overleg',  name: 'naam', ave: 'ave-fase', regie: 'regie', wvggz: 'wvggz', status: 'status', remove: 'meldingen', add_action: ACTIONS, action_done: ACTIONS };

export async function handleCase(ctx: HandlerContext): Promise<FormOutcome<CaseView>> {
  const raw = String(ctx.params['nummer'] ?? '');
  const nummer = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : undefined;
  if (nummer === undefined) return rewriteTo('/404');
  const actor = staffActor(ctx.locals.staff!, ctx.locals.clientIp);
  if (ctx.request.method !== 'POST') {
    const details = openCase(nummer, actor, now());
    if (!details) return rewriteTo('/404');
    return render(caseView(details, { errors: {}, values: {}, saved: takeSaved(ctx.cookies, nummer) }, amsterdamDate(now())));
  }
  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  const intent = posted.ok ? String(posted.form.get('intent') ?? '') : '';
  const values: Record<string, string> = {};
  if (posted.ok) for (const [k, v] of posted.form) if (typeof v === 'string' && k !== 'intent') values[k] = cleanText(v).slice(0, 4000);
  const outcome = !posted.ok
    ? ({ kind: 'refused', status: posted.status, errors: {}, formError: 'Het formulier kwam niet goed aan.' } as const)
    : intent === AGENDA
      ? agendaOutcome(putCaseOnAgenda(nummer, readFields(posted.form, agendaFromCaseFields), actor, now()), nummer)
      : changeCase({ nummer, intent, answers: readFields(posted.form, isCaseIntent(intent) ? FIELDS_OF[intent] : []), actor, at: now(), findReport: reportIdOf });
  if (outcome.kind === 'done' && (isCaseIntent(intent) || intent === AGENDA)) {
    ctx.cookies.set(SAVED_COOKIE, intent, cookieOptions(nummer));
    return redirectTo(`/intern/casussen/${nummer}#${ANCHORS[intent]}`);
  }
  const details = openCase(nummer, actor, now());
  if (!details) return rewriteTo('/404');
  const status = outcome.kind === 'refused' ? outcome.status : 400;
  const formError = outcome.kind === 'refused' ? outcome.formError : undefined;
  return render(caseView(details, { errors: outcome.kind === 'refused' ? outcome.errors : {}, values, formError }, amsterdamDate(now())), status);
}
