import { PassThrough, type Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { PHOTO_FORM_LIMIT_BYTES } from '#features/photos/photos.schema.ts';
import { lazy } from '#lib/lazy.ts';
import { config } from './config.ts';
import type { RequestLike } from './http.ts';

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

/** Largest request body the server reads for every route but those in LARGE_BODY_ROUTES. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The routes that may read more: only the BOA form's POST, with up to five photos (spec §4). The adapter's
 * bodySizeLimit (astro.config.mjs) is the largest of these; the portal's HTTP server (server.ts) holds every
 * other route to BODY_LIMIT_BYTES while the body streams in, whether or not a Content-Length was sent.
 */
export const LARGE_BODY_ROUTES: ReadonlyMap<string, number> = new Map([['/intern/boa/melding', PHOTO_FORM_LIMIT_BYTES]]);

/** The body limit of a (decoded) path. */
export function bodyLimitFor(path: string): number {
  return LARGE_BODY_ROUTES.get(path) ?? BODY_LIMIT_BYTES;
}

/** How much more of a refused body is read and thrown away, so the answer reaches the client; beyond it the connection is cut. */
const DISCARD_BYTES = 16 * 1024 * 1024;

/**
 * A request body that stops with the adapter's own error past `limit` bytes (readForm answers 413). The
 * request itself is not destroyed (that would reset the connection before the 413 page arrives): what
 * comes after the limit is read and thrown away, up to DISCARD_BYTES more. `release()`, called when the
 * answer is sent, does the same for a body the route never read (the final submit without a draft).
 */
export function limitedBody(source: Readable, limit: number): { body: AsyncGenerator<Buffer | string>; release: () => void } {
  const body = new PassThrough();
  let received = 0;
  let discarding = false;
  const discard = () => {
    if (discarding) return;
    discarding = true;
    source.resume();
  };
  source.on('data', (chunk: Buffer | string) => {
    received += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (discarding) {
      if (received > limit + DISCARD_BYTES) source.destroy();
      return;
    }
    if (received > limit) {
      body.destroy(new Error(`Body size limit exceeded: received more than ${limit} bytes`));
      discard();
      return;
    }
    if (!body.write(chunk)) source.pause();
  });
  body.on('drain', () => !discarding && source.resume());
  body.on('close', () => !source.readableEnded && discard());
  source.on('end', () => !discarding && body.end());
  source.on('error', (error) => body.destroy(error));
  // A bare async generator: @astrojs/node streams an async iterable without own keys (a stream object
  // it would serialise as JSON).
  return { body: (async function* () { yield* body; })(), release: discard };
}

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

/** The portal's external origin (PUBLIC_URL's), where the browser posts from behind a proxy: worked out once. */
export const publicOrigin = lazy(() => new URL(config().publicUrl).origin);

/**
 * A form post that is not from this site (Astro's checkOrigin rule, answered in Dutch): POST with a
 * form-like body, or any body type, whose Origin is none of `origins`: the origin the request was made to,
 * and the portal's external one (PUBLIC_URL). Behind a reverse proxy that ends TLS the request arrives
 * over http, while the browser names the https origin it sees.
 */
export function isCrossOriginPost(request: Pick<RequestLike, 'method' | 'headers'>, origins: readonly string[]): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false;
  const origin = request.headers.get('origin');
  if (origin !== null && origins.includes(origin)) return false;
  const type = request.headers.get('content-type');
  if (type === null) return true;
  return /application\/x-www-form-urlencoded|multipart\/form-data|text\/plain/i.test(type);
}

/** A declared body over the limit. */
export function tooLarge(request: Request, limit = BODY_LIMIT_BYTES): boolean {
  return Number(request.headers.get('content-length') ?? 0) > limit;
}
