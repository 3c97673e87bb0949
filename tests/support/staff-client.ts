// A staff member over plain HTTP: an account made with the real user:add command, logged in through
// the two login steps with a TOTP code computed here.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { timeStep, totpCode } from '#features/auth/totp.server.ts';

export class StaffClient {
  readonly base: string;
  private cookie = '';

  constructor(base: string) {
    this.base = base;
  }

  /** Creates an account in the database at `dbPath` and logs in. */
  static async create(base: string, dbPath: string, role: 'kcc' | 'boa' | 'coordinator' | 'admin'): Promise<StaffClient> {
    const id = randomBytes(4).toString('hex');
    const email = `${role}-${id}@test.example`;
    const password = `lange zin ${id} voor test`;
    const out = execFileSync(process.execPath, ['src/cli/user.ts', 'add', '--email', email, '--name', `Test ${role}`, '--role', role], {
      input: `${password}\n`,
      env: { ...process.env, DATABASE_PATH: dbPath },
      encoding: 'utf8',
    });
    const secret = /secret=([A-Z2-7]+)/.exec(out)?.[1];
    if (!secret) throw new Error(`no secret in: ${out}`);
    const client = new StaffClient(base);
    const step1 = await client.post('/intern/inloggen', { email, password });
    if (step1.status !== 303) throw new Error(`password step answered ${step1.status}`);
    const step2 = await client.post('/intern/inloggen/code', { code: totpCode(secret, timeStep(new Date())) });
    if (step2.status !== 303) throw new Error(`code step answered ${step2.status}`);
    return client;
  }

  private keep(response: Response): Response {
    for (const set of response.headers.getSetCookie()) {
      const pair = set.split(';')[0] ?? '';
      if (pair.startsWith('mb_sessie=')) this.cookie = pair;
    }
    return response;
  }

  async get(path: string): Promise<Response> {
    return this.keep(await fetch(this.base + path, { redirect: 'manual', headers: { Cookie: this.cookie } }));
  }

  async post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.keep(
      await fetch(this.base + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: this.base, Cookie: this.cookie },
        body: new URLSearchParams(fields),
      }),
    );
  }
}
