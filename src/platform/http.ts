/**
 * The client's address: the socket's, or behind a trusted proxy (`TRUST_PROXY`) the last
 * X-Forwarded-For hop. Callers pass `config().trustProxy`.
 */
export function clientIp(request: Request, socketAddress: string | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const hops = request.headers.get('x-forwarded-for')?.split(',').map((h) => h.trim()).filter(Boolean);
    const last = hops?.at(-1);
    if (last) return last;
  }
  return socketAddress ?? 'unknown';
}

export type FormResult = { ok: true; form: FormData } | { ok: false; status: 400 | 413 };

/** Reads a posted form without ever throwing: too large → 413, not a form → 400. */
export async function readForm(request: Request, limitBytes: number): Promise<FormResult> {
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
