import { defineMiddleware } from 'astro:middleware';
import { config } from './lib/server/config.ts';
import { startMailWorker } from './lib/server/mail/worker.ts';
import { applySecurityHeaders, contentSecurityPolicy } from './lib/server/security-headers.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  // The outbox worker lives in the server process; the first request starts it (idempotent).
  startMailWorker();
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
