import type { AstroCookies } from 'astro';
import { recordRefusedAccess } from '#features/audit/audit.server.ts';
import { now } from '#platform/clock.ts';
import { config } from '#platform/config.ts';
import { redirectTo, rewriteTo, type FormOutcome } from '#platform/http.ts';
import { accessFor, safeReturnTo } from './access.rules.ts';
import { sessionToken } from './cookies.server.ts';
import { currentStaff, staffActor } from './login.server.ts';

/** The page a logged-in staff member sees for a route their role may not open (403). */
export const FORBIDDEN_PATH = '/geen-toegang';

/** What the access check needs from Astro's middleware context. */
export interface AccessContext {
  routePattern: string;
  request: Request;
  url: URL;
  cookies: AstroCookies;
  locals: App.Locals;
}

/**
 * Who may open the route (access.rules.ts). `undefined`: go on (a public or login route, or a staff
 * member whose role may; `locals.staff` is then set). Otherwise: to the login page, which brings
 * them back here (GET only; paths only), or the refusal, which is logged.
 */
export function checkStaffAccess(ctx: AccessContext): FormOutcome<never> | undefined {
  const access = accessFor(ctx.routePattern);
  if (access === 'public' || access === 'anonymous') return undefined;
  const at = now();
  const staff = currentStaff(sessionToken(ctx.cookies, config().production), at);
  if (!staff) {
    const back = ctx.request.method === 'GET' ? safeReturnTo(ctx.url.pathname + ctx.url.search) : undefined;
    return redirectTo(back ? `/intern/inloggen?terug=${encodeURIComponent(back)}` : '/intern/inloggen');
  }
  if (!access.includes(staff.user.role)) {
    recordRefusedAccess(staffActor(staff, ctx.locals.clientIp), ctx.routePattern, at);
    return rewriteTo(FORBIDDEN_PATH);
  }
  ctx.locals.staff = staff;
  return undefined;
}
