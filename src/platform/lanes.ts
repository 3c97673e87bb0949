import type http from 'node:http';
import type { FormOutcome, RequestLike } from './http.ts';
import { isCrossOriginPost } from './refusal.ts';

/**
 * Fast lanes: a form post that the portal's HTTP server (server.ts) decides itself, without Astro's
 * request pipeline, when its answer is a redirect (issue 16). "Melding versturen" is the request a crowd
 * sends at once, and measured without any database work Astro's pipeline cost 0.39 ms of the server's
 * thread per post (undici's Request and its streams, the route's module, the page's render, the
 * middleware's new Headers and Response, the answer copied back): as much as a bare node:http server
 * needs to store a report. A lane runs the route's own handler (the same function the page calls) on a
 * light request, and:
 *
 * - answers a redirect itself: 303, `Location`, the headers every dynamic answer carries, no body;
 * - hands every other outcome to Astro's page through `locals.answered` (a page to render with its
 *   messages, a rewrite, an error): the page renders what the handler decided, so nothing is decided twice
 *   (a rate limit counted twice, an hCaptcha token spent twice);
 * - takes only what it can answer exactly as Astro would: a POST of `application/x-www-form-urlencoded`
 *   with a declared length within the route's limit, from the portal's own origin. Anything else (another
 *   origin, a multipart or chunked body, too much text) goes to Astro unread, which refuses it as before.
 *
 * A lane's handler reads cookies but cannot set them: its context has no `set`.
 */

/** What a lane's handler gets: a request with its form, the cookies it sent, the client's socket address. */
export interface LaneContext {
  request: RequestLike;
  cookies: { get(name: string): { value: string } | undefined };
  clientAddress: string;
}

/** A route's handler as a lane runs it (the page calls the same one with Astro's context). */
export type Lane = (context: LaneContext) => Promise<FormOutcome<unknown>>;

/** Hands a request to Astro's handler; `locals` become the page's `Astro.locals`. */
export type ToAstro = (locals?: App.Locals) => void;

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** The cookies of a Cookie header, the first of a name winning (as Astro reads them). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const name = pair.slice(0, at).trim();
    if (!name || cookies.has(name)) continue;
    let value = pair.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      cookies.set(name, value.includes('%') ? decodeURIComponent(value) : value);
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

/** A Node request's headers as a `Request`'s `headers.get` reads them. */
function headersOf(req: http.IncomingMessage): RequestLike['headers'] {
  return {
    get: (name) => {
      const value = req.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * Whether a lane may take this request: a urlencoded form with a declared length within `limit`, not a
 * cross-origin post (refusal.ts, the middleware's rule) for the request's own origin (from its Host) and
 * `origins` (the portal's PUBLIC_URL).
 */
export function laneTakes(req: http.IncomingMessage, limit: number, origins: readonly string[]): boolean {
  const length = req.headers['content-length'];
  if (length === undefined || !/^\d+$/.test(length) || Number(length) > limit) return false;
  if (!FORM_TYPE.test(req.headers['content-type'] ?? '')) return false;
  const own = `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${req.headers.host ?? ''}`;
  return !isCrossOriginPost({ method: req.method ?? 'POST', headers: headersOf(req) }, [own, ...origins]);
}

/** Reads a body that the server has already limited (refusal.ts `limitedBody`, or the request itself). */
async function readBody(body: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/**
 * The light request a lane's handler reads: the method, the headers, and the form, read from `body` when the
 * handler asks for it (a post refused before, for its rate limit or a missing draft, is never read: the
 * server throws the body away, as for Astro's pages).
 */
export function laneRequest(req: http.IncomingMessage, body: () => Promise<Buffer>): RequestLike {
  return {
    method: req.method ?? 'POST',
    headers: headersOf(req),
    formData: async () => {
      const form = new FormData();
      for (const [name, value] of new URLSearchParams((await body()).toString('utf8'))) form.append(name, value);
      return form;
    },
  };
}

/**
 * Runs `lane` for the request (which `laneTakes`): a redirect is answered here with `headers` (those of every
 * dynamic answer, security-headers.ts), anything else goes to Astro (`toAstro`) with the outcome in
 * `locals.answered`. A body that breaks off (the client went away) fails the form as it would for Astro's page
 * (`readForm`: not a form).
 */
export function runLane(lane: Lane, req: http.IncomingMessage & { body?: AsyncIterable<Buffer | string> }, res: http.ServerResponse, headers: Readonly<Record<string, string>>, toAstro: ToAstro): void {
  // As Astro takes it: when the request arrives (a socket closed later has no address).
  const clientAddress = req.socket.remoteAddress ?? '';
  const source = req.body ?? req;
  let read: Promise<Buffer> | undefined;
  const cookies = parseCookies(req.headers.cookie);
  const answered = Promise.resolve().then(() =>
    lane({
      request: laneRequest(req, () => (read ??= readBody(source))),
      cookies: { get: (name) => (cookies.has(name) ? { value: cookies.get(name)! } : undefined) },
      clientAddress,
    }),
  );
  const toPage = () => {
    // The page reads the outcome, not the form: Astro's request gets an empty body (what the handler did not
    // read is thrown away by the server when the answer is sent).
    Object.assign(req, { body: (async function* () {})() });
    toAstro({ answered });
  };
  answered.then((outcome) => {
    if (outcome.kind !== 'redirect') return toPage();
    res.writeHead(303, { ...headers, Location: outcome.location, 'Content-Length': '0' });
    res.end();
  }, toPage);
}
