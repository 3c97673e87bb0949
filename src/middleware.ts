import { defineMiddleware, sequence } from 'astro:middleware';
import { checkStaffAccess } from '#features/auth/access.handler.server.ts';
import { config } from '#platform/config.ts';
import { clientIp } from '#platform/http.ts';
import { startBackgroundJobs } from '#platform/jobs.ts';
import { applySecurityHeaders, contentSecurityPolicy } from '#platform/security-headers.ts';

/**
 * Every request: its context, then the security headers on whatever answers, then the staff access
 * check. The headers wrap the access check so that its answers (the redirect to the login page, the
 * refusal) carry them too.
 */

/** The mail worker and the clean-up live in the server process; the first request (the launcher's warm-up) starts them. */
const requestContext = defineMiddleware((context, next) => {
  startBackgroundJobs();
  context.locals.clientIp = clientIp(context.request, context.clientAddress, config().trustProxy);
  return next();
});

/** Pages under /intern: logged in, and a role that may open the route (access.rules.ts). */
const staffAccess = defineMiddleware(async (context, next) => {
  const refused = checkStaffAccess(context);
  if (refused?.kind === 'redirect') return context.redirect(refused.location, 303);
  if (refused?.kind === 'rewrite') return context.rewrite(refused.path);
  return next();
});

/** Security headers on every dynamic response; the Content-Security-Policy of HTML pages by hash. */
const securityHeaders = defineMiddleware(async (context, next) => {
  const response = await next();
  const headers = new Headers(response.headers);
  applySecurityHeaders(headers, config().production);
  if (!(headers.get('Content-Type') ?? '').startsWith('text/html')) {
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
  // Pages are a few kilobytes: read the HTML once to hash its inline island loader for the CSP.
  const html = await response.text();
  headers.set('Content-Type', 'text/html; charset=utf-8');
  headers.set('Content-Security-Policy', contentSecurityPolicy(html, context.locals.allowHcaptcha === true));
  headers.delete('Content-Length');
  return new Response(html, { status: response.status, statusText: response.statusText, headers });
});

export const onRequest = sequence(requestContext, securityHeaders, staffAccess);
