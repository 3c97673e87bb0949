// Staff accounts for the end-to-end tests: created with the real `user:add` command against a test
// server's database, logged in through the real login pages with TOTP codes computed here.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';
import { timeStep, totpCode } from '../../src/lib/server/auth/totp.ts';
import { dataName } from '../playwright.config.ts';
import type { Server } from './support.ts';

export type StaffRole = 'kcc' | 'boa' | 'coordinator' | 'admin';

export interface StaffAccount {
  email: string;
  name: string;
  role: StaffRole;
  password: string;
  secret: string;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Creates an account with `npm run user:add` (the password on standard input). */
export function createStaff(server: Server, role: StaffRole, options: { name?: string; serviceNumber?: string } = {}): StaffAccount {
  const id = randomBytes(4).toString('hex');
  const account = {
    email: `${role}-${id}@test.example`,
    name: options.name ?? `Test ${role} ${id}`,
    role,
    password: `lange zin ${id} voor test`,
  };
  const args = ['src/cli/user.ts', 'add', '--email', account.email, '--name', account.name, '--role', role];
  if (options.serviceNumber) args.push('--service-number', options.serviceNumber);
  const out = execFileSync(process.execPath, args, {
    cwd: root,
    input: `${account.password}\n`,
    env: { ...process.env, DATABASE_PATH: server.dbPath },
    encoding: 'utf8',
  });
  const secret = /secret=([A-Z2-7]+)/.exec(out)?.[1];
  if (!secret) throw new Error(`user:add printed no otpauth URI: ${out}`);
  return { ...account, secret };
}

/** The clock offset of the staff server, in milliseconds (moves its "now" forward). */
export function setClockOffset(ms: number): void {
  writeFileSync(fileURLToPath(new URL(`../../data/test/${dataName('staff')}-clock.txt`, import.meta.url)), String(ms));
}

/** The current TOTP code, `stepOffset` steps (30 s) from now, for the server clock offset given. */
export function codeFor(account: StaffAccount, stepOffset = 0, clockOffsetMs = 0): string {
  return totpCode(account.secret, timeStep(new Date(Date.now() + clockOffsetMs)) + stepOffset);
}

/** Logs in through /intern/inloggen and the code page; ends on the page the server sends to. */
export async function login(page: Page, server: Server, account: StaffAccount, options: { path?: string; code?: string } = {}): Promise<void> {
  await page.goto(`${server.origin}${options.path ?? '/intern/inloggen'}`);
  await page.getByLabel('E-mailadres').fill(account.email);
  await page.getByLabel('Wachtwoord').fill(account.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('heading', { name: 'Vul de code in' })).toBeVisible();
  await page.getByLabel('Code').fill(options.code ?? codeFor(account));
  await page.getByRole('button', { name: 'Inloggen' }).click();
}
