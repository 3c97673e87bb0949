import { randomBytes } from 'node:crypto';
import type { AstroCookies } from 'astro';
import { config } from '#platform/config.ts';
import { createDraft, deleteDraft, DraftAlreadySent, findDraft, markFormSent, sentFormReference } from '#features/intake/drafts.repo.server.ts';
import { ADDRESS_CHOICE_FIELD, type BagAddress } from '#features/address/address.schema.ts';
import { addressChoiceField } from '#features/address/address.rules.ts';
import { checkFormAddress, fillFromRegister } from '#features/address/address.server.ts';
import type { FieldDef } from '#lib/forms.ts';
import { readFields, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { ACUTE_INTAKE_DEFAULT, FORM_KEY_FIELD, boaFields, boaSchemas, intakeSchema, kccFields, kccSchemas, parseParts, politieFields, politieSchemas, STAFF_MESSAGES } from './staff-report.schema.ts';
import { utcToAmsterdam } from '#lib/dates.ts';
import { staffActor, type StaffSession } from '#features/auth/login.server.ts';
import { now } from '#platform/clock.ts';
import { submitReport, type IntakeReport } from '#features/intake/intake.server.ts';
import { FORM_LIMIT_BYTES, readForm, redirectTo, render, type FormOutcome } from '#platform/http.ts';
import { ownReports, savedReportFor, type OwnReport, type SavedReportView } from './staff.server.ts';
import { attachPhotos, keptPhotos, receivePhotos, type PhotoSet } from '#features/photos/photos.server.ts';
import { PHOTO_FIELD, PHOTO_FORM_LIMIT_BYTES } from '#features/photos/photos.schema.ts';

/**
 * The KCC, BOA and police intake forms: one page each, the acute question first (the police form has
 * none: E33 reports are not acute). A KCC agent reports on a caller's behalf; a BOA reports what they
 * saw; a coordinator or KCC agent types a police report from its e-mail. All write the same report
 * records as the resident form, with the channel and the staff member who typed it.
 */

export type StaffChannel = 'kcc' | 'boa' | 'politie';

export type { OwnReport, SavedReportView };

export interface StaffFormView {
  values: RawAnswers;
  errors: FieldErrors;
  formError: string | undefined;
  /** The agent answered "Ja" to acute danger: show the 112 instruction and the minimal record button. */
  acute: boolean;
  /** Several addresses at the postcode and number: the question `Welk adres bedoelt u?`. */
  addressChoice?: FieldDef | undefined;
  /** The BOA form's photos kept on the server (with the token its hidden field carries). */
  photos?: PhotoSet | undefined;
  /** This form's key (a hidden field): the form is saved at most once, however often it is sent. */
  formKey: string;
}

/** The form, and the staff member's own reports below it. */
export interface StaffPageView extends StaffFormView {
  ownReports: OwnReport[];
}

export interface StaffContext {
  request: Request;
  cookies: AstroCookies;
  locals: App.Locals;
}

const SAVED = { kcc: '/intern/kcc/opgeslagen', boa: '/intern/boa/opgeslagen', politie: '/intern/politie/opgeslagen' } as const;
const FORM = { kcc: '/intern/kcc/melding', boa: '/intern/boa/melding', politie: '/intern/politie/melding' } as const;
const FIELDS = { kcc: kccFields, boa: boaFields, politie: politieFields } as const;
const SCHEMAS = { kcc: () => kccSchemas, boa: boaSchemas, politie: politieSchemas } as const;

/**
 * A refused form (or the acute alert) is answered with Post/Redirect/Get, like the resident form, so
 * that Back never meets a "resubmit form?" page: the typed answers and messages wait in a draft row
 * (token in a cookie for this form page only) for the one GET that shows them, then are deleted.
 */
const REFUSED_COOKIE = 'mb_formulier';
const REFUSED_HOURS = 1;

/** What a form's key looks like (256 random bits, base64url); its hidden field is FORM_KEY_FIELD. */
const FORM_KEY = /^[A-Za-z0-9_-]{43}$/;
const newFormKey = (): string => randomBytes(32).toString('base64url');
function postedFormKey(form: FormData): string | undefined {
  const key = form.get(FORM_KEY_FIELD);
  return typeof key === 'string' && FORM_KEY.test(key) ? key : undefined;
}

interface Refused {
  values: RawAnswers;
  errors: FieldErrors;
  acute: boolean;
  /** The addresses to choose from, when the register found several. */
  addressOptions?: BagAddress[] | undefined;
  /** The token of the photos kept for this form (BOA). */
  photoSet?: string | undefined;
  /** The form's key, kept for the form shown again. */
  formKey?: string | undefined;
}

function keepRefused(ctx: StaffContext, channel: StaffChannel, refused: Refused, at: Date): FormOutcome<never> {
  dropRefused(ctx, channel, at);
  const token = createDraft(
    {
      values: refused.values,
      errors: refused.errors,
      state: {
        acute: refused.acute ? 'ja' : 'nee',
        addressOptions: refused.addressOptions ? JSON.stringify(refused.addressOptions) : '',
        photoSet: refused.photoSet ?? '',
        formKey: refused.formKey ?? '',
      },
    },
    at,
    REFUSED_HOURS,
  );
  ctx.cookies.set(REFUSED_COOKIE, token, { path: FORM[channel], httpOnly: true, sameSite: 'strict', secure: config().production });
  return redirectTo(FORM[channel]);
}

/** The refused form waiting for this page, once: reading it deletes it. */
function takeRefused(ctx: StaffContext, channel: StaffChannel, at: Date): Refused | undefined {
  const draft = dropRefused(ctx, channel, at);
  if (!draft?.answers['values'] || !draft.answers['errors']) return undefined;
  const options = draft.answers['state']?.['addressOptions'];
  const photoSet = draft.answers['state']?.['photoSet'];
  const formKey = draft.answers['state']?.['formKey'];
  return {
    formKey: typeof formKey === 'string' && FORM_KEY.test(formKey) ? formKey : undefined,
    photoSet: typeof photoSet === 'string' && photoSet ? photoSet : undefined,
    values: draft.answers['values'],
    errors: draft.answers['errors'] as FieldErrors,
    acute: draft.answers['state']?.['acute'] === 'ja',
    addressOptions: typeof options === 'string' && options ? (JSON.parse(options) as BagAddress[]) : undefined,
  };
}

function dropRefused(ctx: StaffContext, channel: StaffChannel, at: Date) {
  const token = ctx.cookies.get(REFUSED_COOKIE)?.value;
  if (!token) return undefined;
  const draft = findDraft(token, at);
  if (draft) deleteDraft(draft);
  ctx.cookies.delete(REFUSED_COOKIE, { path: FORM[channel] });
  return draft;
}

/** The bytes of a posted form's text (not its files). */
function textBytes(form: FormData): number {
  let total = 0;
  for (const [name, value] of form) if (typeof value === 'string') total += Buffer.byteLength(name) + Buffer.byteLength(value);
  return total;
}

/** The KCC or BOA form page: GET shows it, POST saves the report (303 to its saved page) or shows what to fix. */
export async function handleStaffReport(ctx: StaffContext, channel: StaffChannel): Promise<FormOutcome<StaffPageView>> {
  const staff = ctx.locals.staff as StaffSession;
  const at = now();
  const view = (values: RawAnswers, status: 200 | 400 | 413 = 200, errors: FieldErrors = {}, formError?: string, acute = false, options?: BagAddress[], photoSet?: string, formKey?: string) =>
    render<StaffPageView>(
      {
        formKey: formKey ?? newFormKey(),
        values,
        errors,
        formError,
        acute,
        addressChoice: options ? addressChoiceField(options) : undefined,
        photos: channel === 'boa' ? keptPhotos(photoSet, staff.user.id, at) : undefined,
        ownReports: ownReports(channel, staff.user.id, at),
      },
      status,
    );
  const fields = FIELDS[channel];
  if (ctx.request.method !== 'POST') {
    const refused = takeRefused(ctx, channel, at);
    if (refused) {
      const status = refused.acute || !Object.keys(refused.errors).length ? 200 : 400;
      return view(refused.values, status, refused.errors, undefined, refused.acute, refused.addressOptions, refused.photoSet, refused.formKey);
    }
    return view(channel === 'boa' ? { observedAt: utcToAmsterdam(at) } : {});
  }
  // The BOA form may carry five photos; its text is held to the small limit like every other form's.
  const posted = await readForm(ctx.request, channel === 'boa' ? PHOTO_FORM_LIMIT_BYTES : FORM_LIMIT_BYTES);
  if (!posted.ok || textBytes(posted.form) > FORM_LIMIT_BYTES) {
    const status = posted.ok ? 413 : posted.status;
    return view({}, status, {}, status === 413 ? (channel === 'boa' ? STAFF_MESSAGES.tooLargeWithPhotos : STAFF_MESSAGES.tooLarge) : STAFF_MESSAGES.notAForm);
  }
  const raw = readFields(posted.form, fields);
  // A form sent again (a double click, a replayed post): the report it saved, not a second one.
  const formKey = postedFormKey(posted.form);
  const savedBefore = formKey ? sentFormReference(formKey, at) : undefined;
  if (savedBefore) return redirectTo(`${SAVED[channel]}/${savedBefore}`);
  // Photos first: kept on the server whatever else the form holds, so they are never chosen twice.
  const photos = channel === 'boa' ? await receivePhotos(posted.form, staff.user.id, at) : undefined;
  const refuse = (refused: Omit<Refused, 'photoSet' | 'formKey'>) => keepRefused(ctx, channel, { ...refused, photoSet: photos?.token, formKey }, at);
  /**
   * Saves the report with the form's key marked sent in its transaction (a form is saved at most once); when
   * another send of the same form committed first, this one stores nothing and leads to that report.
   */
  const save = async (report: IntakeReport, also?: (stored: { id: number; reference: string }) => void): Promise<FormOutcome<never>> => {
    try {
      const { reference } = await submitReport(report, {
        actor,
        now: at,
        ...(onBehalfOf ? { onBehalfOf } : {}),
        alsoInTransaction: (stored) => {
          if (formKey) markFormSent(formKey, stored.reference, at, config().municipality.retention.draftHours);
          also?.(stored);
        },
      });
      return redirectTo(`${SAVED[channel]}/${reference}`);
    } catch (error) {
      const first = error instanceof DraftAlreadySent && formKey ? sentFormReference(formKey, at) : undefined;
      if (!first) throw error;
      return redirectTo(`${SAVED[channel]}/${first}`);
    }
  };
  if (photos?.removed) return refuse({ values: raw, errors: {}, acute: false });
  const actor = staffActor(staff, ctx.locals.clientIp);
  const onBehalfOf = channel === 'kcc' ? ('beller' as const) : undefined;
  const base = { channel, enteredBy: staff.user.id, captchaStatus: 'niet_van_toepassing' as const, concerns: [], involved: [] };

  // Only while the answer is still "Ja": an agent who changed it to "Nee" and pressed Enter (the
  // 112 button comes first in the form, so it is the form's default button) saves the full report.
  if (posted.form.get('intent') === 'acuut' && raw['acuteDanger'] === 'ja') {
    // Passed on to 112: only the time, the staff member and the channel are kept. A missing channel
    // never holds up a 112 transfer: it defaults to `Telefoon` (spec §3).
    const intakeMethod = channel === 'kcc' ? (intakeSchema.safeParse(raw).data?.intakeMethod ?? ACUTE_INTAKE_DEFAULT) : undefined;
    const minimal: IntakeReport = { ...base, status: 'acuut_doorgezet', acuteDanger: true, anonymous: false, intakeMethod };
    return save(minimal);
  }

  if (raw['acuteDanger'] === 'ja') {
    const shown = channel === 'kcc' && !raw['intakeMethod'] ? { ...raw, intakeMethod: ACUTE_INTAKE_DEFAULT } : raw;
    return refuse({ values: shown, errors: {}, acute: true });
  }
  const parsed = parseParts(raw, SCHEMAS[channel](at));
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  if (channel !== 'politie' && raw['acuteDanger'] !== 'nee') errors['acuteDanger'] = STAFF_MESSAGES.acuteDanger;
  if (photos?.error) errors[PHOTO_FIELD] = photos.error;
  const choice = posted.form.get(ADDRESS_CHOICE_FIELD);
  const answered = typeof choice === 'string' && choice ? { ...raw, [ADDRESS_CHOICE_FIELD]: choice } : raw;
  if (!parsed.ok || Object.keys(errors).length) return refuse({ values: answered, errors, acute: false });

  // The address in the national register (never holds the report up: unreachable means unchecked).
  const parsedData = parsed.data as Omit<IntakeReport, 'channel' | 'acuteDanger' | 'captchaStatus'>;
  const address = await checkFormAddress(config(), parsedData, { asked: undefined, choice: typeof choice === 'string' ? choice : undefined }, at);
  if (address.kind === 'choose') return refuse({ values: answered, errors: {}, acute: false, addressOptions: address.options });
  const addressCheck = address.kind === 'checked' ? address.check : undefined;
  const data = addressCheck ? fillFromRegister(parsedData, addressCheck) : parsedData;
  const report: IntakeReport = {
    ...data,
    ...base,
    concerns: (data.concerns ?? []) as string[],
    involved: (data.involved ?? []) as string[],
    acuteDanger: false,
    addressCheck,
    anonymous: channel === 'kcc' ? Boolean(data.anonymous) : false,
    ...(channel !== 'kcc' ? { reporterRelation: 'professional' } : {}),
  };
  const saved = await save(report, (stored) => void attachPhotos(photos?.token, stored.id, staff.user.id, at));
  dropRefused(ctx, channel, at);
  return saved;
}

export interface SavedReportPageView {
  /** `undefined`: no such report, or not one this staff member may see (404). */
  report: SavedReportView | undefined;
}

/** The page after saving: the reference to read out. 404 for a report this staff member did not enter. */
export function handleSavedReport(ctx: Pick<StaffContext, 'locals'>, reference: string | undefined): FormOutcome<SavedReportPageView> {
  const report = savedReportFor(ctx.locals.staff as StaffSession, reference ?? '');
  return render({ report }, report ? 200 : 404);
}
