import type { AstroCookies } from 'astro';
import { parseStep, readFields } from '#lib/forms.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { FORM_LIMIT_BYTES, readForm, redirectTo, render, type FormOutcome } from '#platform/http.ts';
import { safeReturnTo } from './access.rules.ts';
import { clearSessionCookie, sessionToken, setSessionCookie } from './cookies.server.ts';
import { codeFields, codeStepSchema, LOGIN_FAILED, LOGIN_TOO_LARGE, loginFields, loginThrottled, passwordStepSchema } from './login.schema.ts';
import { checkCode, checkPassword, logout, pendingLogin } from './login.server.ts';
import { HOME } from './roles.schema.ts';

/**
 * The login pages (/intern/inloggen, /intern/inloggen/code), logging out and /intern itself.
 * A failed login always answers with one message (LOGIN_FAILED, or loginThrottled with 429).
 */

/** What the handlers need from Astro. */
export interface LoginContext {
  request: Request;
  url: URL;
  cookies: AstroCookies;
  locals: App.Locals;
}

export const LOGIN_PATH = '/intern/inloggen';
const CODE_PATH = '/intern/inloggen/code';

export interface PasswordStepView {
  /** The e-mail address as typed, shown again after a failure (never the password). */
  email: string;
  formError: string | undefined;
  /** Where to go after logging in (a path inside /intern), kept in a hidden field. */
  returnTo: string | undefined;
  /** Just logged out: say so. */
  signedOut: boolean;
}

export interface CodeStepView {
  formError: string | undefined;
}

const failure = (result: { reason: 'failed' } | { reason: 'throttled'; retryAfterMs: number }) =>
  result.reason === 'throttled' ? { formError: loginThrottled(result.retryAfterMs), status: 429 } : { formError: LOGIN_FAILED, status: 400 };

/** Step 1: e-mail and password. */
export async function handlePasswordStep(ctx: LoginContext): Promise<FormOutcome<PasswordStepView>> {
  const view = (email: string, formError?: string): PasswordStepView => ({
    email,
    formError,
    returnTo: safeReturnTo(ctx.url.searchParams.get('terug')),
    signedOut: ctx.url.searchParams.get('uitgelogd') === '1',
  });
  if (ctx.request.method !== 'POST') return render(view(''));

  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  if (!posted.ok && posted.status === 413) return render(view('', LOGIN_TOO_LARGE), 413);
  const raw = posted.ok ? readFields(posted.form, loginFields) : {};
  const typed = passwordStepSchema.shape.email.safeParse(raw['email']);
  const email = typed.success ? typed.data : '';
  const parsed = parseStep(passwordStepSchema, raw);
  // Nothing filled in (or no form at all): the same message as a wrong password, but nothing is
  // checked, counted or logged.
  if (!posted.ok || !parsed.ok) return render(view(email, LOGIN_FAILED), 400);

  const back = safeReturnTo(String(posted.form.get('terug') ?? ''));
  const result = await checkPassword(parsed.data.email, parsed.data.password, ctx.locals.clientIp ?? '', back, now());
  if (result.ok) {
    setSessionCookie(ctx.cookies, result.token, config().production);
    return redirectTo(CODE_PATH);
  }
  const { formError, status } = failure(result);
  return render(view(email, formError), status);
}

/** Step 2: the code from the authenticator app; only while a password step is pending. */
export async function handleCodeStep(ctx: LoginContext): Promise<FormOutcome<CodeStepView>> {
  const production = config().production;
  const at = now();
  const token = sessionToken(ctx.cookies, production);
  if (ctx.request.method !== 'POST') {
    return pendingLogin(token, at) ? render({ formError: undefined }) : redirectTo(LOGIN_PATH);
  }

  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  if (!posted.ok && posted.status === 413) return render({ formError: LOGIN_TOO_LARGE }, 413);
  const parsed = parseStep(codeStepSchema, posted.ok ? readFields(posted.form, codeFields) : {});
  // What cannot be a code is checked as a wrong code: counted and logged like one.
  const result = checkCode(token, parsed.ok ? parsed.data.code : undefined, ctx.locals.clientIp ?? '', at);
  if (result.ok) {
    setSessionCookie(ctx.cookies, result.token, production);
    return redirectTo(result.returnTo ?? HOME[result.role]);
  }
  if (!pendingLogin(token, at)) {
    // No login to finish (expired, or never started): start over.
    clearSessionCookie(ctx.cookies, production);
    return redirectTo(LOGIN_PATH);
  }
  const { formError, status } = failure(result);
  return render({ formError }, status);
}

/** Logging out changes state: POST only. */
export function handleLogout(ctx: LoginContext): FormOutcome<never> {
  if (ctx.request.method !== 'POST') return redirectTo('/intern');
  const staff = ctx.locals.staff;
  if (staff) logout(staff, ctx.locals.clientIp ?? '', now());
  clearSessionCookie(ctx.cookies, config().production);
  return redirectTo(`${LOGIN_PATH}?uitgelogd=1`);
}

/** /intern: each role to its own start page. */
export function handleStaffHome(ctx: Pick<LoginContext, 'locals'>): FormOutcome<never> {
  const staff = ctx.locals.staff;
  return redirectTo(staff ? HOME[staff.user.role] : LOGIN_PATH);
}
