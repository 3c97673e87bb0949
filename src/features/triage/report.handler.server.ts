import type { StaffSession } from '#features/auth/login.server.ts';
import { concernFields, personFields } from '#features/intake/resident/report.schema.ts';
import { INTAKE_METHOD } from '#features/intake/staff/staff-report.schema.ts';
import { AVE_PHASE, CHANNELS, RELATION, STATUS, URGENCY } from '#features/reports/options.schema.ts';
import { REFERENCE_PATTERN } from '#features/reports/reference.rules.ts';
import { fieldId } from '#lib/field-ids.ts';
import { cleanText, readFields, type FieldDef, type FieldErrors } from '#lib/forms.ts';
import { amsterdamDate } from '#lib/working-days.ts';
import { now } from '#platform/clock.ts';
import { config, type Municipality } from '#platform/config.ts';
import { FORM_LIMIT_BYTES, readForm, redirectTo, render, rewriteTo, type FormOutcome } from '#platform/http.ts';
import { reportDetails, reportIdOf, type ReportDetails } from './triage.queries.server.ts';
import { EVENT_KINDS, OUTCOMES, TRANSITIONS, isOverdue, wvggzDeadline } from './triage.rules.ts';
import { FIELDS_OF, TRIAGE_FIELDS, isIntent, summaryLabel } from './triage.schema.ts';
import { changeReport, openReport, type StaffActor } from './triage.server.ts';

/**
 * The report page of the coordinator, /intern/triage/[reference]: GET opens the report (audited),
 * POST applies one change (triage.server.ts) and answers 303 back to its section, or renders the
 * page again with the messages. The page renders the view this builds (ReportPage.astro).
 */

/** What a POST of a triage form came to. */
export type TriageOutcome =
  | { kind: 'done'; anchor: string }
  | { kind: 'reveal' }
  | { kind: 'error'; status: 400 | 404 | 409 | 413; errors: FieldErrors; formError?: string; values: Record<string, string> };

const actorOf = (staff: StaffSession, ip: string | undefined): StaffActor => ({ id: staff.user.id, role: staff.user.role, ip });

/** Reads a posted triage form and applies it (or refuses it) for `staff`. */
export async function handleTriagePost(request: Request, reference: string, staff: StaffSession, ip: string | undefined): Promise<TriageOutcome> {
  if (!reportIdOf(reference)) return { kind: 'error', status: 404, errors: {}, formError: 'Deze melding bestaat niet.', values: {} };
  const posted = await readForm(request, FORM_LIMIT_BYTES);
  if (!posted.ok) return { kind: 'error', status: posted.status, errors: {}, formError: 'Het formulier kwam niet goed aan.', values: {} };
  const form = posted.form;
  // What was typed, to fill the form in again when it is refused.
  const values: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === 'string') values[k] = cleanText(v).slice(0, 4000);
  const intent = String(form.get('intent') ?? '');
  const outcome = changeReport({
    reference,
    intent,
    answers: readFields(form, isIntent(intent) ? FIELDS_OF[intent] : []),
    actor: actorOf(staff, ip),
    at: now(),
    norms: config().municipality,
  });
  if (outcome.kind !== 'refused') return outcome;
  return { kind: 'error', status: outcome.status, errors: outcome.errors, values, ...(outcome.formError ? { formError: outcome.formError } : {}) };
}

// ---------------------------------------------------------------------------------------------
// The view

/** A row of the error summary. */
export interface SummaryItem {
  href: string;
  text: string;
}

/** What ReportPage.astro renders: labels and formatted dates, no codes to look up. */
export interface ReportView {
  reference: string;
  /** Refused form: its messages and what was typed. */
  errors: FieldErrors;
  values: Record<string, string>;
  summary: SummaryItem[];
  header: {
    receivedAt: string;
    channel: string;
    status: string;
    urgency: string;
    suggestedUrgency: string;
    avePhase: string;
    dueOn: string;
    assignedName: string | null;
    wvggzDue: string | null;
    mergedInto: string | null;
    forwardedTo: string | null;
    outcome: string | null;
  };
  flags: string[];
  /** The answers for the summary lists, by field name. */
  answers: Record<string, unknown>;
  personFields: readonly FieldDef[];
  concernFields: readonly FieldDef[];
  /** The KCC or BOA card, for reports from those channels. */
  channel: { title: string; fields: FieldDef[]; values: Record<string, unknown> } | undefined;
  reporter: {
    relation: string;
    /** anonymous; no contact details; hidden until "Toon gegevens melder"; shown (after that post). */
    state: 'anonymous' | 'none' | 'hidden' | 'shown';
    name: string | undefined;
    phone: string | undefined;
    email: string | undefined;
  };
  /** The report as it stands, to fill in the forms. */
  current: {
    urgency: string;
    avePhase: string;
    caseDirector: string;
    processDirector: string;
    treatmentDirector: string;
    assignedTo: string;
    outcome: string;
  };
  coordinators: Record<string, string>;
  wvggz: { running: boolean; text: string };
  nextStatuses: Record<string, string>;
  related: { reference: string; receivedAt: string; status: string; match: string; linked: boolean }[];
  notes: { author: string; at: string; body: string }[];
  history: { line: string; reason: string | null }[];
  access: { at: string; actor: string; role: string; action: string; result: string }[];
}

const dateTime = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', dateStyle: 'long', timeStyle: 'short' });
const day = new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', dateStyle: 'long' });
const fmtDateTime = (iso: string) => dateTime.format(new Date(iso));
const fmtDay = (d: string) => day.format(new Date(`${d}T00:00:00Z`));

const label = (options: Readonly<Record<string, string>>, code: string): string => options[code] ?? code;

/** The error summary: "Reden: Vul de reden in…", linked to the field (a radio group's first option). */
function summaryOf(errors: FieldErrors): SummaryItem[] {
  return Object.entries(errors).map(([name, message]) => {
    const field = TRIAGE_FIELDS.find((f) => f.name === name);
    return field ? { href: `#${fieldId(field)}`, text: `${summaryLabel(field)}: ${message}` } : { href: `#f-${name}`, text: `${name}: ${message}` };
  });
}

/** Signs the coordinator must see first: age, outside the municipality, captcha, overdue, acute. */
function flagsOf({ report, triage }: ReportDetails, m: Municipality, today: string): string[] {
  const flags: string[] = [];
  if (report.personAge === 'jonger_dan_16') flags.push('Jonger dan 16: jeugdroute (jeugd / Veilig Thuis)');
  if (report.postcode && !m.postcodePrefixes.includes(report.postcode.slice(0, 4))) flags.push(`Postcode buiten de gemeente ${m.municipalityName}: doorsturen`);
  if (report.captchaStatus === 'niet_gecontroleerd') flags.push('Captcha niet gecontroleerd');
  if (isOverdue(triage, today)) flags.push('Te laat: termijn verstreken');
  if (report.status === 'acuut_doorgezet') flags.push('Acuut doorgezet naar 112');
  return flags;
}

/** What the KCC agent or BOA recorded besides the resident's questions. */
function channelCard({ report, triage: t }: ReportDetails): ReportView['channel'] {
  if (report.channel === 'kcc') {
    return {
      title: 'KCC',
      fields: [
        { name: 'intakeMethod', label: 'Hoe kwam de melding binnen?', kind: 'radio', options: INTAKE_METHOD },
        { name: 'enteredBy', label: 'Ingevoerd door (KCC, namens beller)', kind: 'text' },
      ],
      values: { intakeMethod: report.intakeMethod, enteredBy: t.enteredByName },
    };
  }
  if (report.channel === 'boa') {
    return {
      title: 'Waarneming BOA',
      fields: [
        { name: 'officer', label: 'BOA', kind: 'text' },
        { name: 'observedAt', label: 'Datum en tijd van de waarneming', kind: 'text' },
        { name: 'policePresent', label: 'Was de politie ter plaatse?', kind: 'text' },
        { name: 'policeReference', label: 'Registratienummer', kind: 'text' },
      ],
      values: {
        officer: t.enteredByName ? `${t.enteredByName}${t.enteredByServiceNumber ? `, dienstnummer ${t.enteredByServiceNumber}` : ''}` : undefined,
        observedAt: report.observedAt ? fmtDateTime(report.observedAt) : undefined,
        policePresent: report.policePresent === undefined ? undefined : report.policePresent ? 'Ja' : 'Nee',
        policeReference: report.policeReference,
      },
    };
  }
  return undefined;
}

/** A history line: "Status Nieuw → In behandeling", with names for assignments. */
function historyOf({ events, coordinators }: ReportDetails): ReportView['history'] {
  const maps: Record<string, Readonly<Record<string, string>>> = { status: STATUS, urgentie: URGENCY, ave_fase: AVE_PHASE, uitkomst: OUTCOMES };
  const value = (kind: string, v: string | null): string => {
    if (v === null) return '-';
    if (kind === 'toewijzing') return coordinators.find((c) => String(c.id) === v)?.name ?? `gebruiker ${v}`;
    return maps[kind]?.[v] ?? v;
  };
  return events.map((e) => ({
    line: `${fmtDateTime(e.at)}, ${e.actor ?? 'systeem'}: ${label(EVENT_KINDS, e.kind)} ${value(e.kind, e.fromValue)} → ${value(e.kind, e.toValue)}`,
    reason: e.reason,
  }));
}

export function reportView(
  details: ReportDetails,
  state: { reveal: boolean; errors: FieldErrors; values: Record<string, string> },
  m: Municipality,
  today: string,
): ReportView {
  const { report, triage: t } = details;
  const hasContact = !report.anonymous && Boolean(report.reporterName || report.reporterPhone || report.reporterEmail);
  return {
    reference: report.reference,
    errors: state.errors,
    values: state.values,
    summary: summaryOf(state.errors),
    header: {
      receivedAt: fmtDateTime(report.createdAt),
      channel: CHANNELS[report.channel],
      status: STATUS[t.status],
      urgency: URGENCY[t.urgency],
      suggestedUrgency: URGENCY[t.suggestedUrgency],
      avePhase: label(AVE_PHASE, t.avePhase),
      dueOn: fmtDay(t.dueOn),
      assignedName: t.assignedName,
      wvggzDue: t.wvggzStartedOn ? fmtDay(wvggzDeadline(t.wvggzStartedOn)) : null,
      mergedInto: t.mergedInto,
      forwardedTo: t.forwardedTo,
      outcome: t.outcome === null ? null : label(OUTCOMES, t.outcome),
    },
    flags: flagsOf(details, m, today),
    answers: report as unknown as Record<string, unknown>,
    personFields,
    concernFields,
    channel: channelCard(details),
    reporter: {
      relation: report.reporterRelation ? label(RELATION, report.reporterRelation) : 'Onbekend',
      state: report.anonymous ? 'anonymous' : !hasContact ? 'none' : state.reveal ? 'shown' : 'hidden',
      name: report.reporterName,
      phone: report.reporterPhone,
      email: report.reporterEmail,
    },
    current: {
      urgency: t.urgency,
      avePhase: t.avePhase,
      caseDirector: t.caseDirector ?? '',
      processDirector: t.processDirector ?? '',
      treatmentDirector: t.treatmentDirector ?? '',
      assignedTo: t.assignedTo === null ? '' : String(t.assignedTo),
      outcome: t.outcome ?? '',
    },
    coordinators: Object.fromEntries(details.coordinators.map((c) => [String(c.id), c.name])),
    wvggz: {
      running: t.wvggzStartedOn !== null,
      text: t.wvggzStartedOn
        ? `Verkennend onderzoek gestart op ${fmtDay(t.wvggzStartedOn)}; uiterlijk klaar op ${fmtDay(wvggzDeadline(t.wvggzStartedOn))}.`
        : 'Geen Wvggz-verkennend onderzoek.',
    },
    nextStatuses: Object.fromEntries(TRANSITIONS[t.status].map((s) => [s, STATUS[s]])),
    related: details.related.map((r) => ({
      reference: r.reference,
      receivedAt: fmtDateTime(r.createdAt),
      status: STATUS[r.status],
      match: [r.sameAddress && 'Zelfde adres', r.samePerson && 'Zelfde persoon'].filter(Boolean).join(', ') || 'Gekoppeld',
      linked: r.linked,
    })),
    notes: details.notes.map((n) => ({ author: n.author, at: fmtDateTime(n.createdAt), body: n.body })),
    history: historyOf(details),
    access: details.access.map((a) => ({
      at: fmtDateTime(a.at),
      actor: a.actor ?? (a.role === 'inwoner' ? 'Inwoner' : '-'),
      role: a.role,
      action: a.action.replace(/_/g, ' '),
      result: a.result,
    })),
  };
}

/** The report page context the handler needs from Astro. */
export interface ReportContext {
  request: Request;
  params: Record<string, string | undefined>;
  locals: App.Locals;
}

/** GET: the report, its view audited. POST: one change, then 303 to its section, or the page with the messages. */
export async function handleReport(ctx: ReportContext): Promise<FormOutcome<ReportView>> {
  const staff = ctx.locals.staff!;
  const ip = ctx.locals.clientIp;
  const reference = String(ctx.params['reference'] ?? '');
  if (!REFERENCE_PATTERN.test(reference) || !reportIdOf(reference)) return rewriteTo('/404');
  const m = config().municipality;
  if (ctx.request.method !== 'POST') {
    const at = now();
    const details = openReport(reference, actorOf(staff, ip), at);
    if (!details) return rewriteTo('/404');
    return render(reportView(details, { reveal: false, errors: {}, values: {} }, m, amsterdamDate(at)));
  }
  const outcome = await handleTriagePost(ctx.request, reference, staff, ip);
  if (outcome.kind === 'done') return redirectTo(`/intern/triage/${reference}#${outcome.anchor}`);
  // Read again after the post: what the page shows is what the database holds now.
  const details = reportDetails(reference);
  if (!details) return rewriteTo('/404');
  const state = outcome.kind === 'error' ? { reveal: false, errors: outcome.errors, values: outcome.values } : { reveal: true, errors: {}, values: {} };
  return render(reportView(details, state, m, amsterdamDate(now())), outcome.kind === 'error' ? outcome.status : 200);
}
