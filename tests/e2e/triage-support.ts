// Helpers for the end-to-end tests of the coordinator's triage (/intern/triage): reports from each
// channel, logged-in coordinators, the queue's rows, posts to a report page, and reading the
// audit log and report rows from the test server's SQLite file.
import { randomInt } from 'node:crypto';
import { expect, request, type APIRequestContext, type APIResponse, type Locator, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { createStaff, login, type StaffAccount, type StaffRole } from './staff-support.ts';
import { REFERENCE, marker, option, postForm, servers, withDb, type Server } from './support.ts';

export const main = servers.main;

// ---------------------------------------------------------------------------------------------
// Staff.

/** A fresh account of `role` (a TOTP code works once per account), logged in on `page`. */
export async function loginAs(page: Page, role: StaffRole, options: { name?: string; serviceNumber?: string } = {}): Promise<StaffAccount> {
  const account = createStaff(main, role, options);
  await login(page, main, account);
  await expect(page.getByRole('button', { name: 'Uitloggen' })).toBeVisible();
  return account;
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inloggen voor medewerkers' })).toBeVisible();
}

/** The users.id of an account. */
export function userId(account: StaffAccount): number {
  return withDb(main, (db) => (db.prepare('SELECT id FROM users WHERE email = ?').get(account.email) as { id: number }).id);
}

// ---------------------------------------------------------------------------------------------
// Reports, quickly, through the real forms over HTTP (no browser).

export interface ResidentFields {
  persoon?: Record<string, string>;
  zorgen?: Record<string, string | string[]>;
  overU?: Record<string, string>;
}

/** A resident report through the five steps of /melden (its own cookie jar); returns the reference. */
export async function residentReport(tag: string, fields: ResidentFields = {}): Promise<string> {
  const req = await request.newContext({ baseURL: main.origin });
  try {
    const steps: [string, Record<string, string | string[]>][] = [
      ['/melden', { acuteDanger: 'nee' }],
      ['/melden/persoon', { personName: `Persoon ${tag}`, personAge: '18_plus', locationKind: 'adres', postcode: '9351 AB', houseNumber: '12', houseAddition: '', street: '', place: 'Leek', locationDescription: '', childrenInHome: '', ...fields.persoon }],
      ['/melden/zorgen', { concerns: ['eenzaamheid'], description: `Komt al weken niet buiten. Kenmerk ${tag}.`, concernSince: 'paar_weken', dangerToSelf: 'nee', dangerToOthers: 'nee', personAware: 'nee', ...fields.zorgen }],
      ['/melden/over-u', { reporterRelation: 'buren', anonymous: 'ja', reporterName: '', reporterPhone: '', reporterEmail: '', ...fields.overU }],
      ['/melden/controleren', {}],
    ];
    for (const [path, body] of steps) {
      const response = await postForm(req, `${main.origin}${path}`, body, { origin: main.origin });
      expect(response.status(), `${path}: ${(await response.text()).slice(0, 300)}`).toBe(303);
    }
    const page = await (await req.get('/melden/bedankt')).text();
    const reference = /MB-[A-HJKMNP-Z2-9]{8}/.exec(page)?.[0];
    expect(reference, 'reference on the confirmation page').toMatch(REFERENCE);
    return reference!;
  } finally {
    await req.dispose();
  }
}

/** The fields of the KCC form as posted, with valid defaults. */
export function kccFields(tag: string, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    acuteDanger: 'nee',
    intakeMethod: 'telefoon',
    personName: `Persoon ${tag}`,
    personAge: '18_plus',
    locationKind: 'adres',
    postcode: '9801 CD',
    houseNumber: '7',
    houseAddition: '',
    street: '',
    place: 'Zuidhorn',
    locationDescription: '',
    childrenInHome: '',
    concerns: ['eenzaamheid'],
    description: `Beller maakt zich zorgen. Kenmerk ${tag}.`,
    concernSince: 'paar_weken',
    dangerToSelf: 'nee',
    dangerToOthers: 'nee',
    personAware: 'nee',
    callerRelation: 'familie',
    callerName: `Beller ${tag}`,
    callerPhone: '06 87654321',
    callerEmail: '',
    intent: 'opslaan',
    ...extra,
  };
}

/** The fields of the BOA form as posted, with valid defaults (observed an hour ago). */
export function boaFields(tag: string, extra: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const { callerRelation: _r, callerName: _n, callerPhone: _p, callerEmail: _e, intakeMethod: _i, ...rest } = kccFields(tag);
  return { ...rest, observedAt: amsterdamLocal(new Date(Date.now() - 3_600_000)), policePresent: 'nee', policeReference: '', ...extra };
}

/** "YYYY-MM-DDTHH:mm" on the Amsterdam wall clock. */
export function amsterdamLocal(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** Posts the KCC or BOA form with `req` (logged in as kcc, boa or coordinator); returns the reference. */
export async function staffReport(req: APIRequestContext, channel: 'kcc' | 'boa', fields: Record<string, string | string[]>): Promise<string> {
  const response = await postForm(req, `${main.origin}/intern/${channel}/melding`, fields, { origin: main.origin });
  expect(response.status(), (await response.text()).slice(0, 500)).toBe(303);
  const location = response.headers()['location'] ?? '';
  const reference = /MB-[A-HJKMNP-Z2-9]{8}$/.exec(location)?.[0];
  expect(reference, location).toMatch(REFERENCE);
  return reference!;
}

/** A postcode inside the municipality and a house number nobody else uses: an address of its own. */
export function uniqueAddress(): { postcode: string; houseNumber: string } {
  const letters = 'ABCDEFGHJKLMNPRSTVWXZ';
  return { postcode: `9351${letters[randomInt(letters.length)]}${letters[randomInt(letters.length)]}`, houseNumber: String(randomInt(1000, 9999)) };
}

export { marker };

// ---------------------------------------------------------------------------------------------
// The report page, over HTTP with the page's own cookies (page.request shares them).

export async function triagePost(req: APIRequestContext, reference: string, fields: Record<string, string>, origin: string | null = main.origin): Promise<APIResponse> {
  return postForm(req, `${main.origin}/intern/triage/${reference}`, fields, { origin });
}

/** A change that must be accepted: a 303 back to the report. */
export async function triageChange(req: APIRequestContext, reference: string, fields: Record<string, string>): Promise<void> {
  const response = await triagePost(req, reference, fields);
  expect(response.status(), `${JSON.stringify(fields)}: ${(await response.text()).slice(0, 300)}`).toBe(303);
  expect(response.headers()['location']).toMatch(new RegExp(`^/intern/triage/${reference}#`));
}

/** Opens a report page and checks it is the one asked for. */
export async function openReport(page: Page, reference: string): Promise<void> {
  const response = await page.goto(`/intern/triage/${reference}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: `Melding ${reference}` })).toBeVisible();
}

/** Clicks a button and waits for the page the server answers with (after a redirect, or itself). */
export async function press(page: Page, scope: Page | Locator, name: string | RegExp): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    scope.getByRole('button', { name, exact: typeof name === 'string' }).click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return response.status();
}

/** A form on the report page, by its heading. */
export function card(page: Page, heading: string): Locator {
  return page.locator('form, section, div.mb-card').filter({ has: page.getByRole('heading', { name: heading, exact: true }) }).last();
}

export { option };

// ---------------------------------------------------------------------------------------------
// The queue.

export interface QueueRow {
  reference: string;
  received: string;
  channel: string;
  urgency: string;
  status: string;
  ave: string;
  area: string;
  due: string;
}

export async function queueRows(page: Page): Promise<QueueRow[]> {
  const rows = page.locator('table.mb-queue tbody tr');
  const out: QueueRow[] = [];
  for (const cells of await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())))) {
    const [reference, received, channel, urgency, status, ave, area, due] = cells as [string, string, string, string, string, string, string, string];
    out.push({ reference, received, channel, urgency, status, ave, area, due });
  }
  return out;
}

export async function queueReferences(page: Page): Promise<string[]> {
  return (await queueRows(page)).map((r) => r.reference);
}

// ---------------------------------------------------------------------------------------------
// The database of the main server.

export type Row = Record<string, string | number | null>;

export function reportRow(reference: string): Row {
  return withDb(main, (db) => db.prepare('SELECT * FROM reports WHERE reference = ?').get(reference) as Row);
}

export function reportRows(references: string[]): Row[] {
  if (references.length === 0) return [];
  return withDb(main, (db) => db.prepare(`SELECT * FROM reports WHERE reference IN (${references.map(() => '?').join(',')})`).all(...references) as Row[]);
}

export function concernsOf(reference: string): string[] {
  return withDb(main, (db) =>
    (db.prepare('SELECT c.concern FROM report_concerns c JOIN reports r ON r.id = c.report_id WHERE r.reference = ? ORDER BY c.concern').all(reference) as { concern: string }[]).map((c) => c.concern),
  );
}

export function eventsOf(reference: string): Row[] {
  return withDb(main, (db) =>
    db.prepare('SELECT e.kind, e.from_value, e.to_value, e.reason FROM report_events e JOIN reports r ON r.id = e.report_id WHERE r.reference = ? ORDER BY e.id').all(reference) as Row[],
  );
}

/** The audit rows about one report, oldest first. */
export function auditOf(reference: string): Row[] {
  return withDb(main, (db) =>
    db.prepare("SELECT action, result, actor_id, actor_role, detail FROM audit_log WHERE object_type = 'melding' AND object_id = ? ORDER BY id").all(reference) as Row[],
  );
}

export const actions = (rows: Row[]): string[] => rows.map((r) => `${r['action']}${r['result'] === 'gelukt' ? '' : ` (${r['result']})`}`);

/** Test set-up only: a due date in the past, so that a new report counts as overdue. */
export function backdateDue(reference: string, dueOn = '2026-01-05'): void {
  const db = new Database(main.dbPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('UPDATE reports SET due_on = ? WHERE reference = ?').run(dueOn, reference);
  } finally {
    db.close();
  }
}

/** Every string the database holds anywhere in the audit log, as one text. */
export function auditText(srv: Server = main): string {
  return withDb(srv, (db) => JSON.stringify(db.prepare('SELECT * FROM audit_log').all()));
}

/** The date in Amsterdam, and `days` calendar days later, written as the report page writes dates. */
export function dutchDate(isoDate: string): string {
  return new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', dateStyle: 'long' }).format(new Date(`${isoDate}T00:00:00Z`));
}

export function amsterdamToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
