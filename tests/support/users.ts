// Staff accounts for tests and benchmarks, made the way an administrator without a browser makes
// them: the real `npm run user:add` command (src/cli/user.ts add), the password on standard input,
// the TOTP secret read from the otpauth:// URI it prints once.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export type StaffRole = 'kcc' | 'boa' | 'coordinator' | 'admin';

export interface StaffAccount {
  id: number;
  email: string;
  name: string;
  role: StaffRole;
  password: string;
  /** The TOTP secret (base32) from the otpauth:// URI. */
  secret: string;
}

export interface NewUser {
  email?: string;
  name?: string;
  password?: string;
  serviceNumber?: string;
  /** The command's environment (default: this process's); DATABASE_PATH is set from `databasePath`. */
  env?: NodeJS.ProcessEnv;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Creates an account in the SQLite file `databasePath` with `user:add`; unique e-mail and password unless given. */
export function addUser(databasePath: string, role: StaffRole, options: NewUser = {}): StaffAccount {
  const id = randomBytes(4).toString('hex');
  const email = options.email ?? `${role}-${id}@test.example`;
  const name = options.name ?? `Test ${role} ${id}`;
  const password = options.password ?? `lange zin ${id} voor test`;
  const args = ['src/cli/user.ts', 'add', '--email', email, '--name', name, '--role', role];
  if (options.serviceNumber) args.push('--service-number', options.serviceNumber);
  const out = execFileSync(process.execPath, args, {
    cwd: root,
    input: `${password}\n`,
    env: { ...(options.env ?? process.env), DATABASE_PATH: databasePath },
    encoding: 'utf8',
  });
  const userId = /Account (\d+) aangemaakt/.exec(out)?.[1];
  const secret = /secret=([A-Z2-7]+)/.exec(out)?.[1];
  if (!userId || !secret) throw new Error(`user:add printed no account number or otpauth URI: ${out}`);
  return { id: Number(userId), email, name, role, password, secret };
}
