// Walks the resident form over plain HTTP, as a browser without JavaScript would: one POST per step,
// following the 303s with the draft cookie. For tests that need the server rather than a browser.
// The answers come from tests/fixtures/cases.ts: `residentSteps(dhrP(tag))`.
import type { FormFields, ResidentSteps } from '../fixtures/cases.ts';

function body(fields: FormFields): URLSearchParams {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  }
  return form;
}

export class ReportClient {
  readonly base: string;
  private cookie = '';
  readonly extraHeaders: Record<string, string>;

  constructor(base: string, extraHeaders: Record<string, string> = {}) {
    this.base = base;
    this.extraHeaders = extraHeaders;
  }

  async post(path: string, fields: FormFields): Promise<Response> {
    const response = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: this.base, Cookie: this.cookie, ...this.extraHeaders },
      body: body(fields),
    });
    const set = response.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0] ?? '';
    return response;
  }

  /** The draft token this client's cookie carries (the database keeps its SHA-256). */
  draftToken(): string {
    return this.cookie.slice(this.cookie.indexOf('=') + 1);
  }

  async get(path: string): Promise<Response> {
    return fetch(this.base + path, { redirect: 'manual', headers: { Cookie: this.cookie, ...this.extraHeaders } });
  }

  /** Answers steps 1–4; the draft is then ready on the check page. Throws when a step is refused. */
  async fillAll(answers: ResidentSteps): Promise<void> {
    const steps: [string, FormFields][] = [
      ['/melden', { acuteDanger: 'nee' }],
      ['/melden/persoon', answers.persoon],
      ['/melden/zorgen', answers.zorgen],
      ['/melden/over-u', answers.overU],
    ];
    for (const [path, fields] of steps) {
      const response = await this.post(path, fields);
      if (response.status !== 303) throw new Error(`${path} answered ${response.status}`);
    }
  }

  /** Sends the report from the check page; returns the reference shown on the confirmation page. */
  async send(extra: Record<string, string> = {}): Promise<string> {
    const response = await this.post('/melden/controleren', extra);
    if (response.status !== 303) throw new Error(`send answered ${response.status}`);
    const page = await (await this.get('/melden/bedankt')).text();
    const reference = /MB-[A-HJKMNP-Z2-9]{8}/.exec(page)?.[0];
    if (!reference) throw new Error('no reference on the confirmation page');
    return reference;
  }
}
