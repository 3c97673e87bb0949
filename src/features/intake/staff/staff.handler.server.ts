import type { AstroCookies } from 'astro';
import { readFields, type FieldErrors, type RawAnswers } from '#lib/forms.ts';
import { boaFields, boaSchemas, intakeSchema, kccFields, kccSchemas, parseParts, utcToAmsterdam } from './staff-report.schema.ts';
import type { StaffSession } from '#features/auth/login.server.ts';
import { now } from '#platform/clock.ts';
import { recordReport, type IntakeReport } from '#features/intake/intake.server.ts';
import { FORM_LIMIT_BYTES, readForm } from '#platform/http.ts';

/**
 * The KCC and BOA intake forms: one page each, the acute question first. A KCC agent reports on a
 * caller's behalf; a BOA reports what they saw. Both write the same report records as the resident
 * form, with the channel and the staff member who typed it.
 */

export type StaffChannel = 'kcc' | 'boa';

export interface StaffFormView {
  kind: 'view';
  status: 200 | 400 | 413;
  values: RawAnswers;
  errors: FieldErrors;
  formError: string | undefined;
  /** The agent answered "Ja" to acute danger: show the 112 instruction and the minimal record button. */
  acute: boolean;
}

export interface StaffContext {
  request: Request;
  cookies: AstroCookies;
  locals: App.Locals;
}

const SAVED = { kcc: '/intern/kcc/opgeslagen', boa: '/intern/boa/opgeslagen' } as const;

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location } });
}

function view(values: RawAnswers, status: StaffFormView['status'] = 200, errors: FieldErrors = {}, formError?: string, acute = false): StaffFormView {
  return { kind: 'view', status, values, errors, formError, acute };
}

export async function handleStaffReport(ctx: StaffContext, channel: StaffChannel): Promise<StaffFormView | Response> {
  const staff = ctx.locals.staff as StaffSession;
  const fields = channel === 'kcc' ? kccFields : boaFields;
  if (ctx.request.method !== 'POST') {
    return view(channel === 'boa' ? { observedAt: utcToAmsterdam(now()) } : {});
  }
  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  if (!posted.ok) {
    return view({}, posted.status, {}, posted.status === 413 ? 'Er is te veel tekst ingevuld. Maak de tekst korter.' : 'Het formulier kwam niet goed aan. Probeer het opnieuw.');
  }
  const raw = readFields(posted.form, fields);
  const actor = { id: staff.user.id, role: staff.user.role, ip: ctx.locals.clientIp };
  const onBehalfOf = channel === 'kcc' ? ('beller' as const) : undefined;
  const base = { channel, enteredBy: staff.user.id, captchaStatus: 'niet_van_toepassing' as const, concerns: [], involved: [] };

  // Only while the answer is still "Ja": an agent who changed it to "Nee" and pressed Enter (the
  // 112 button comes first in the form, so it is the form's default button) saves the full report.
  if (posted.form.get('intent') === 'acuut' && raw['acuteDanger'] === 'ja') {
    // Passed on to 112: only the time, the staff member and the channel are kept.
    const intake = channel === 'kcc' ? intakeSchema.safeParse(raw) : undefined;
    if (intake && !intake.success) {
      return view(raw, 400, { intakeMethod: 'Kies hoe de melding binnenkwam' }, undefined, true);
    }
    const minimal: IntakeReport = { ...base, status: 'acuut_doorgezet', acuteDanger: true, anonymous: false, intakeMethod: intake?.data.intakeMethod };
    const { reference } = recordReport(minimal, { actor, ...(onBehalfOf ? { onBehalfOf } : {}) });
    return redirect(`${SAVED[channel]}/${reference}`);
  }

  if (raw['acuteDanger'] === 'ja') return view(raw, 200, {}, undefined, true);
  const schemas = channel === 'kcc' ? kccSchemas : boaSchemas(now());
  const parsed = parseParts(raw, schemas);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  if (raw['acuteDanger'] !== 'nee') errors['acuteDanger'] = 'Kies of er nu direct gevaar is voor iemand';
  if (!parsed.ok || Object.keys(errors).length) return view(raw, 400, errors);

  const data = parsed.data as Omit<IntakeReport, 'channel' | 'acuteDanger' | 'captchaStatus'>;
  const report: IntakeReport = {
    ...data,
    ...base,
    concerns: (data.concerns ?? []) as string[],
    involved: (data.involved ?? []) as string[],
    acuteDanger: false,
    anonymous: channel === 'kcc' ? Boolean(data.anonymous) : false,
    ...(channel === 'boa' ? { reporterRelation: 'professional' } : {}),
  };
  const { reference } = recordReport(report, { actor, ...(onBehalfOf ? { onBehalfOf } : {}) });
  return redirect(`${SAVED[channel]}/${reference}`);
}
