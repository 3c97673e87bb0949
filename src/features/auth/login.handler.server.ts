import { parseStep, readFields } from '#lib/forms.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { FORM_LIMIT_BYTES, readForm, redirectTo, render, type FormOutcome, type HandlerContext } from '#platform/http.ts';
import { safeReturnTo } from './access.rules.ts';
import { clearSessionCookie, setSessionCookie } from './cookies.server.ts';
import { LOGIN_FAILED, LOGIN_TOO_LARGE, loginFields, loginSchema, loginThrottled } from './login.schema.ts';
import { checkLogin, logout } from './login.server.ts';
import { endSessionUrl } from './oidc.server.ts';
import { HOME } from './roles.schema.ts';

/**
 * The login page (/intern/inloggen), logging out and /intern itself.
 * A failed login always answers with one message (LOGIN_FAILED, or loginThrottled with 429).
 */

/** What the handlers need from Astro. */
export type LoginContext = Omit<HandlerContext, 'params'>;

export const LOGIN_PATH = '/intern/inloggen';

export interface LoginView {
  /** The e-mail address as typed, shown again after a failure (never the password or code). */
  email: string;
  formError: string | undefined;
  /** Where to go after logging in (a path inside /intern), kept in a hidden field. */
  returnTo: string | undefined;
  /** Just logged out, or a notice after a link was used (shown as a status message). */
  notice: string | undefined;
  /** Password accounts are on (LOCAL_LOGIN): the form; else only single sign-on. */
  localLogin: boolean;
  /** Single sign-on is configured: the button to the organisation's login. */
  sso: boolean;
}

const NOTICES: Record<string, string> = {
  uitgelogd: 'U bent uitgelogd.',
  wachtwoord: 'Uw nieuwe wachtwoord is ingesteld. Log in met uw nieuwe wachtwoord en de code uit uw app.',
  welkom: 'Uw account is klaar. Log in met uw wachtwoord en de code uit uw app.',
};

const failure = (result: { reason: 'failed' } | { reason: 'throttled'; retryAfterMs: number }) =>
  result.reason === 'throttled' ? { formError: loginThrottled(result.retryAfterMs), status: 429 } : { formError: LOGIN_FAILED, status: 400 };

/**
 * The login page: e-mail, password and code on one form (the answer never tells that the password alone
 * was right), and the single sign-on button when configured. With LOCAL_LOGIN=off there is no form and no
 * POST handler: a POST is refused (404) unread.
 */
export async function handleLogin(ctx: LoginContext): Promise<FormOutcome<LoginView>> {
  const cfg = config();
  const view = (email: string, formError?: string): LoginView => ({
    email,
    formError,
    returnTo: safeReturnTo(ctx.url.searchParams.get('terug')),
    notice: ctx.request.method === 'GET' ? NOTICES[ctx.url.searchParams.get('melding') ?? (ctx.url.searchParams.get('uitgelogd') === '1' ? 'uitgelogd' : '')] : undefined,
    localLogin: cfg.localLogin,
    sso: cfg.oidc !== undefined,
  });
  if (ctx.request.method !== 'POST') return render(view(''));
  if (!cfg.localLogin) return render(view(''), 404);

  const posted = await readForm(ctx.request, FORM_LIMIT_BYTES);
  if (!posted.ok && posted.status === 413) return render(view('', LOGIN_TOO_LARGE), 413);
  const raw = posted.ok ? readFields(posted.form, loginFields) : {};
  const typed = loginSchema.shape.email.safeParse(raw['email']);
  const email = typed.success ? typed.data : '';
  const parsed = parseStep(loginSchema, raw);
  // Nothing filled in (or no form at all): the same message as a wrong password, but nothing is
  // checked, counted or logged.
  if (!posted.ok || !parsed.ok) return render(view(email, LOGIN_FAILED), 400);

  const back = safeReturnTo(String(posted.form.get('terug') ?? ''));
  const result = await checkLogin(parsed.data.email, parsed.data.password, parsed.data.code, ctx.locals.clientIp ?? '', now());
  if (result.ok) {
    setSessionCookie(ctx.cookies, result.token, cfg.production);
    return redirectTo(back ?? HOME[result.role]);
  }
  const { formError, status } = failure(result);
  return render(view(email, formError), status);
}

/** After logging out of a single sign-on account: on to the provider's end-session endpoint. */
export interface LogoutView {
  providerLogout: string;
}

/**
 * Logging out changes state: POST only. Ends the portal session; a single sign-on account goes on to the
 * provider's end-session endpoint (where it offers one), which sends the browser back to the login page.
 * That step is a page with a meta refresh and a link, not a redirect: the form's CSP (`form-action 'self'`)
 * would block a form post redirected to another origin.
 */
export async function handleLogout(ctx: LoginContext): Promise<FormOutcome<LogoutView>> {
  if (ctx.request.method !== 'POST') return redirectTo('/intern');
  const staff = ctx.locals.staff;
  if (staff) logout(staff, ctx.locals.clientIp ?? '', now());
  clearSessionCookie(ctx.cookies, config().production);
  const back = `${LOGIN_PATH}?uitgelogd=1`;
  const provider = staff?.user.sso ? await endSessionUrl(`${config().publicUrl}${back}`) : undefined;
  return provider ? render({ providerLogout: provider }) : redirectTo(back);
}

/** /intern: each role to its own start page. */
export function handleStaffHome(ctx: Pick<LoginContext, 'locals'>): FormOutcome<never> {
  const staff = ctx.locals.staff;
  return redirectTo(staff ? HOME[staff.user.role] : LOGIN_PATH);
}
