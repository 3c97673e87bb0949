import type { AstroCookies } from 'astro';
import { CALL_112_PATH, CHECK_PATH, STEPS, THANKS_PATH, type StepDef } from './resident-steps.schema.ts';
import { parseStep, readFields, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { type ResidentReport } from './report.schema.ts';
import { captchaSettings, verifyCaptcha } from './captcha.server.ts';
import { config, type AppConfig } from '#platform/config.ts';
import { now } from '#platform/clock.ts';
import {
  createDraft,
  deleteDraft,
  findDraft,
  DraftAlreadySent,
  saveDraftAnswers,
  type Draft,
} from '#features/intake/drafts.repo.server.ts';
import { submitResidentReport } from '#features/intake/intake.server.ts';
import { spokenReference } from '#features/reports/reference.rules.ts';
import { RateLimiter } from '#platform/rate-limit.ts';
import { ADDRESS_CHOICE_FIELD, ADDRESS_MESSAGES, type AddressCheck, type BagAddress } from '#features/address/address.schema.ts';
import { addressChoiceField, addressNotice, parseCheck, serialiseCheck } from '#features/address/address.rules.ts';
import { checkFormAddress, fillFromRegister } from '#features/address/address.server.ts';
import type { FieldDef } from '#lib/forms.ts';
import { clientIp, FORM_LIMIT_BYTES, readForm, redirectTo, render, rewriteTo, type FormOutcome } from '#platform/http.ts';
import type { LaneContext } from '#platform/lanes.ts';

/**
 * The resident's multi-step form, server side: every step posts to its own page, is validated by its
 * schema, kept in a server-side draft and answered with a 303 to the next page (Post/Redirect/Get).
 * Nothing the resident types ever appears in a URL. Each request reads `config()` and the one clock
 * (`now()`) once and passes them on: drafts, rate limits and the report share that instant.
 */

export const DRAFT_COOKIE = 'mb_melding';
const HONEYPOT = 'website';
const HOUR = 3_600_000;

const stepPosts = new RateLimiter(() => config().reportsPerHourPerIp * 20, HOUR);
const reportPosts = new RateLimiter(() => config().reportsPerHourPerIp, HOUR);

/** What the pages need from Astro. */
export interface FlowContext {
  request: Request;
  cookies: AstroCookies;
  clientAddress: string;
}

/**
 * What the check page's handler reads: the request, the draft's cookie and the client's address. Astro's
 * context is one; so is the light context of the send's fast lane (#platform/lanes.ts), which answers
 * "Melding versturen" without Astro's pipeline when the answer is a redirect.
 */
export type CheckContext = LaneContext;

/** A page to show: the answers to fill in, and the messages when the post was refused. */
export interface StepView {
  values: RawAnswers;
  errors: FieldErrors;
  /** A problem that belongs to no one field (too much text, the honeypot). */
  formError: string | undefined;
  /** Step 2, several addresses at the postcode and number: the question `Welk adres bedoelt u?`. */
  addressChoice?: FieldDef | undefined;
  /** The step after the address: what the lookup found worth saying (not found, another municipality). */
  notice?: string | undefined;
}

export const RATE_LIMIT_PATH = '/melden/te-veel';

function draftOf(ctx: Pick<CheckContext, 'cookies'>, at: Date): Draft | undefined {
  return findDraft(ctx.cookies.get(DRAFT_COOKIE)?.value, at);
}

function setDraftCookie(ctx: FlowContext, token: string, cfg: AppConfig): void {
  // A session cookie for the form pages only; the row it points to expires within 24 hours.
  ctx.cookies.set(DRAFT_COOKIE, token, {
    path: '/melden',
    httpOnly: true,
    sameSite: 'strict',
    secure: cfg.production,
  });
}

/** Answers of a step are complete when its schema accepts them. */
function stepComplete(draft: Draft, step: StepDef): boolean {
  const answers = draft.answers[step.id];
  return answers !== undefined && parseStep(step.schema, answers).ok;
}

/** The first step still to answer, or `undefined` when all are done. */
function firstIncomplete(draft: Draft | undefined): StepDef | undefined {
  if (!draft) return STEPS[0];
  return STEPS.find((s) => !stepComplete(draft, s));
}

function view(values: RawAnswers, status: 200 | 400 | 413 = 200, errors: FieldErrors = {}, formError?: string): FormOutcome<StepView> {
  return render({ values, errors, formError }, status);
}

/**
 * The address lookup of step 2 keeps, beside the step's answers: what the register said (for the
 * report, the next page's notice and whether street and place were filled in for this address), and
 * while `Welk adres bedoelt u?` is open, the addresses it offers.
 */
const ADDRESS_KEY = 'persoon:adres';
const CHOICE_KEY = 'persoon:keuze';

function draftCheck(draft: Draft | undefined): AddressCheck | undefined {
  const kept = draft?.answers[ADDRESS_KEY]?.['check'];
  return parseCheck(typeof kept === 'string' ? kept : undefined);
}

function draftChoice(draft: Draft | undefined): BagAddress[] | undefined {
  const kept = draft?.answers[CHOICE_KEY]?.['options'];
  if (typeof kept !== 'string') return undefined;
  try {
    return JSON.parse(kept) as BagAddress[];
  } catch {
    return undefined;
  }
}

/** The page's extras: the address question on step 2, the lookup's notice on the step after it. */
function extras(step: StepDef, draft: Draft | undefined, cfg: AppConfig): Pick<StepView, 'addressChoice' | 'notice'> {
  if (step.id === 'persoon') {
    const options = draftChoice(draft);
    return { addressChoice: options ? addressChoiceField(options) : undefined };
  }
  if (step.id === 'zorgen') {
    // The lookup's notice, or else the address it found (street and place were filled in from it, spec §2).
    const check = draftCheck(draft);
    const found = check?.status === 'gevonden' && check.match ? ADDRESS_MESSAGES.found(check.match.label) : undefined;
    return { notice: addressNotice(check, cfg.municipality.municipalityName) ?? found };
  }
  return {};
}

function withExtras(outcome: FormOutcome<StepView>, more: Pick<StepView, 'addressChoice' | 'notice'>): FormOutcome<StepView> {
  return outcome.kind === 'render' ? { ...outcome, view: { ...outcome.view, ...more } } : outcome;
}

/** The notice about the address for the check page, if the report has an address. */
export function checkPageNotice(draft: Draft, cfg: AppConfig): string | undefined {
  return draft.answers['persoon']?.['locationKind'] === 'adres' ? addressNotice(draftCheck(draft), cfg.municipality.municipalityName) : undefined;
}

/**
 * A refused step is answered with Post/Redirect/Get too, so that the browser's Back never meets a
 * "resubmit form?" page: the posted answers and their messages wait in the draft under these keys
 * (beside the step's accepted answers, which they never overwrite), the GET shows them once with a 400,
 * and clears them.
 */
const pendingKey = (step: StepDef) => `${step.id}:ingevuld`;
const errorsKey = (step: StepDef) => `${step.id}:fouten`;

/** What the thanks page may know of a sent report: nothing of its content. */
const SENT_KEY = 'verstuurd';

const TOO_LARGE = 'U heeft te veel tekst ingevuld om te versturen. Maak uw tekst korter en probeer het opnieuw.';
const HONEYPOT_MESSAGE = 'Laat het veld "Niet invullen" leeg en probeer het opnieuw.';
const NOT_A_FORM = 'Het formulier kwam niet goed aan. Probeer het opnieuw.';

/** Handles GET and POST of one question step. */
export async function handleStep(ctx: FlowContext, step: StepDef): Promise<FormOutcome<StepView>> {
  const cfg = config();
  const at = now();
  const draft = draftOf(ctx, at);
  const stored = draft?.answers[step.id] ?? {};

  if (ctx.request.method !== 'POST') {
    // A later step needs the earlier ones; a finished report starts over.
    const missing = firstIncomplete(draft);
    if (step.number > 1 && (!draft || draft.submittedReference || (missing && missing.number < step.number))) {
      return redirectTo(draft?.submittedReference ? STEPS[0]!.path : (missing ?? STEPS[0]!).path);
    }
    const pending = draft?.answers[pendingKey(step)];
    const errors = draft?.answers[errorsKey(step)];
    const more = extras(step, draft, cfg);
    if (draft && pending && errors) {
      delete draft.answers[pendingKey(step)];
      delete draft.answers[errorsKey(step)];
      saveDraftAnswers(draft, at);
      return withExtras(view(pending, Object.keys(errors).length ? 400 : 200, errors as FieldErrors), more);
    }
    return withExtras(view(stored), more);
  }

  if (!stepPosts.allow(clientIp(ctx.request, ctx.clientAddress, cfg.trustProxy), at.getTime())) return rewriteTo(RATE_LIMIT_PATH);

  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  if (!posted.ok) return view(stored, posted.status === 413 ? 413 : 400, {}, posted.status === 413 ? TOO_LARGE : NOT_A_FORM);

  const raw = readFields(posted.form, step.fields);
  if (posted.form.get(HONEYPOT)) return view(raw, 400, {}, HONEYPOT_MESSAGE);

  const parsed = parseStep(step.schema, raw);
  /** Back to this step's page with the answers as typed (and messages, if any): Post/Redirect/Get. */
  const again = (errors: FieldErrors, more: Record<string, RawAnswers> = {}) => {
    const refused = { [pendingKey(step)]: raw, [errorsKey(step)]: errors, ...more };
    if (!draft || draft.submittedReference) {
      if (draft) deleteDraft(draft);
      setDraftCookie(ctx, createDraft(refused, at, cfg.municipality.retention.draftHours), cfg);
    } else {
      Object.assign(draft.answers, refused);
      saveDraftAnswers(draft, at);
    }
    return redirectTo(step.path);
  };
  const asked = draftChoice(draft);
  const choice = posted.form.get(ADDRESS_CHOICE_FIELD);
  if (!parsed.ok) {
    // Keep the address question open (and its answer) while other answers are fixed.
    return again(parsed.errors, asked ? { [pendingKey(step)]: { ...raw, [ADDRESS_CHOICE_FIELD]: typeof choice === 'string' ? choice : '' } } : {});
  }

  if (step.id === 'gevaar' && raw['acuteDanger'] === 'ja') {
    // Acute danger: nothing is kept. Send them to 112.
    if (draft) deleteDraft(draft);
    ctx.cookies.delete(DRAFT_COOKIE, { path: '/melden' });
    return redirectTo(CALL_112_PATH);
  }

  // Keep the answers as typed, minus those the schema dropped (an anonymous reporter's details,
  // the address of someone without one).
  const data = parsed.data as Record<string, unknown>;
  let kept: RawAnswers = {};
  for (const [name, value] of Object.entries(raw)) kept[name] = data[name] === undefined ? '' : value;
  const addressKept: Record<string, RawAnswers> = {};
  if (step.id === 'persoon') {
    const address = await checkFormAddress(cfg, data, { asked, choice: typeof choice === 'string' ? choice : undefined }, at);
    if (address.kind === 'choose') {
      // Several addresses: the step comes back with `Welk adres bedoelt u?` (an error only when it was
      // asked and not answered).
      return again(address.error ? { [ADDRESS_CHOICE_FIELD]: address.error } : {}, { [CHOICE_KEY]: { options: JSON.stringify(address.options) } });
    }
    if (address.kind === 'checked') {
      // Street and place from the register where the reporter left them empty; what they typed stands.
      kept = fillFromRegister(kept as { street?: string; place?: string }, address.check, draftCheck(draft)) as RawAnswers;
      addressKept[ADDRESS_KEY] = { check: serialiseCheck(address.check) };
    }
  }
  if (draft) {
    delete draft.answers[pendingKey(step)];
    delete draft.answers[errorsKey(step)];
    if (step.id === 'persoon') {
      delete draft.answers[CHOICE_KEY];
      delete draft.answers[ADDRESS_KEY];
    }
  }

  if (!draft || draft.submittedReference) {
    // A new report (or the old draft expired): start a draft with these answers; nothing is lost.
    if (draft) deleteDraft(draft);
    const answers = { [step.id]: kept, ...addressKept };
    setDraftCookie(ctx, createDraft(answers, at, cfg.municipality.retention.draftHours), cfg);
    const fresh: Draft = { tokenHash: '', answers, submittedReference: undefined };
    return redirectTo((firstIncomplete(fresh) ?? STEPS[0]!).path);
  }
  draft.answers[step.id] = kept;
  Object.assign(draft.answers, addressKept);
  saveDraftAnswers(draft, at);
  const next = firstIncomplete(draft);
  // After the last question, or after a change from the check page: on to the check page.
  return redirectTo(next ? next.path : CHECK_PATH);
}

/** The whole report from a complete draft. */
export function draftReport(draft: Draft): ResidentReport | undefined {
  let report = {};
  for (const step of STEPS) {
    const answers = draft.answers[step.id];
    if (!answers) return undefined;
    const parsed = parseStep(step.schema, answers);
    if (!parsed.ok) return undefined;
    report = { ...report, ...(parsed.data as object) };
  }
  return report as ResidentReport;
}

export interface CheckView {
  report: ResidentReport;
  /** What the address lookup found worth saying (not found, another municipality). */
  addressNotice: string | undefined;
  captchaError: string | undefined;
  /** hCaptcha's site key for the widget; `undefined` when hCaptcha is off. */
  captchaSiteKey: string | undefined;
}

/** The check page: shows every answer (GET) and sends the report (POST). */
export async function handleCheck(ctx: CheckContext): Promise<FormOutcome<CheckView>> {
  const cfg = config();
  const at = now();
  const draft = draftOf(ctx, at);
  if (!draft || draft.submittedReference) return redirectTo(draft?.submittedReference ? THANKS_PATH : STEPS[0]!.path);
  // Every step's answers checked once: the report when all are complete, else back to the first that is not.
  const report = draftReport(draft);
  if (!report) return redirectTo((firstIncomplete(draft) ?? STEPS[0]!).path);

  const captchaSiteKey = cfg.hcaptcha?.siteKey;
  const addressNotice = checkPageNotice(draft, cfg);
  if (ctx.request.method !== 'POST') return render({ report, addressNotice, captchaError: undefined, captchaSiteKey });

  const ip = clientIp(ctx.request, ctx.clientAddress, cfg.trustProxy);
  if (!reportPosts.allow(ip, at.getTime())) return rewriteTo(RATE_LIMIT_PATH);

  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  const form = posted.ok ? posted.form : new FormData();
  if (form.get(HONEYPOT)) return render({ report, addressNotice, captchaError: HONEYPOT_MESSAGE, captchaSiteKey }, 400);

  const token = form.get('h-captcha-response');
  const captcha = await verifyCaptcha(captchaSettings(cfg), typeof token === 'string' && token ? token : undefined, ip);
  if (captcha === 'mislukt') {
    return render(
      {
        report,
        addressNotice,
        captchaError: 'De controle of u een mens bent is niet gelukt. Doe de controle opnieuw en verstuur uw melding nog een keer.',
        captchaSiteKey,
      },
      400,
    );
  }

  const { acuteDanger: _noAcuteDanger, anonymous, ...answers } = report;
  const addressCheck = report.locationKind === 'adres' ? draftCheck(draft) : undefined;
  // The report and the draft's "sent" mark commit together: a crash can never leave a stored report
  // whose draft could be sent a second time. A second send of the same draft (a double click, two tabs, a
  // replayed post) finds it sent in that transaction and stores nothing: it gets the confirmation of the first.
  try {
    await submitResidentReport({
      report: { ...answers, channel: 'inwoner', acuteDanger: false, anonymous: anonymous === 'ja', captchaStatus: captcha, addressCheck },
      now: at,
      draftTokenHash: draft.tokenHash,
      kept: { [SENT_KEY]: { anonymous: anonymous === 'ja' ? 'ja' : 'nee', email: anonymous !== 'ja' && answers.reporterEmail ? 'ja' : 'nee' } },
    });
  } catch (error) {
    if (!(error instanceof DraftAlreadySent)) throw error;
  }
  return redirectTo(THANKS_PATH);
}

export interface ThanksView {
  reference: string;
  /** The reference as it is read aloud on the phone. */
  spoken: string;
  /** The report was anonymous: no questions back, no feedback, no e-mail. */
  anonymous: boolean;
  /** A confirmation e-mail is on its way. */
  email: boolean;
}

/** The confirmation page: the reference of the report this browser just sent; else back to the start. */
export function handleThanks(ctx: FlowContext): FormOutcome<ThanksView> {
  const draft = draftOf(ctx, now());
  const reference = draft?.submittedReference;
  if (!draft || !reference) return redirectTo(STEPS[0]!.path);
  const sent = draft.answers[SENT_KEY] ?? {};
  return render({ reference, spoken: spokenReference(reference), anonymous: sent['anonymous'] === 'ja', email: sent['email'] === 'ja' });
}
