import { config } from './config.ts';

/** The client's address: the socket's, or behind a trusted proxy the last X-Forwarded-For hop. */
export function clientIp(request: Request, socketAddress: string | undefined): string {
  if (config().trustProxy) {
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
