import { randomBytes } from 'node:crypto';

/**
 * Requests the portal refuses before any page handles them, each answered with a Dutch page (the route
 * /geweigerd, rendered through the middleware so it carries every security header) instead of a bare
 * English text:
 * - 400: an address that cannot be decoded;
 * - 403: a form post from another site, or from a browser that hides where it came from (Origin: null);
 * - 405: a method the portal does not use (TRACE, PUT, DELETE, …);
 * - 413: a body over the limit.
 * The HTTP server (server.ts) cannot render a page itself: it turns the request into a GET of
 * /geweigerd with this process's secret in a header, which only it can know. A direct GET of
 * /geweigerd without it is a 404.
 */
export type RefusalStatus = 400 | 403 | 405 | 413;
export const REFUSAL_PATH = '/geweigerd';
export const REFUSAL_HEADER = 'x-meldpunt-refusal';
/** Which path was refused (for the way back), when the server rewrote the request. */
export const REFUSED_PATH_HEADER = 'x-meldpunt-refused-path';
export const REFUSAL_TOKEN = randomBytes(16).toString('hex');

/** The methods the portal answers; everything else is a 405. */
export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST'] as const;

/** Largest request body the server reads (as astro.config.mjs's bodySizeLimit). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export function isRefusalStatus(value: number): value is RefusalStatus {
  return value === 400 || value === 403 || value === 405 || value === 413;
}

/** The refusal a rewritten request carries, if it carries this process's token. */
export function refusalFromHeader(value: string | null): RefusalStatus | undefined {
  if (!value) return undefined;
  const [token, status] = value.split(':');
  const n = Number(status);
  return token === REFUSAL_TOKEN && isRefusalStatus(n) ? n : undefined;
}

/** A same-site path to go back to (never another host, never a protocol-relative `//`). */
export function safeBackPath(path: string | null | undefined): string | undefined {
  if (!path || !path.startsWith('/') || path.startsWith('//') || /[\\\s]/.test(path)) return undefined;
  return path.slice(0, 200);
}

/**
 * A form post that is not from this site (Astro's checkOrigin rule, answered in Dutch): POST with a
 * form-like body, or any body type, whose Origin is not this origin.
 */
export function isCrossOriginPost(request: Request, origin: string): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false;
  if (request.headers.get('origin') === origin) return false;
  const type = request.headers.get('content-type');
  if (type === null) return true;
  return /application\/x-www-form-urlencoded|multipart\/form-data|text\/plain/i.test(type);
}

/** A declared body over the limit. */
export function tooLarge(request: Request, limit = BODY_LIMIT_BYTES): boolean {
  return Number(request.headers.get('content-length') ?? 0) > limit;
}
