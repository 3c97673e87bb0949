import type { AstroCookies } from 'astro';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { redirectTo, render, type FormOutcome } from '#platform/http.ts';
import { safeReturnTo } from './access.rules.ts';
import { setSessionCookie } from './cookies.server.ts';
import { SSO_FAILED, SSO_NO_ROLE } from './login.schema.ts';
import { OIDC_CALLBACK_PATH, finishOidcLogin, startOidcLogin } from './oidc.server.ts';
import { OIDC_LOGIN_MS } from './oidc-logins.repo.server.ts';
import { HOME } from './roles.schema.ts';

/**
 * Single sign-on's two routes: /intern/inloggen/organisatie starts it (to the provider), and the
 * callback /intern/inloggen/oidc finishes it. The login in progress is bound to the browser by a cookie
 * of its own: SameSite=Lax (the provider's redirect back is a cross-site navigation, which a Strict
 * cookie would not survive), HttpOnly, only for the callback's path, ten minutes.
 */

export interface OidcContext {
  url: URL;
  cookies: AstroCookies;
  locals: App.Locals;
}

const cookieName = (production: boolean) => (production ? '__Secure-mb_sso' : 'mb_sso');
const cookieOptions = (production: boolean) => ({ path: OIDC_CALLBACK_PATH, httpOnly: true, sameSite: 'lax', secure: production, maxAge: OIDC_LOGIN_MS / 1000 }) as const;

export interface OidcView {
  /** Logged in: go on there (a meta refresh: the session cookie is Strict, and the browser still counts the provider's redirect as cross-site). */
  next: string | undefined;
  /** Refused: the message (spec §6a for no role). */
  formError: string | undefined;
}

/** Starts single sign-on (404 when it is not configured). */
export async function handleOidcStart(ctx: OidcContext): Promise<FormOutcome<OidcView>> {
  const cfg = config();
  if (!cfg.oidc) return render({ next: undefined, formError: SSO_FAILED }, 404);
  try {
    const { location, binding } = await startOidcLogin(safeReturnTo(ctx.url.searchParams.get('terug')), now());
    ctx.cookies.set(cookieName(cfg.production), binding, cookieOptions(cfg.production));
    return redirectTo(location);
  } catch {
    // The provider cannot be reached: say so; nothing was started.
    return render({ next: undefined, formError: SSO_FAILED }, 502);
  }
}

/** The provider's answer. */
export async function handleOidcCallback(ctx: OidcContext): Promise<FormOutcome<OidcView>> {
  const cfg = config();
  if (!cfg.oidc) return render({ next: undefined, formError: SSO_FAILED }, 404);
  const binding = ctx.cookies.get(cookieName(cfg.production))?.value;
  ctx.cookies.delete(cookieName(cfg.production), cookieOptions(cfg.production));
  const result = await finishOidcLogin(binding, ctx.url.search, ctx.locals.clientIp ?? '', now());
  if (!result.ok) return render({ next: undefined, formError: result.reason === 'no-role' ? SSO_NO_ROLE : SSO_FAILED }, result.reason === 'failed' ? 400 : 403);
  setSessionCookie(ctx.cookies, result.token, cfg.production);
  return render({ next: result.returnTo ?? HOME[result.role], formError: undefined });
}
