import { defineMiddleware, sequence } from 'astro:middleware';
import { checkStaffAccess } from '#features/auth/access.handler.server.ts';
import { config } from '#platform/config.ts';
import { clientIp } from '#platform/http.ts';
import { startBackgroundJobs } from '#platform/jobs.ts';
import { STEPS } from '#features/intake/resident/resident-steps.schema.ts';
import { isCrossOriginPost, publicOrigin, REFUSAL_HEADER, REFUSAL_PATH, REFUSED_PATH_HEADER, refusalFromHeader, safeBackPath, tooLarge, type RefusalStatus } from '#platform/refusal.ts';
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
    return new Response(response.body, { status: response.status, headers });
  }
  // Pages are a few kilobytes: read the HTML once to hash its inline island loader for the CSP.
  const html = await response.text();
  headers.set('Content-Type', 'text/html; charset=utf-8');
  headers.set('Content-Security-Policy', contentSecurityPolicy(html, context.locals.allowHcaptcha === true));
  headers.delete('Content-Length');
  return new Response(html, { status: response.status, headers });
});

/** Routes that exist only for Astro's own use: never answered (the image service is not used, /500 is the error page). */
const HIDDEN_ROUTES = new Set(['/_image', '/500']);

/**
 * Requests refused before any page (refusal.ts), answered with the Dutch page /geweigerd: rewritten
 * by the HTTP server (its token in a header), a form post from another origin (Astro's checkOrigin,
 * turned off in astro.config.mjs, is done here so that the answer is a page), or a declared body
 * over the limit. Inside the security headers, so every refusal carries them.
 */
/** The resident's question steps and the KCC and BOA forms: their handlers read at most the limit and say so on the form. */
const ANSWERS_TOO_LARGE_ITSELF = new Set([...STEPS.map((s) => s.path), '/intern/kcc/melding', '/intern/boa/melding']);

/**
 * A body without a declared length (chunked): read it here, so a route that would answer without reading
 * it (the final submit without a draft) still refuses what is over the limit. The HTTP server caps what
 * is read (server.ts), so at most the limit is held; the route reads its own copy.
 */
async function chunkedTooLarge(request: Request): Promise<boolean> {
  if (request.headers.has('content-length') || !request.body) return false;
  try {
    await request.clone().arrayBuffer();
    return false;
  } catch {
    return true;
  }
}

const refusals = defineMiddleware(async (context, next) => {
  // The rewrite runs the middleware again, for /geweigerd: let it render.
  if (context.locals.refusal) return next();
  const refuse = (status: RefusalStatus, back: string | undefined) => {
    context.locals.refusal = { status, back: safeBackPath(back) };
    return context.rewrite(REFUSAL_PATH);
  };
  const fromServer = refusalFromHeader(context.request.headers.get(REFUSAL_HEADER));
  if (fromServer) return refuse(fromServer, context.request.headers.get(REFUSED_PATH_HEADER) ?? undefined);
  if (HIDDEN_ROUTES.has(context.url.pathname.replace(/\/+$/, '').toLowerCase())) return context.rewrite('/404');
  if (context.url.pathname === REFUSAL_PATH && !context.locals.refusal) return context.rewrite('/404');
  if (isCrossOriginPost(context.request, [context.url.origin, publicOrigin()])) return refuse(403, context.url.pathname);
  // A form page that answers too much text itself (the form again, every stored answer kept, with the
  // message) gets the body; every other route gets the Dutch refusal page.
  if (context.request.method === 'POST' && !ANSWERS_TOO_LARGE_ITSELF.has(context.url.pathname) && (tooLarge(context.request) || (await chunkedTooLarge(context.request)))) {
    return refuse(413, context.url.pathname);
  }
  return next();
});

export const onRequest = sequence(requestContext, securityHeaders, refusals, staffAccess);
