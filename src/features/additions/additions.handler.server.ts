import { config } from '#platform/config.ts';
import { now } from '#platform/clock.ts';
import { RateLimiter } from '#platform/rate-limit.ts';
import { FORM_LIMIT_BYTES, readForm, redirectTo, render, type FormOutcome } from '#platform/http.ts';
import { parseStep, readFields, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { staffActor, type StaffSession } from '#features/auth/login.server.ts';
import { addAddition, lookUpForCaller, type CallerView } from './additions.server.ts';
import {
  ADDITION_MESSAGES,
  callerAdditionFields,
  callerAdditionSchema,
  lookupFields,
  lookupSchema,
  residentAdditionFields,
  residentAdditionSchema,
} from './additions.schema.ts';

/**
 * The pages of additions: the resident's /melden/aanvullen (public, no JavaScript needed, rate-limited,
 * revealing nothing of the report) and the KCC's /intern/kcc/opzoeken (a reference's status in a
 * caller's words, and what the caller adds).
 */

const HOUR = 3_600_000;
const HONEYPOT = 'website';
/** Posts per address per hour: as many as the report form allows whole reports. */
const residentPosts = new RateLimiter(() => config().reportsPerHourPerIp, HOUR);

export const RESIDENT_ADDITION_PATH = '/melden/aanvullen';
export const RESIDENT_ADDITION_DONE_PATH = '/melden/aanvullen/ontvangen';
export const CALLBACK_PATH = '/intern/kcc/opzoeken';

export interface ResidentAdditionView {
  values: RawAnswers;
  errors: FieldErrors;
  formError: string | undefined;
}

export interface PageContext {
  request: Request;
  locals: App.Locals;
}

/** /melden/aanvullen: GET shows the form; POST adds to the report (303 to the thanks) or shows what to fix. */
export async function handleResidentAddition(ctx: PageContext): Promise<FormOutcome<ResidentAdditionView>> {
  const view = (values: RawAnswers, status = 200, errors: FieldErrors = {}, formError?: string) =>
    render<ResidentAdditionView>({ values, errors, formError }, status);
  if (ctx.request.method !== 'POST') return view({});
  const at = now();
  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  if (!posted.ok) return view({}, posted.status, {}, ADDITION_MESSAGES.notAForm);
  const raw = readFields(posted.form, residentAdditionFields);
  // Every post counts, the unknown references too: guessing references is as slow as reporting.
  if (!residentPosts.allow(ctx.locals.clientIp ?? 'onbekend', at.getTime())) return view(raw, 429, {}, ADDITION_MESSAGES.tooMany);
  if (posted.form.get(HONEYPOT)) return view(raw, 400, {}, ADDITION_MESSAGES.notAForm);
  const parsed = parseStep(residentAdditionSchema, raw);
  if (!parsed.ok) return view(raw, 400, parsed.errors);
  const added = addAddition({ reference: parsed.data.reference, body: parsed.data.addition }, { role: 'inwoner', ip: ctx.locals.clientIp }, at);
  if (!added) return view(raw, 400, { reference: ADDITION_MESSAGES.unknownReference });
  return redirectTo(RESIDENT_ADDITION_DONE_PATH);
}

export interface CallbackView {
  values: RawAnswers;
  errors: FieldErrors;
  formError: string | undefined;
  /** The report looked up: reference, date received, status in a caller's words. */
  found: CallerView | undefined;
  /** An addition was just saved. */
  saved: boolean;
}

/** The message for a reference the KCC typed that no report has. */
export const CALLBACK_UNKNOWN = 'Dit referentienummer kennen wij niet. Controleer het nummer met de beller.';

/**
 * /intern/kcc/opzoeken: `intent=opzoeken` shows the status of a reference, `intent=aanvullen` stores
 * what the caller tells (303 back here, saying so). Every lookup and addition is audited for a caller.
 */
export async function handleCallback(ctx: PageContext & { url: URL }): Promise<FormOutcome<CallbackView>> {
  const staff = ctx.locals.staff as StaffSession;
  const agent = staffActor(staff, ctx.locals.clientIp);
  const view = (v: Partial<CallbackView>, status = 200) =>
    render<CallbackView>({ values: {}, errors: {}, formError: undefined, found: undefined, saved: false, ...v }, status);
  if (ctx.request.method !== 'POST') return view({ saved: ctx.url.searchParams.get('aanvulling') === 'opgeslagen' });
  const at = now();
  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  if (!posted.ok) return view({ formError: ADDITION_MESSAGES.notAForm }, posted.status);
  const raw = readFields(posted.form, [...lookupFields, ...callerAdditionFields]);
  if (posted.form.get('intent') === 'aanvullen') {
    const parsed = parseStep(callerAdditionSchema, raw);
    const reference = lookupSchema.safeParse(raw).data?.reference;
    const found = reference ? lookUpForCaller(reference, agent, at) : undefined;
    if (!found) return view({ values: raw, errors: { reference: CALLBACK_UNKNOWN } }, 400);
    if (!parsed.ok) return view({ values: raw, errors: parsed.errors, found }, 400);
    addAddition({ reference: found.reference, body: parsed.data.addition, callerName: parsed.data.callerName, callerPhone: parsed.data.callerPhone }, agent, at);
    return redirectTo(`${CALLBACK_PATH}?aanvulling=opgeslagen`);
  }
  const parsed = parseStep(lookupSchema, raw);
  if (!parsed.ok) return view({ values: raw, errors: parsed.errors }, 400);
  const found = lookUpForCaller(parsed.data.reference, agent, at);
  if (!found) return view({ values: raw, errors: { reference: CALLBACK_UNKNOWN } }, 400);
  return view({ values: { reference: found.reference }, found });
}
