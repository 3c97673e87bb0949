import { staffActor, type StaffSession } from '#features/auth/login.server.ts';
import { fmtDateTime, fmtDay, label } from '#lib/format.ts';
import { concernFields, personFields } from '#features/intake/resident/report.schema.ts';
import { ADDRESS_CHECKS, type AddressCheck } from '#features/address/address.schema.ts';
import { INTAKE_METHOD, policeConcernFields } from '#features/intake/staff/staff-report.schema.ts';
import { additionItems } from '#features/additions/additions.server.ts';
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
import { ASSIGN_ME, ASSIGN_TO_ME, FIELDS_OF, PARTS, SAVED, TRIAGE_FIELDS, isCaseIntentOfReport, isIntent, summaryLabel, type Intent } from './triage.schema.ts';
import { addReportToOpenCase, caseOfReport, createCaseFromReport } from '#features/casus/casus.server.ts';
import type { AstroCookies } from 'astro';
import { auditActionLabel, auditResultLabel, auditRoleLabel } from '#features/audit/audit.schema.ts';
import { changeReport, openReport } from './triage.server.ts';
import { reportPhotos, type ReportPhoto } from '#features/photos/photos.server.ts';
import { CASE_STATUS } from '#features/casus/casus.rules.ts';
import { caseChoiceValue } from '#features/casus/casus.schema.ts';

/**
 * The report page of the coordinator, /intern/triage/[reference]: GET opens the report (audited),
 * POST applies one change (triage.server.ts) and answers 303 back to its section, or renders the
 * page again with the messages. The page renders the view this builds (ReportPage.astro).
 */

/** What a POST of the report page came to; `values` is everything that was typed on the page. */
export type TriageOutcome =
  | { kind: 'done'; intent: Intent; anchor: string; values: Record<string, string> }
  | { kind: 'reveal'; values: Record<string, string> }
  | { kind: 'error'; status: 400 | 404 | 409 | 413; errors: FieldErrors; formError?: string; values: Record<string, string> };


/**
 * The report page is one form: its buttons say what to save (`intent`). "Koppelen" names the other
 * report in its own value (`link:MB-…`), "Aan mij toewijzen" is an assignment to `mij`; a post of the
 * separate fields (`intent=link&other=…`) works the same.
 */
export function pressedButton(form: FormData): { intent: string; form: FormData } {
  const pressed = String(form.get('intent') ?? '');
  if (pressed.startsWith('link:')) {
    const copy = new FormData();
    copy.set('other', pressed.slice(5));
    return { intent: 'link', form: copy };
  }
  if (pressed === ASSIGN_ME) {
    const copy = new FormData();
    copy.set('assignedTo', ASSIGN_TO_ME);
    return { intent: 'assign', form: copy };
  }
  return { intent: pressed, form };
}

/** Reads a posted triage form and applies it (or refuses it) for `staff`. */
export async function handleTriagePost(request: Request, reference: string, staff: StaffSession, ip: string | undefined): Promise<TriageOutcome> {
  if (!reportIdOf(reference)) return { kind: 'error', status: 404, errors: {}, formError: 'Deze melding bestaat niet.', values: {} };
  const posted = await readForm(request, FORM_LIMIT_BYTES);
  if (!posted.ok) return { kind: 'error', status: posted.status, errors: {}, formError: 'Het formulier kwam niet goed aan.', values: {} };
  // What was typed anywhere on the page, to fill the form in again: nothing typed is lost.
  const values: Record<string, string> = {};
  for (const [k, v] of posted.form) if (typeof v === 'string' && k !== 'intent') values[k] = cleanText(v).slice(0, 4000);
  const { intent, form } = pressedButton(posted.form);
  if (isCaseIntentOfReport(intent)) {
    const request = { reference, answers: readFields(form, FIELDS_OF[intent]), actor: staffActor(staff, ip), at: now() };
    const done = intent === 'case_create' ? createCaseFromReport(request) : addReportToOpenCase(request);
    if (done.kind === 'done') return { kind: 'done', intent, anchor: 'casus', values };
    return { kind: 'error', status: done.status, errors: done.errors, values, ...(done.formError ? { formError: done.formError } : {}) };
  }
  const outcome = changeReport({
    reference,
    intent,
    answers: readFields(form, isIntent(intent) ? FIELDS_OF[intent] : []),
    actor: staffActor(staff, ip),
    at: now(),
    norms: config().municipality,
  });
  if (outcome.kind === 'done') return { kind: 'done', intent: intent as Intent, anchor: outcome.anchor, values };
  if (outcome.kind === 'reveal') return { kind: 'reveal', values };
  return { kind: 'error', status: outcome.status, errors: outcome.errors, values, ...(outcome.formError ? { formError: outcome.formError } : {}) };
}

/**
 * The parts of the page with entries that differ from what the report holds: typed but not saved.
 * `values` are the posted fields; `current` the report as it stands after the save.
 */
export function unsavedParts(values: Record<string, string>, current: ReportView['current']): Intent[] {
  const v = (name: string) => (values[name] ?? '').trim();
  const differs = (name: string, stored: string) => name in values && v(name) !== stored.trim();
  const parts: Intent[] = [];
  if (differs('urgency', current.urgency) || differs('avePhase', current.avePhase) || v('aveReason') !== '') parts.push('urgency_ave');
  if (differs('caseDirector', current.caseDirector) || differs('processDirector', current.processDirector) || differs('treatmentDirector', current.treatmentDirector)) parts.push('regie');
  if (differs('assignedTo', current.assignedTo)) parts.push('assign');
  if (v('status') !== '' || v('forwardedTo') !== '' || v('mergeInto') !== '' || v('reason') !== '' || (v('outcome') !== '' && differs('outcome', current.outcome))) parts.push('status');
  if (v('note') !== '') parts.push('note');
  if (v('caseName') !== '') parts.push('case_create');
  return parts;
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
  /** "Opgeslagen: …" after a save; the parts typed in but not saved, by name. */
  saved: string | undefined;
  unsaved: string[];
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
  /** Reports retention deleted about this address or person, as the spec's sentences (spec §8). */
  deletedEarlier: string[];
  notes: { author: string; at: string; body: string }[];
  history: { line: string; reason: string | null }[];
  access: { at: string; actor: string; role: string; action: string; result: string }[];
  /** `Geen terugkoppeling sturen` (spec §7): whether it is on, and who would get the mails. */
  feedback: { off: boolean; text: string };
  /** What residents and callers added later (spec §2 "Aanvullen", §3a), oldest first. */
  additions: { at: string; from: string; body: string; caller: string | undefined }[];
  /** The BOA's photos (report page only): thumbnails linking to the full view. */
  photos?: ReportPhoto[];
  /** The casus of the report (its own, or that of the report it was merged into), or the casussen to add it to. */
  casus?: ReportCase;
}

export interface ReportCase {
  current: { nummer: number; name: string; avePhase: string; status: string; directors: string[] } | undefined;
  /** Open casussen: those of matching earlier reports first. */
  choices: Record<string, string>;
}

/** The casus part of the report page. */
export function reportCase(reportId: number, relatedIds: readonly number[]): ReportCase {
  const { current, choices } = caseOfReport(reportId, relatedIds);
  return {
    current: current && {
      nummer: current.id,
      name: current.name,
      avePhase: label(AVE_PHASE, current.avePhase),
      status: CASE_STATUS[current.status],
      directors: [
        current.caseDirector && `Casusregisseur: ${current.caseDirector}`,
        current.processDirector && `Procesregisseur: ${current.processDirector}`,
        current.treatmentDirector && `Behandelregie: ${current.treatmentDirector}`,
      ].filter((d): d is string => Boolean(d)),
    },
    choices: Object.fromEntries(choices.map((c) => [caseChoiceValue(c.id), `${c.name} (casus ${c.id})${c.preferred ? ', bij een eerdere melding' : ''}`])),
  };
}

const month = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', month: 'long', year: 'numeric' });
const fmtMonth = (iso: string): string => month.format(new Date(iso));


/** The error summary: "Reden: Vul de reden in…", linked to the field (a radio group's first option). */
function summaryOf(errors: FieldErrors): SummaryItem[] {
  return Object.entries(errors).map(([name, message]) => {
    const field = TRIAGE_FIELDS.find((f) => f.name === name);
    return field ? { href: `#${fieldId(field)}`, text: `${summaryLabel(field)}: ${message}` } : { href: `#f-${name}`, text: `${name}: ${message}` };
  });
}

/** What the address lookup found, under the person's address (names only: no codes on screen). */
const ADDRESS_FACT_FIELDS: readonly FieldDef[] = [
  { name: 'addressCheckLabel', label: 'Adresregistratie', kind: 'text' },
  { name: 'registerPlace', label: 'Woonplaats (adresregistratie)', kind: 'text' },
  { name: 'wijkName', label: 'Wijk', kind: 'text' },
  { name: 'buurtName', label: 'Buurt', kind: 'text' },
];

function addressFacts(check: AddressCheck | undefined): Record<string, string | undefined> {
  return {
    addressCheckLabel: check ? `${ADDRESS_CHECKS[check.status]} (${fmtDay(check.checkedOn)})` : undefined,
    registerPlace: check?.match?.place,
    wijkName: check?.match?.wijkName,
    buurtName: check?.match?.buurtName,
  };
}

/** Signs the coordinator must see first: age, outside the municipality, captcha, overdue, acute. */
function flagsOf({ report, triage }: ReportDetails, m: Municipality, today: string): string[] {
  const flags: string[] = [];
  if (report.personAge === 'jonger_dan_16') flags.push('Jonger dan 16: jeugdroute (jeugd / Veilig Thuis)');
  const address = report.addressCheck;
  if (address?.otherMunicipality) flags.push(`Adres in de gemeente ${address.otherMunicipality}: doorsturen`);
  else if (address ? address.otherMunicipality === '' : report.postcode && !m.postcodePrefixes.includes(report.postcode.slice(0, 4))) {
    flags.push(`Postcode buiten de gemeente ${m.municipalityName}: doorsturen`);
  }
  // The spec's markers as written (`adres niet gecontroleerd`, `captcha niet gecontroleerd`); a flag's first
  // letter is shown as a capital (base.css).
  if (address?.status === 'niet_gecontroleerd') flags.push('adres niet gecontroleerd: de adresregistratie was niet bereikbaar');
  if (report.captchaStatus === 'niet_gecontroleerd') flags.push('captcha niet gecontroleerd');
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
  if (report.channel === 'politie') {
    return {
      title: 'Politie (E33)',
      fields: [
        { name: 'policeReference', label: 'Registratienummer politie', kind: 'text' },
        { name: 'incidentAt', label: 'Datum en tijd van het incident', kind: 'text' },
        { name: 'incidentPlace', label: 'Plaats van het incident', kind: 'text' },
        { name: 'policeRequest', label: 'Wat vraagt de politie?', kind: 'text' },
        { name: 'policeFeedback', label: 'Wil de politie terugkoppeling?', kind: 'text' },
        { name: 'policeOfficer', label: 'Naam politiemedewerker', kind: 'text' },
        { name: 'policeTeam', label: 'Team of basisteam', kind: 'text' },
        { name: 'policePhone', label: 'Telefoonnummer politie', kind: 'text' },
        { name: 'policeEmail', label: 'E-mailadres politie', kind: 'text' },
        { name: 'enteredBy', label: 'Ingevoerd door', kind: 'text' },
      ],
      values: {
        policeReference: report.policeReference,
        incidentAt: report.incidentAt ? fmtDateTime(report.incidentAt) : undefined,
        incidentPlace: report.incidentPlace,
        policeRequest: report.policeRequest,
        policeFeedback: report.policeFeedback === undefined ? undefined : report.policeFeedback ? 'Ja' : 'Nee',
        policeOfficer: report.policeOfficer,
        policeTeam: report.policeTeam,
        policePhone: report.policePhone,
        policeEmail: report.policeEmail,
        enteredBy: t.enteredByName ?? undefined,
      },
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

/** Who gets feedback mails (spec §7), in words, and whether `Geen terugkoppeling sturen` is on. */
function feedbackCard({ report, triage: t }: ReportDetails): ReportView['feedback'] {
  const who = [
    !report.anonymous && report.reporterEmail ? 'de melder' : undefined,
    report.channel === 'politie' && report.policeFeedback && report.policeEmail ? 'de politie' : undefined,
  ].filter(Boolean).join(' en ');
  if (t.feedbackOff) return { off: true, text: 'Er gaat geen terugkoppeling uit over deze melding.' };
  if (!who) return { off: false, text: 'Niemand krijgt terugkoppeling: er is geen e-mailadres, de melder is anoniem of de politie vroeg er niet om.' };
  return { off: false, text: `${who.charAt(0).toUpperCase()}${who.slice(1)} krijgt een e-mail zonder inhoud als de melding in behandeling wordt genomen en als hij is afgehandeld.` };
}

/**
 * A history line in words: "Status Nieuw → In behandeling", "Uitkomst geen → Bemoeizorg", "Toegewezen aan A. de Vries",
 * "Wvggz verkennend onderzoek gestart op 29 november 2026". No codes, no user numbers.
 */
function historyOf({ events }: ReportDetails): ReportView['history'] {
  const maps: Record<string, Readonly<Record<string, string>>> = { status: STATUS, urgentie: URGENCY, ave_fase: AVE_PHASE, uitkomst: OUTCOMES };
  const words = (e: ReportDetails['events'][number]): string => {
    const value = (v: string | null) => (v === null ? 'geen' : (maps[e.kind]?.[v] ?? v));
    switch (e.kind) {
      case 'toewijzing': {
        const who = (id: string | null, name: string | null) => name ?? (id === null ? 'niemand' : 'een oud account');
        if (e.toValue === null) return `Toewijzing weggehaald (was ${who(e.fromValue, e.fromName)})`;
        return e.fromValue === null ? `Toegewezen aan ${who(e.toValue, e.toName)}` : `Toewijzing: ${who(e.fromValue, e.fromName)} → ${who(e.toValue, e.toName)}`;
      }
      case 'wvggz':
        return e.toValue !== null
          ? `Wvggz verkennend onderzoek gestart op ${fmtDay(e.toValue)}`
          : `Wvggz-markering weggehaald${e.fromValue ? ` (gestart op ${fmtDay(e.fromValue)})` : ''}`;
      case 'koppeling':
        return `Gekoppeld aan ${e.toValue ?? 'een andere melding'}`;
      case 'samengevoegd':
        return `Samengevoegd: ${e.toValue ?? 'een andere melding'} is hierin opgegaan`;
      case 'regie': {
        // Stored as "CR: name" ("CR: -" when cleared).
        const abbreviation = (e.toValue ?? e.fromValue ?? '').split(': ')[0];
        const who = (v: string | null) => {
          const name = v === null ? '-' : v.slice(v.indexOf(': ') + 2);
          return name === '-' ? 'geen' : name;
        };
        return `Regie ${abbreviation}: ${who(e.fromValue)} → ${who(e.toValue)}`;
      }
      default:
        return `${label(EVENT_KINDS, e.kind)} ${value(e.fromValue)} → ${value(e.toValue)}`;
    }
  };
  return events.map((e) => ({ line: `${fmtDateTime(e.at)}, ${e.actor ?? 'systeem'}: ${words(e)}`, reason: e.reason }));
}

export function reportView(
  details: ReportDetails,
  state: { reveal: boolean; errors: FieldErrors; values: Record<string, string>; saved?: Intent | undefined },
  m: Municipality,
  today: string,
): ReportView {
  const { report, triage: t } = details;
  const hasContact = !report.anonymous && Boolean(report.reporterName || report.reporterPhone || report.reporterEmail);
  const current = {
    urgency: t.urgency,
    avePhase: t.avePhase,
    caseDirector: t.caseDirector ?? '',
    processDirector: t.processDirector ?? '',
    treatmentDirector: t.treatmentDirector ?? '',
    assignedTo: t.assignedTo === null ? '' : String(t.assignedTo),
    outcome: t.outcome ?? '',
  };
  const hasErrors = Object.keys(state.errors).length > 0;
  return {
    reference: report.reference,
    saved: state.saved ? `Opgeslagen: ${SAVED[state.saved]}.` : undefined,
    unsaved: hasErrors ? [] : unsavedParts(state.values, current).map((part) => PARTS[part]),
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
    answers: { ...report, ...addressFacts(report.addressCheck) } as Record<string, unknown>,
    personFields: [...personFields, ...ADDRESS_FACT_FIELDS],
    concernFields: report.channel === 'politie' ? policeConcernFields : concernFields,
    channel: channelCard(details),
    feedback: feedbackCard(details),
    additions: additionItems([t.id]).map((a) => ({ at: fmtDateTime(a.createdAt), from: a.from, body: a.body, caller: state.reveal ? a.caller : a.caller && 'verborgen' })),
    reporter: {
      relation: report.reporterRelation ? label(RELATION, report.reporterRelation) : 'Onbekend',
      state: report.anonymous ? 'anonymous' : !hasContact ? 'none' : state.reveal ? 'shown' : 'hidden',
      name: report.reporterName,
      phone: report.reporterPhone,
      email: report.reporterEmail,
    },
    current,
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
    deletedEarlier: [
      details.deleted.address && `Er waren eerder meldingen over dit adres (verwijderd na de bewaartermijn): ${details.deleted.address.count}, de laatste in ${fmtMonth(details.deleted.address.lastCreatedAt)}`,
      details.deleted.person && `Er waren eerder meldingen over deze persoon (verwijderd na de bewaartermijn): ${details.deleted.person.count}, de laatste in ${fmtMonth(details.deleted.person.lastCreatedAt)}`,
    ].filter((line): line is string => Boolean(line)),
    notes: details.notes.map((n) => ({ author: n.author, at: fmtDateTime(n.createdAt), body: n.body })),
    history: historyOf(details),
    access: details.access.map((a) => ({
      at: fmtDateTime(a.at),
      actor: a.actor ?? (a.role === 'inwoner' ? 'Inwoner' : 'Onbekend'),
      role: auditRoleLabel(a.role),
      action: auditActionLabel(a.action),
      result: auditResultLabel(a.result),
    })),
  };
}

/** The report page context the handler needs from Astro. */
export interface ReportContext {
  request: Request;
  params: Record<string, string | undefined>;
  locals: App.Locals;
  cookies: AstroCookies;
}

/**
 * What was saved travels to the page after the redirect in a cookie of a minute, read once: the URL
 * and its history stay clean, and a reload does not say it again.
 */
const SAVED_COOKIE = 'mb_opgeslagen';
const savedCookieOptions = (reference: string) => ({ path: `/intern/triage/${reference}`, httpOnly: true, sameSite: 'strict', maxAge: 60 }) as const;

function takeSaved(cookies: AstroCookies, reference: string): Intent | undefined {
  const value = cookies.get(SAVED_COOKIE)?.value;
  if (value === undefined) return undefined;
  cookies.delete(SAVED_COOKIE, savedCookieOptions(reference));
  return isIntent(value) && value !== 'reveal' ? value : undefined;
}

/** Drops the fields of the part just saved: the page shows what the report now holds there. */
function withoutPart(values: Record<string, string>, intent: Intent): Record<string, string> {
  const saved = new Set(FIELDS_OF[intent].map((f) => f.name));
  if (intent === 'urgency_ave') saved.add('aveReason');
  return Object.fromEntries(Object.entries(values).filter(([k]) => !saved.has(k)));
}

/**
 * GET: the report, its view audited, with "Opgeslagen: …" after a save. POST: one change; then 303
 * back to the page, or, when other parts of the page hold entries not yet saved, the page itself
 * with those entries kept and a warning; or the page with the messages of a refused change.
 */
export async function handleReport(ctx: ReportContext): Promise<FormOutcome<ReportView>> {
  const staff = ctx.locals.staff!;
  const ip = ctx.locals.clientIp;
  const reference = String(ctx.params['reference'] ?? '');
  if (!REFERENCE_PATTERN.test(reference) || !reportIdOf(reference)) return rewriteTo('/404');
  const m = config().municipality;
  // The BOA's photos: links only, each opened (and audited) by its own request.
  const pageView = (...args: Parameters<typeof reportView>): ReportView => ({
    ...reportView(...args),
    photos: reportPhotos(reference),
    casus: reportCase(args[0].triage.id, args[0].related.map((r) => r.id)),
  });
  if (ctx.request.method !== 'POST') {
    const at = now();
    const details = openReport(reference, staffActor(staff, ip), at);
    if (!details) return rewriteTo('/404');
    return render(pageView(details, { reveal: false, errors: {}, values: {}, saved: takeSaved(ctx.cookies, reference) }, m, amsterdamDate(at)));
  }
  const outcome = await handleTriagePost(ctx.request, reference, staff, ip);
  // Read again after the post: what the page shows is what the database holds now.
  const details = reportDetails(reference);
  if (!details) return rewriteTo('/404');
  const today = amsterdamDate(now());
  if (outcome.kind === 'done') {
    const values = withoutPart(outcome.values, outcome.intent);
    const view = pageView(details, { reveal: false, errors: {}, values, saved: outcome.intent }, m, today);
    if (view.unsaved.length > 0) return render(view);
    ctx.cookies.set(SAVED_COOKIE, outcome.intent, savedCookieOptions(reference));
    return redirectTo(`/intern/triage/${reference}#opgeslagen`);
  }
  const state = outcome.kind === 'error' ? { reveal: false, errors: outcome.errors, values: outcome.values } : { reveal: true, errors: {}, values: outcome.values };
  return render(pageView(details, state, m, today), outcome.kind === 'error' ? outcome.status : 200);
}
