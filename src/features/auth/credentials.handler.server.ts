import { parseStep, readFields, type FieldErrors } from '#lib/forms.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { FORM_LIMIT_BYTES, readForm, redirectTo, render, type FormOutcome, type HandlerContext } from '#platform/http.ts';
import { setSessionCookie } from './cookies.server.ts';
import {
  changePasswordFields,
  changePasswordSchema,
  CREDENTIAL_MESSAGES,
  forgotFields,
  forgotSchema,
  invitationFields,
  invitationSchema,
  resetPasswordFields,
  resetPasswordSchema,
} from './credentials.schema.ts';
import { acceptInvitation, changePassword, enrolmentForShownSecret as openInvitationAgain, linkHolder, openInvitation, requestReset, useReset, type Enrolment } from './credentials.server.ts';
import type { StaffSession } from './login.server.ts';

/**
 * The pages where staff set their own secrets: /intern/account (change the password),
 * /intern/wachtwoord-vergeten, the reset link's /intern/wachtwoord-instellen and the invitation's
 * /intern/welkom. With LOCAL_LOGIN=off there are no passwords: each answers 404. Passwords and codes are
 * never shown again on a refused form; the link's token travels in a hidden field, never in a log.
 */

export type CredentialsContext = Omit<HandlerContext, 'params'>;

export interface FormView {
  /** Password accounts are off (LOCAL_LOGIN=off): the page says so, nothing else. */
  off: boolean;
  errors: FieldErrors;
  formError: string | undefined;
  /** Done: the status message. */
  done: string | undefined;
  /** Answers to show again (never a password or code). */
  values: Record<string, string>;
}

const base = (): FormView => ({ off: !config().localLogin, errors: {}, formError: undefined, done: undefined, values: {} });
const refused = (errors: FieldErrors, values: Record<string, string> = {}, status = 400): FormOutcome<FormView> => render({ ...base(), errors, values }, status);

// ---------------------------------------------------------------------------------------------

export interface AccountView extends FormView {
  name: string;
  email: string;
  /** A single sign-on account: its password is the organisation's. */
  sso: boolean;
}

/** /intern/account: the own account; POST changes the password. */
export async function handleAccountPage(ctx: CredentialsContext): Promise<FormOutcome<AccountView>> {
  const staff = ctx.locals.staff as StaffSession;
  const who = { name: staff.user.name, email: staff.user.email, sso: staff.user.sso };
  const view = (v: FormView, status = 200): FormOutcome<AccountView> => render({ ...v, ...who }, status);
  if (ctx.request.method !== 'POST') return view({ ...base(), done: ctx.url.searchParams.get('gewijzigd') === '1' ? CREDENTIAL_MESSAGES.changed : undefined });
  if (!config().localLogin || staff.user.sso) return view(base(), 404);
  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  if (!posted.ok) return view({ ...base(), formError: CREDENTIAL_MESSAGES.notAForm }, posted.status);
  const parsed = parseStep(changePasswordSchema(who), readFields(posted.form, changePasswordFields));
  if (!parsed.ok) return view({ ...base(), errors: parsed.errors }, 400);
  const result = await changePassword(staff.user.id, staff.user.role, parsed.data.currentPassword, parsed.data.newPassword, parsed.data.code, ctx.locals.clientIp ?? '', now());
  if (!result.ok) return view({ ...base(), errors: result.errors }, 400);
  setSessionCookie(ctx.cookies, result.token, config().production);
  return redirectTo('/intern/account?gewijzigd=1');
}

/** Wachtwoord vergeten?: one answer whether or not the address has an account. */
export async function handleForgot(ctx: CredentialsContext): Promise<FormOutcome<FormView>> {
  if (!config().localLogin) return render(base(), 404);
  if (ctx.request.method !== 'POST') return render({ ...base(), done: ctx.url.searchParams.get('verstuurd') === '1' ? CREDENTIAL_MESSAGES.forgotSent : undefined });
  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  if (!posted.ok) return render({ ...base(), formError: CREDENTIAL_MESSAGES.notAForm }, posted.status);
  const raw = readFields(posted.form, forgotFields);
  const parsed = parseStep(forgotSchema, raw);
  if (!parsed.ok) return refused(parsed.errors, { email: String(raw['email'] ?? '') });
  requestReset(parsed.data.email, ctx.locals.clientIp ?? '', now());
  return redirectTo('/intern/wachtwoord-vergeten?verstuurd=1');
}

/** The token from the link (GET) or the form's hidden field (POST). */
async function tokenAndForm(ctx: CredentialsContext): Promise<{ token: string | undefined; form: FormData | undefined; status?: 400 | 413 }> {
  if (ctx.request.method !== 'POST') return { token: ctx.url.searchParams.get('sleutel') ?? undefined, form: undefined };
  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  if (!posted.ok) return { token: undefined, form: undefined, status: posted.status };
  return { token: String(posted.form.get('sleutel') ?? '') || undefined, form: posted.form };
}

export interface LinkView extends FormView {
  /** The link works: the form (with the token in a hidden field). */
  token: string | undefined;
  name: string;
}

/** The reset link's page: choose a new password. A used, expired or unknown link: the same message (410). */
export async function handleResetPage(ctx: CredentialsContext): Promise<FormOutcome<LinkView>> {
  if (!config().localLogin) return render({ ...base(), token: undefined, name: '' }, 404);
  const at = now();
  const { token, form, status } = await tokenAndForm(ctx);
  const holder = linkHolder(token, 'reset', at);
  if (!holder) return render({ ...base(), formError: status ? CREDENTIAL_MESSAGES.notAForm : CREDENTIAL_MESSAGES.linkInvalid, token: undefined, name: '' }, status ?? 410);
  const view = (v: FormView, s = 200) => render<LinkView>({ ...v, token, name: holder.name }, s);
  if (!form) return view(base());
  const parsed = parseStep(resetPasswordSchema(holder), readFields(form, resetPasswordFields));
  if (!parsed.ok) return view({ ...base(), errors: parsed.errors }, 400);
  if (!(await useReset(token, parsed.data.newPassword, ctx.locals.clientIp ?? '', at))) {
    return render({ ...base(), formError: CREDENTIAL_MESSAGES.linkInvalid, token: undefined, name: '' }, 410);
  }
  return redirectTo('/intern/inloggen?melding=wachtwoord');
}

export interface InvitationView extends LinkView {
  enrolment: Enrolment | undefined;
}

/**
 * The invitation's page: the QR code and the secret (a new one at every opening of the page), the
 * password and the code from the app. Only a valid code completes it.
 */
export async function handleInvitationPage(ctx: CredentialsContext): Promise<FormOutcome<InvitationView>> {
  const none = (formError: string, s: number) => render<InvitationView>({ ...base(), formError, token: undefined, name: '', enrolment: undefined }, s);
  if (!config().localLogin) return none(CREDENTIAL_MESSAGES.linkInvalid, 404);
  const at = now();
  const { token, form, status } = await tokenAndForm(ctx);
  if (status) return none(CREDENTIAL_MESSAGES.notAForm, status);
  if (!form) {
    const enrolment = await openInvitation(token, at);
    if (!enrolment) return none(CREDENTIAL_MESSAGES.linkInvalid, 410);
    return render({ ...base(), token, name: enrolment.name, enrolment });
  }
  const holder = linkHolder(token, 'invitation', at);
  if (!holder || holder.secret === '') return none(CREDENTIAL_MESSAGES.linkInvalid, 410);
  const parsed = parseStep(invitationSchema(holder), readFields(form, invitationFields));
  const result = parsed.ok
    ? await acceptInvitation(token, parsed.data.newPassword, parsed.data.code, ctx.locals.clientIp ?? '', at)
    : { ok: false as const, enrolment: undefined, errors: parsed.errors };
  if (result.ok) return redirectTo('/intern/inloggen?melding=welkom');
  // Refused: the same secret again (the person may have scanned it already).
  const enrolment = result.enrolment ?? (await openInvitationAgain(token, at));
  if (!enrolment) return none(CREDENTIAL_MESSAGES.linkInvalid, 410);
  return render({ ...base(), errors: result.errors, token, name: holder.name, enrolment }, 400);
}
