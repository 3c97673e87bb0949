// Staff accounts for the end-to-end tests: created with the real `user:add` command against a test
// server's database, logged in through the real login pages with TOTP codes computed here.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, request, type APIRequestContext, type APIResponse, type Cookie, type Locator, type Page, type Response } from '@playwright/test';
import { timeStep, totpCode } from '#features/auth/totp.server.ts';
import { dataName } from '../playwright.config.ts';
import { L, REFERENCE, exactLabel, field, postForm, reportByReference, withDb, type ConcernStep, type PersonStep, type ReportRow, type Server } from './support.ts';

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

// An offset left behind by an interrupted run would end every staff session and break every code:
// start at the real time. (Tests that move the clock hold the `-exclusive-` lock, so no test file is
// loaded while one of them runs.)
if (existsSync(fileURLToPath(new URL('../../data/test/', import.meta.url)))) setClockOffset(0);

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

// ---------------------------------------------------------------------------------------------
// Login without a browser (the request API), for set-ups and the role × route matrix.

/** The path a redirect goes to (Location may be absolute or relative). */
export function locationPath(response: APIResponse): string {
  const location = response.headers()['location'];
  if (!location) return '';
  const url = new URL(location, 'http://placeholder');
  return url.pathname + url.search;
}

/**
 * Logs `account` in through the two login posts with `req` (which keeps the cookie). Returns the
 * response to the code post: a 303 to the role's start page (or the page asked for).
 */
export async function loginWithRequest(req: APIRequestContext, server: Server, account: StaffAccount, code = codeFor(account)): Promise<APIResponse> {
  const password = await postForm(req, `${server.origin}/intern/inloggen`, { email: account.email, password: account.password }, { origin: server.origin });
  expect(password.status(), `password step for ${account.email}`).toBe(303);
  expect(locationPath(password)).toBe('/intern/inloggen/code');
  const second = await postForm(req, `${server.origin}/intern/inloggen/code`, { code }, { origin: server.origin });
  expect(second.status(), `code step for ${account.email}`).toBe(303);
  return second;
}

/** A fresh request context (its own cookie jar) logged in as `account`. Dispose it after use. */
export async function staffRequest(server: Server, account: StaffAccount): Promise<APIRequestContext> {
  const req = await request.newContext({ baseURL: server.origin });
  await loginWithRequest(req, server, account);
  return req;
}

/** The session cookie of a browser context (named mb_sessie on http://localhost). */
export async function sessionCookie(page: Page): Promise<Cookie | undefined> {
  return (await page.context().cookies()).find((c) => c.name === 'mb_sessie');
}

/** A code that is valid for none of the steps the server accepts now (current ± 1). */
export function wrongCode(account: StaffAccount, clockOffsetMs = 0): string {
  const valid = new Set([-1, 0, 1].map((d) => codeFor(account, d, clockOffsetMs)));
  for (let n = 7; ; n++) {
    const code = codeFor(account, n, clockOffsetMs);
    if (!valid.has(code)) return code;
  }
}

// ---------------------------------------------------------------------------------------------
// The staff forms (spec §3 and §4), by their exact Dutch labels.

/** Exactly this label or legend, optionally followed by " (niet verplicht)" (shared with the resident tests). */
export const exact = exactLabel;

/** The text field, textarea or single checkbox labelled exactly `label`. */
export const input = field;

/** The option `label` in the radio or checkbox group whose legend is exactly `legend`. */
export function choice(page: Page, legend: string, label: string): Locator {
  return page.getByRole('group', { name: exact(legend) }).getByLabel(label, { exact: true });
}

export const S = {
  intakeMethod: 'Hoe kwam de melding binnen?',
  callerRelation: 'Relatie tot de persoon',
  callerAnonymous: 'Beller wil anoniem blijven',
  callerName: 'Naam beller',
  callerPhone: 'Telefoonnummer beller',
  callerEmail: 'E-mailadres beller',
  observedAt: 'Datum en tijd van de waarneming',
  policePresent: 'Was de politie ter plaatse?',
  policeReference: 'Registratienummer',
  save: 'Melding opslaan',
  acuteSave: 'Vastleggen: doorgezet naar 112',
} as const;

export interface CallerAnswers {
  relation?: string | undefined;
  anonymous?: boolean | undefined;
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
}

export interface ObservationAnswers {
  observedAt: string;
  policePresent?: 'Ja' | 'Nee';
  policeReference?: string;
}

export interface StaffReportAnswers {
  acute: 'Ja' | 'Nee';
  intakeMethod?: string | undefined;
  person: PersonStep;
  concerns: ConcernStep;
  caller?: CallerAnswers;
  observation?: ObservationAnswers;
}

/**
 * The seed case "Dhr. K." (Bijlage 1): threatens his wife, children and grandchildren and says he
 * will set the house and the family business on fire; his daughter phones the KCC.
 */
export function dhrK(tag: string, caller: CallerAnswers = {}): StaffReportAnswers {
  return {
    acute: 'Nee',
    intakeMethod: 'Telefoon',
    person: {
      name: `Dhr. K. ${tag}`,
      age: '18 jaar of ouder',
      location: 'Op een adres',
      postcode: '9801 AB',
      houseNumber: '7',
      street: 'Dorpsstraat',
      place: 'Zuidhorn',
      children: 'Nee',
    },
    concerns: {
      concerns: ['Overlast of agressie', 'Dreigen met geweld'],
      description:
        `Mijn vader bedreigt mijn moeder, ons en de kleinkinderen. Mijn moeder is met hulp van het maatschappelijk werk ` +
        `naar een ander adres gegaan. Wij komen nog bij hem over de vloer voor ons gezamenlijke bedrijf. Hij wordt steeds ` +
        `agressiever en dreigt het huis en het bedrijf in brand te steken. Kenmerk ${tag}.`,
      since: 'Een paar maanden',
      dangerToSelf: 'Weet ik niet',
      dangerToOthers: 'Ja',
      personAware: 'Nee',
      involved: ['Wijkteam of sociaal team', 'Veilig Thuis'],
    },
    caller: { relation: 'Familie', name: `Ineke K. ${tag}`, phone: '06 23456789', email: `ineke.${tag}@example.nl`, ...caller },
  };
}

/**
 * The seed case "Mevr. B." (Bijlage 1): lives in a dilapidated, polluted house, has had contact with
 * no one for years and lets no one in; a safety inspection brought it to light.
 */
export function mevrB(tag: string, observedAt: string): StaffReportAnswers {
  return {
    acute: 'Nee',
    person: {
      name: `Mevr. B. ${tag}`,
      age: '18 jaar of ouder',
      location: 'Op een adres',
      postcode: '9861 CD',
      houseNumber: '3',
      street: 'Molenweg',
      place: 'Grootegast',
      children: 'Nee',
    },
    concerns: {
      concerns: ['Vervuiling of verzamelen van spullen', 'Zichzelf verwaarlozen', 'Eenzaamheid'],
      description:
        `Bij een veiligheidsinspectie voor de versterking gezien: door de ramen is een zwaar vervuilde woning te zien, ` +
        `het dak staat op instorten en heeft grote gaten, er is asbest en vermoedelijk veel knaagdieren. Mevrouw laat ` +
        `niemand binnen en heeft al jaren met niemand contact. Kenmerk ${tag}.`,
      since: 'Langer dan een jaar',
      dangerToSelf: 'Ja',
      dangerToOthers: 'Ja',
      personAware: 'Weet ik niet',
      involved: ['Woningcorporatie', 'Iemand anders'],
    },
    observation: { observedAt, policePresent: 'Nee', policeReference: `CVW-${tag.slice(-6)}` },
  };
}

async function fillText(page: Page, label: string, value: string | undefined): Promise<void> {
  if (value !== undefined) await input(page, label).fill(value);
}

/** Fills a staff form (KCC or BOA) from top to bottom; leaves out what `answers` leaves out. */
export async function fillStaffForm(page: Page, a: StaffReportAnswers): Promise<void> {
  await choice(page, L.acute, a.acute).check();
  if (a.intakeMethod) await choice(page, S.intakeMethod, a.intakeMethod).check();
  const p = a.person;
  await fillText(page, L.personName, p.name);
  if (p.age) await choice(page, L.age, p.age).check();
  if (p.location) await choice(page, L.location, p.location).check();
  await fillText(page, L.postcode, p.postcode);
  await fillText(page, L.houseNumber, p.houseNumber);
  await fillText(page, L.addition, p.addition);
  await fillText(page, L.street, p.street);
  await fillText(page, L.place, p.place);
  await fillText(page, L.locationDescription, p.locationDescription);
  if (p.children) await choice(page, L.children, p.children).check();
  const c = a.concerns;
  for (const concern of c.concerns) await choice(page, L.concerns, concern).check();
  await fillText(page, L.description, c.description);
  if (c.since) await choice(page, L.since, c.since).check();
  if (c.dangerToSelf) await choice(page, L.dangerToSelf, c.dangerToSelf).check();
  if (c.dangerToOthers) await choice(page, L.dangerToOthers, c.dangerToOthers).check();
  if (c.personAware) await choice(page, L.personAware, c.personAware).check();
  for (const who of c.involved ?? []) await choice(page, L.involved, who).check();
  if (a.caller) {
    const k = a.caller;
    if (k.relation) await choice(page, S.callerRelation, k.relation).check();
    if (k.anonymous) await input(page, S.callerAnonymous).check();
    await fillText(page, S.callerName, k.name);
    await fillText(page, S.callerPhone, k.phone);
    await fillText(page, S.callerEmail, k.email);
  }
  if (a.observation) {
    const o = a.observation;
    await input(page, S.observedAt).fill(o.observedAt);
    if (o.policePresent) await choice(page, S.policePresent, o.policePresent).check();
    await fillText(page, S.policeReference, o.policeReference);
  }
}

/** Asserts every answer in `a` is still in the form (after an error, or the acute warning). */
export async function expectStaffForm(page: Page, a: StaffReportAnswers): Promise<void> {
  const text = async (label: string, value: string | undefined) => {
    if (value !== undefined) await expect(input(page, label), label).toHaveValue(value);
  };
  await expect(choice(page, L.acute, a.acute)).toBeChecked();
  if (a.intakeMethod) await expect(choice(page, S.intakeMethod, a.intakeMethod)).toBeChecked();
  const p = a.person;
  await text(L.personName, p.name);
  if (p.age) await expect(choice(page, L.age, p.age)).toBeChecked();
  if (p.location) await expect(choice(page, L.location, p.location)).toBeChecked();
  await text(L.postcode, p.postcode);
  await text(L.houseNumber, p.houseNumber);
  await text(L.addition, p.addition);
  await text(L.street, p.street);
  await text(L.place, p.place);
  await text(L.locationDescription, p.locationDescription);
  if (p.children) await expect(choice(page, L.children, p.children)).toBeChecked();
  const c = a.concerns;
  for (const concern of c.concerns) await expect(choice(page, L.concerns, concern), concern).toBeChecked();
  await text(L.description, c.description);
  if (c.since) await expect(choice(page, L.since, c.since)).toBeChecked();
  if (c.dangerToSelf) await expect(choice(page, L.dangerToSelf, c.dangerToSelf)).toBeChecked();
  if (c.dangerToOthers) await expect(choice(page, L.dangerToOthers, c.dangerToOthers)).toBeChecked();
  if (c.personAware) await expect(choice(page, L.personAware, c.personAware)).toBeChecked();
  for (const who of c.involved ?? []) await expect(choice(page, L.involved, who), who).toBeChecked();
  if (a.caller) {
    const k = a.caller;
    if (k.relation) await expect(choice(page, S.callerRelation, k.relation)).toBeChecked();
    if (k.anonymous) await expect(input(page, S.callerAnonymous)).toBeChecked();
    else await expect(input(page, S.callerAnonymous)).not.toBeChecked();
    await text(S.callerName, k.name);
    await text(S.callerPhone, k.phone);
    await text(S.callerEmail, k.email);
  }
  if (a.observation) {
    const o = a.observation;
    await text(S.observedAt, o.observedAt);
    if (o.policePresent) await expect(choice(page, S.policePresent, o.policePresent)).toBeChecked();
    await text(S.policeReference, o.policeReference);
  }
}

/** Asserts the page shows the form errors: status 400, "Fout:" title, summary, each message. */
export async function expectFormErrors(page: Page, response: Response, messages: string[]): Promise<void> {
  expect(response.status()).toBe(400);
  await expect(page).toHaveTitle(/^Fout: /);
  const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Er is een probleem' }) });
  await expect(summary).toBeVisible();
  for (const message of messages) await expect(summary.getByRole('link', { name: message })).toBeVisible();
}

/** Clicks a submit button and returns the response to the form post. */
export async function press(page: Page, button: string): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return response;
}

/** The saved page after a staff report: its reference (checked against the spec's pattern). */
export async function savedReference(page: Page, channel: 'kcc' | 'boa'): Promise<string> {
  await expect(page).toHaveURL(new RegExp(`/intern/${channel}/opgeslagen/MB-[A-Z2-9]{8}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Melding opgeslagen' })).toBeVisible();
  const reference = (await page.locator('#referentienummer').innerText()).trim();
  expect(reference).toMatch(REFERENCE);
  expect(page.url()).toContain(reference);
  return reference;
}

/** Amsterdam wall-clock time "YYYY-MM-DDTHH:mm", as the datetime field takes it. */
export function amsterdamLocal(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

// ---------------------------------------------------------------------------------------------
// Raw form bodies (codes, not labels) for posts without a browser.

export function rawKcc(tag: string, override: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    acuteDanger: 'nee',
    intakeMethod: 'telefoon',
    personName: '',
    personAge: '18_plus',
    locationKind: 'adres',
    postcode: '9351 AB',
    houseNumber: '12',
    houseAddition: '',
    street: '',
    place: '',
    locationDescription: '',
    childrenInHome: '',
    concerns: ['overlast_agressie'],
    description: `Schreeuwt 's avonds op straat tegen voorbijgangers. ${tag}`,
    concernSince: 'paar_weken',
    dangerToSelf: 'nee',
    dangerToOthers: 'nee',
    personAware: 'nee',
    callerRelation: 'buren',
    callerAnonymous: 'ja',
    callerName: '',
    callerPhone: '',
    callerEmail: '',
    intent: 'opslaan',
    ...override,
  };
}

export function rawBoa(tag: string, override: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const { intakeMethod: _i, callerRelation: _r, callerAnonymous: _a, callerName: _n, callerPhone: _p, callerEmail: _e, ...rest } = rawKcc(tag);
  return {
    ...rest,
    observedAt: amsterdamLocal(new Date(Date.now() - 3_600_000)),
    policePresent: 'nee',
    policeReference: '',
    ...override,
  };
}

// ---------------------------------------------------------------------------------------------
// The database.

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: string;
  service_number: string | null;
  totp_secret: string;
  totp_last_step: number;
  disabled_at: string | null;
}

export function userByEmail(server: Server, email: string): UserRow | undefined {
  return withDb(server, (db) => db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined);
}

export interface AuditRow {
  id: number;
  at: string;
  actor_id: number | null;
  actor_role: string;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: string;
  on_behalf_of: string | null;
  client_ip: string | null;
  detail: string | null;
}

/** Audit rows matching every column given. */
export function auditRows(server: Server, where: Partial<Record<keyof AuditRow, string | number | null>>): AuditRow[] {
  const keys = Object.keys(where) as (keyof AuditRow)[];
  const sql = `SELECT * FROM audit_log${keys.length ? ` WHERE ${keys.map((k) => `${k} IS @${k}`).join(' AND ')}` : ''} ORDER BY id`;
  return withDb(server, (db) => db.prepare(sql).all(where) as AuditRow[]);
}

/** A staff report row with the columns the staff channels add. */
export interface StaffReportRow extends ReportRow {
  entered_by: number | null;
  intake_method: string | null;
  observed_at: string | null;
  police_present: number | null;
  police_reference: string | null;
  created_at: string;
}

export function staffReport(server: Server, reference: string): (StaffReportRow & { concerns: string[] }) | undefined {
  return reportByReference(server, reference) as (StaffReportRow & { concerns: string[] }) | undefined;
}

/** The number of live sessions (pending or complete) of a user. */
export function sessionsOf(server: Server, userId: number): number {
  return withDb(server, (db) => (db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(userId) as { n: number }).n);
}

/** The e-mails a report put in the outbox: kind and recipient, and whether `text` is in them. */
export function outboxOf(server: Server, reportId: number, text: string): { kind: string; recipient: string; containsText: boolean }[] {
  return withDb(server, (db) =>
    (db.prepare('SELECT kind, recipient, subject, text_body, html_body FROM outbox WHERE report_id = ? ORDER BY kind').all(reportId) as {
      kind: string; recipient: string; subject: string; text_body: string; html_body: string;
    }[]).map((m) => ({ kind: m.kind, recipient: m.recipient, containsText: `${m.subject}${m.text_body}${m.html_body}`.includes(text) })),
  );
}
