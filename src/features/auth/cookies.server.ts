import type { AstroCookies } from 'astro';
import { config } from '#platform/config.ts';

/** `__Host-` prefixed (Secure, Path=/, no Domain) in production; plain on http://localhost. */
export function sessionCookieName(): string {
  return config().production ? '__Host-mb_sessie' : 'mb_sessie';
}

export function setSessionCookie(cookies: AstroCookies, token: string): void {
  cookies.set(sessionCookieName(), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: config().production,
  });
}

export function clearSessionCookie(cookies: AstroCookies): void {
  cookies.delete(sessionCookieName(), { path: '/', httpOnly: true, sameSite: 'strict', secure: config().production });
}

export function sessionToken(cookies: AstroCookies): string | undefined {
  return cookies.get(sessionCookieName())?.value;
}
