// A staff member over plain HTTP: an account made with the real user:add command, logged in through
// the login form with a TOTP code computed here.
import { timeStep, totpCode } from '#features/auth/totp.server.ts';
import { addUser, type StaffRole } from './users.ts';

export class StaffClient {
  readonly base: string;
  private cookie = '';

  constructor(base: string) {
    this.base = base;
  }

  /** Creates an account in the database at `dbPath` (the real user:add command) and logs in with its code. */
  static async create(base: string, dbPath: string, role: StaffRole): Promise<StaffClient> {
    const { email, password, secret } = addUser(dbPath, role);
    const client = new StaffClient(base);
    const answer = await client.post('/intern/inloggen', { email, password, code: totpCode(secret, timeStep(new Date())) });
    if (answer.status !== 303) throw new Error(`login answered ${answer.status}`);
    return client;
  }

  private keep(response: Response): Response {
    for (const set of response.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      if (pair.startsWith('mb_sessie=')) this.cookie = pair;
    }
    return response;
  }

  /** The session cookie, as a Cookie header sends it. */
  cookieHeader(): string {
    return this.cookie;
  }

  async get(path: string): Promise<Response> {
    return this.keep(await fetch(this.base + path, { redirect: 'manual', headers: { Cookie: this.cookie } }));
  }

  /** A multipart post (the BOA form with photos), as a browser sends it. */
  async postMultipart(path: string, form: FormData): Promise<Response> {
    return this.keep(await fetch(this.base + path, { method: 'POST', redirect: 'manual', headers: { Origin: this.base, Cookie: this.cookie }, body: form }));
  }

  /** A form post; a list is sent as repeated fields (checkboxes). */
  async post(path: string, fields: Record<string, string | string[]>): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.keep(
      await fetch(this.base + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: this.base, Cookie: this.cookie },
        body,
      }),
    );
  }
}
