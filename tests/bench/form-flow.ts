// Walking the resident form /melden over HTTP the way a browser without JavaScript does: GET pages,
// POST each step with an Origin header (Astro's checkOrigin refuses posts without one), keep the
// `mb_melding` cookie, and never follow the 303 automatically.

export const DRAFT_COOKIE = 'mb_melding';
export const CHECK_PATH = '/melden/controleren';
export const THANKS_PATH = '/melden/bedankt';
export const CALL_112_PATH = '/melden/bel-112';

/** A complete report, step by step: [page, answers, where the 303 must lead]. */
export const STEP_POSTS: readonly { path: string; form: [string, string][]; next: string }[] = [
  { path: '/melden', form: [['acuteDanger', 'nee']], next: '/melden/persoon' },
  {
    path: '/melden/persoon',
    form: [
      ['personName', 'J. de Vries'],
      ['personAge', '18_plus'],
      ['locationKind', 'adres'],
      ['postcode', '9351 AB'],
      ['houseNumber', '12'],
      ['houseAddition', ''],
      ['street', 'Hoofdstraat'],
      ['place', 'Leek'],
      ['locationDescription', ''],
      ['childrenInHome', 'nee'],
    ],
    next: '/melden/zorgen',
  },
  {
    path: '/melden/zorgen',
    form: [
      ['concerns', 'vervuiling'],
      ['concerns', 'eenzaamheid'],
      ['description', 'Mijn buurman komt al weken niet buiten en de post stapelt zich op. Het ruikt in het portiek.'],
      ['concernSince', 'paar_weken'],
      ['dangerToSelf', 'weet_niet'],
      ['dangerToOthers', 'nee'],
      ['personAware', 'nee'],
      ['involved', 'huisarts'],
    ],
    next: '/melden/over-u',
  },
  {
    path: '/melden/over-u',
    form: [
      ['reporterRelation', 'buren'],
      ['anonymous', 'nee'],
      ['reporterName', 'A. Jansen'],
      ['reporterPhone', '06 12345678'],
      ['reporterEmail', 'buur@voorbeeld.nl'],
    ],
    next: CHECK_PATH,
  },
];

/** The body of "Melding versturen": the empty honeypot (no hCaptcha configured). */
export const SEND_BODY = 'website=';

export function formBody(fields: readonly [string, string][]): string {
  return new URLSearchParams([...fields, ['website', '']]).toString();
}

/** One visitor: a cookie jar (names and values only; the portal sets one cookie) against one origin. */
export class Visitor {
  readonly origin: string;
  readonly cookies = new Map<string, string>();

  constructor(origin: string) {
    this.origin = origin;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      if (at < 1) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => {
        const [key = '', v = ''] = a.split('=').map((s) => s.trim());
        if (/^max-age$/i.test(key)) return Number(v) <= 0;
        if (/^expires$/i.test(key)) return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; location: string | null; body: Buffer; contentType: string }> {
    const headers: Record<string, string> = {};
    const cookie = this.cookieHeader();
    if (cookie) headers['cookie'] = cookie;
    if (method === 'POST') {
      headers['origin'] = this.origin;
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = await fetch(new URL(path, this.origin), {
      method,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
      ...(body === undefined ? {} : { body }),
    });
    this.remember(response);
    return {
      status: response.status,
      location: response.headers.get('location'),
      body: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? '',
    };
  }

  /** POSTs a form that must answer 303 to `next`. */
  async post(path: string, body: string, next: string): Promise<void> {
    const answer = await this.request('POST', path, body);
    const location = answer.location === null ? null : new URL(answer.location, this.origin).pathname;
    if (answer.status !== 303 || location !== next) {
      const text = answer.body.toString().slice(0, 300).replace(/\s+/g, ' ');
      throw new Error(`POST ${path}: expected 303 to ${next}, got ${answer.status} ${answer.location ?? ''} ${text}`);
    }
  }

  /** Answers the four question steps; the draft is then ready to send from the check page. */
  async fillDraft(): Promise<void> {
    for (const step of STEP_POSTS) await this.post(step.path, formBody(step.form), step.next);
  }
}

/**
 * Up to `count` complete drafts, each in its own visitor, prepared `concurrency` at a time through the
 * step posts, starting no new draft after `deadline` (a Date.now() value); returns their `mb_melding`
 * tokens.
 */
export async function prepareDrafts(origin: string, count: number, concurrency: number, deadline = Infinity): Promise<string[]> {
  const tokens: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count && Date.now() < deadline) {
      next++;
      const visitor = new Visitor(origin);
      await visitor.fillDraft();
      const token = visitor.cookies.get(DRAFT_COOKIE);
      if (!token) throw new Error(`no ${DRAFT_COOKIE} cookie after the step posts`);
      tokens.push(token);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tokens;
}
