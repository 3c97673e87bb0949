import type { AstroCookies } from 'astro';

/**
 * The staff session cookie. `production` (config().production, read by the caller) decides its name
 * and Secure flag: `__Host-` prefixed (Secure, Path=/, no Domain) in production; plain on
 * http://localhost, where a browser would drop a Secure cookie.
 */
export function sessionCookieName(production: boolean): string {
  return production ? '__Host-mb_sessie' : 'mb_sessie';
}

function options(production: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure: production } as const;
}

export function setSessionCookie(cookies: AstroCookies, token: string, production: boolean): void {
  cookies.set(sessionCookieName(production), token, options(production));
}

export function clearSessionCookie(cookies: AstroCookies, production: boolean): void {
  cookies.delete(sessionCookieName(production), options(production));
}

export function sessionToken(cookies: AstroCookies, production: boolean): string | undefined {
  return cookies.get(sessionCookieName(production))?.value;
}
