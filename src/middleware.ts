import { defineMiddleware } from 'astro:middleware';
import { audit } from '#features/audit/audit.repo.server.ts';
import { accessFor } from '#features/auth/access.rules.ts';
import { sessionToken } from '#features/auth/cookies.server.ts';
import { currentStaff, safeReturnTo } from '#features/auth/login.server.ts';
import { config } from '#platform/config.ts';
import { startBackgroundJobs } from '#platform/jobs.ts';
import { clientIp } from '#platform/http.ts';
import { applySecurityHeaders, contentSecurityPolicy } from '#platform/security-headers.ts';

export const FORBIDDEN_PATH = '/geen-toegang';

export const onRequest = defineMiddleware(async (context, next) => {
  // The mail worker and the clean-up live in the server process; the first request (the launcher's
  // warm-up) starts them. Idempotent.
  startBackgroundJobs();
  context.locals.clientIp = clientIp(context.request, context.clientAddress);

  const access = accessFor(context.routePattern);
  let response: Response;
  if (access === 'public' || access === 'anonymous') {
    response = await next();
  } else {
    const staff = currentStaff(sessionToken(context.cookies));
    if (!staff) {
      // Not logged in: to the login page, which brings them back here (GET only; paths only).
      const back = context.request.method === 'GET' ? safeReturnTo(context.url.pathname + context.url.search) : undefined;
      response = context.redirect(back ? `/intern/inloggen?terug=${encodeURIComponent(back)}` : '/intern/inloggen', 303);
    } else if (!access.includes(staff.user.role)) {
      audit({
        actorId: staff.user.id,
        actorRole: staff.user.role,
        action: 'toegang',
        result: 'geweigerd',
        clientIp: context.locals.clientIp,
        detail: context.routePattern,
      });
      response = await context.rewrite(FORBIDDEN_PATH);
    } else {
      context.locals.staff = staff;
      response = await next();
    }
  }
  return withHeaders(response, context.locals.allowHcaptcha === true);
});

async function withHeaders(response: Response, allowHcaptcha: boolean): Promise<Response> {
  const headers = new Headers(response.headers);
  applySecurityHeaders(headers, config().production);
  if (!(headers.get('Content-Type') ?? '').startsWith('text/html')) {
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
  // Pages are a few kilobytes: read the HTML once to hash its inline island loader for the CSP.
  const html = await response.text();
  headers.set('Content-Type', 'text/html; charset=utf-8');
  headers.set('Content-Security-Policy', contentSecurityPolicy(html, allowHcaptcha));
  headers.delete('Content-Length');
  return new Response(html, { status: response.status, statusText: response.statusText, headers });
}
