import { BlockList, isIP } from 'node:net';
import type { AstroCookies } from 'astro';

/**
 * What a page handler reads of Astro's context (a page passes `Astro`): the request, its URL and route
 * parameters, the cookies and what the middleware put in `locals`.
 */
export interface HandlerContext {
  request: Request;
  url: URL;
  params: Record<string, string | undefined>;
  cookies: AstroCookies;
  locals: App.Locals;
}

/**
 * The part of a request that a form handler reads: its method, headers and posted form. A `Request` is
 * one; so is the lighter request the portal's server builds for a fast lane (server.ts), without
 * undici's Request and its streams.
 */
export interface RequestLike {
  readonly method: string;
  readonly headers: { get(name: string): string | null };
  formData(): Promise<FormData>;
}

/** The peers whose X-Forwarded-For is believed (`TRUSTED_PROXIES`): addresses and CIDR ranges, IPv4 and IPv6. */
export interface TrustedProxies {
  /** The entries as configured, for messages. */
  readonly entries: readonly string[];
  has(address: string): boolean;
}

/** Loopback: a proxy on the same machine (the default of `TRUSTED_PROXIES`). */
export const LOOPBACK_PROXIES = ['127.0.0.0/8', '::1'] as const;

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) as `127.0.0.1`. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Builds the list; throws on an entry that is no address or range (the start stops with the message). */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? undefined : Number(bits);
    const max = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (prefix !== undefined && (!/^\d+$/.test(bits!) || prefix > max))) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return {
    entries: [...entries],
    has(candidate: string): boolean {
      const address = plainAddress(candidate.trim());
      const family = isIP(address);
      return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The client's address. Without proxy trust (`false`), the socket's. With `TRUST_PROXY`, and only when
 * the socket's peer is one of the trusted proxies: the X-Forwarded-For hops read from the right,
 * skipping trusted proxies; the first other address is the client. A request that reaches the port
 * directly cannot choose its address by sending the header. Callers pass `config().trustProxy`.
 */
export function clientIp(request: Pick<RequestLike, 'headers'>, socketAddress: string | undefined, trust: TrustedProxies | false): string {
  const peer = socketAddress === undefined ? undefined : plainAddress(socketAddress);
  if (!trust || peer === undefined || !trust.has(peer)) return peer ?? 'unknown';
  const hops = request.headers.get('x-forwarded-for')?.split(',').map((h) => h.trim()).filter(Boolean) ?? [];
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i]!);
    // A hop that is no address was not written by a proxy of ours: stop believing the header there.
    if (!isIP(hop)) return i === hops.length - 1 ? peer : plainAddress(hops[i + 1]!);
    if (!trust.has(hop)) return hop;
  }
  return hops.length ? plainAddress(hops[0]!) : peer;
}

export type FormResult = { ok: true; form: FormData } | { ok: false; status: 400 | 413 };

/** Reads a posted form without ever throwing: too large → 413, not a form → 400. */
export async function readForm(request: RequestLike, limitBytes: number): Promise<FormResult> {
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > limitBytes) return { ok: false, status: 413 };
  const type = request.headers.get('content-type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return { ok: false, status: 400 };
  try {
    return { ok: true, form: await request.formData() };
  } catch (error) {
    return { ok: false, status: /limit|large|size/i.test(String(error)) ? 413 : 400 };
  }
}

/** The same limit as the server's body limit (astro.config.mjs). */
export const FORM_LIMIT_BYTES = 1024 * 1024;

/**
 * What a handler decides for a request, in one shape for every page (Post/Redirect/Get in one place):
 * - `redirect`: answer 303 See Other (after a successful POST, or to send the user elsewhere);
 * - `rewrite`: another route renders the answer (404, the rate-limit page with its own status);
 * - `render`: this page renders `view` with `status` (200, or 4xx with the messages in the view).
 */
export type FormOutcome<V> =
  | { kind: 'redirect'; location: string }
  | { kind: 'rewrite'; path: string }
  | { kind: 'render'; status: number; view: V };

export const redirectTo = (location: string): FormOutcome<never> => ({ kind: 'redirect', location });
export const rewriteTo = (path: string): FormOutcome<never> => ({ kind: 'rewrite', path });
export const render = <V>(view: V, status = 200): FormOutcome<V> => ({ kind: 'render', status, view });

/** The part of Astro's page context that `respond` needs. */
export interface Responder {
  rewrite(path: string): Promise<Response>;
  response: { status?: number };
}

/**
 * Turns a handler's outcome into what the page returns: a Response to return as it is, or the view to
 * render (with the status set on the page's response).
 */
export async function respond<V>(astro: Responder, outcome: FormOutcome<V>): Promise<Response | { view: V }> {
  switch (outcome.kind) {
    case 'redirect':
      return new Response(null, { status: 303, headers: { Location: outcome.location } });
    case 'rewrite':
      return astro.rewrite(outcome.path);
    case 'render':
      astro.response.status = outcome.status;
      return { view: outcome.view };
  }
}
