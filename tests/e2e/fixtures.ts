// What every end-to-end test may use: the test servers, finding fields by their exact Dutch labels,
// the one submit-and-wait helper, the axe scan, posts without a browser, reading (and, for set-up
// only, writing) a server's SQLite file, and staff accounts with a login by session row.
// Page helpers of one area live beside its specs, in tests/e2e/<area>/<area>-utils.ts; the four
// Westerkwartier cases in tests/fixtures/cases.ts.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import {
  expect,
  request,
  test as base,
  type APIRequestContext,
  type APIResponse,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type Response,
} from '@playwright/test';
import Database from 'better-sqlite3';
import { simpleParser } from 'mailparser';
import { eventually } from '../support/processes.ts';
import { PORTS, dataName } from '../playwright.config.ts';
import { addUser, type NewUser, type StaffAccount, type StaffRole } from '../support/users.ts';
import { keyringOfDatabase, openReport, openValue } from '../support/keys.ts';
import type { Concerns, FormFields, Person, ResidentSteps } from '../fixtures/cases.ts';

export { expect };
export type { StaffAccount, StaffRole };

// ---------------------------------------------------------------------------------------------
// Servers (started by tests/playwright.config.ts, each on its own fresh SQLite file).

export interface Server {
  name: string;
  origin: string;
  dbPath: string;
  /** TEST_CLOCK_FILE: milliseconds this server's clock runs ahead (staff server only). */
  clockFile?: string;
}

const dataDir = (file: string): string => fileURLToPath(new URL(`../../data/test/${file}`, import.meta.url));

const server = (name: string, port: number, clock = false): Server => ({
  name,
  origin: `http://localhost:${port}`,
  dbPath: dataDir(`${dataName(name)}/meldpunt.db`),
  ...(clock ? { clockFile: dataDir(`${dataName(name)}-clock.txt`) } : {}),
});

export const servers = {
  /** No captcha, a rate limit nobody reaches. The `baseURL` of the tests. */
  main: server('main', PORTS.main),
  /** hCaptcha on, checked against the local stub (tests/support/hcaptcha-stub.ts), timeout 1.5 s. */
  captcha: server('captcha', PORTS.captcha),
  /** hCaptcha on, but nothing listens at its URL. */
  captchaDown: server('captcha-down', PORTS.captchaDown),
  /** Two reports per hour per address; the address comes from X-Forwarded-For. */
  limits: server('limits', PORTS.limits),
  /** Staff tests: a test clock that tests/e2e/staff/staff-utils.ts can move. */
  staff: server('staff', PORTS.staff, true),
  /** Single sign-on against the local OpenID provider (tests/support/oidc-provider.ts), password accounts too. */
  sso: server('sso', PORTS.sso),
  /** Single sign-on only: LOCAL_LOGIN=off. */
  ssoOnly: server('sso-only', PORTS.ssoOnly),
} as const;

/** The local OpenID provider of the single sign-on servers. */
export const OIDC_ORIGIN = `http://127.0.0.1:${PORTS.oidc}`;

/** The server's "now": real time plus its test clock's offset, if it has one. */
export function serverNow(srv: Server): Date {
  let offset = 0;
  if (srv.clockFile) {
    try {
      offset = Number(readFileSync(srv.clockFile, 'utf8').trim()) || 0;
    } catch {
      offset = 0;
    }
  }
  return new Date(Date.now() + offset);
}

export const REFERENCE = /^MB-[A-HJKMNP-Z2-9]{8}$/;

/** A string no page or URL contains by chance; typed into fields to find it back (or not). */
export function marker(prefix = 'mrk'): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

/** A made-up client address per test, for the limits server. */
export function uniqueIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]! | 1}`;
}

// ---------------------------------------------------------------------------------------------
// Fields by their exact Dutch labels (spec §2–§4).

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Exactly this label or legend, optionally followed by the marker " (niet verplicht)". */
export function exactLabel(label: string): RegExp {
  return new RegExp(`^${escapeRegExp(label)}( \\(niet verplicht\\))?$`);
}

/** The text field, textarea or single checkbox labelled exactly `label`. */
export function field(scope: Page | Locator, label: string): Locator {
  return scope.getByLabel(exactLabel(label));
}

/** The radio or checkbox group whose legend is exactly `legend`. */
export function group(scope: Page | Locator, legend: string): Locator {
  return scope.getByRole('group', { name: exactLabel(legend) });
}

/** The option `label` in the group `legend`. */
export function option(scope: Page | Locator, legend: string, label: string): Locator {
  return group(scope, legend).getByLabel(label, { exact: true });
}

/** The questions the resident, KCC and BOA forms share (and the resident's own "Over u"). */
export const Q = {
  acute: 'Is er nu direct gevaar voor iemand?',
  personName: 'Naam van de persoon',
  age: 'Leeftijd van de persoon',
  location: 'Waar woont of verblijft de persoon?',
  postcode: 'Postcode',
  houseNumber: 'Huisnummer',
  addition: 'Toevoeging',
  street: 'Straat',
  place: 'Plaats',
  locationDescription: 'Beschrijf de plek waar u de persoon ziet',
  children: 'Wonen er kinderen in het huis?',
  concerns: 'Waar maakt u zich zorgen over?',
  description: 'Wat heeft u gezien of gehoord?',
  since: 'Sinds wanneer maakt u zich zorgen?',
  dangerToSelf: 'Is de persoon een gevaar voor zichzelf?',
  dangerToOthers: 'Is de persoon een gevaar voor anderen?',
  personAware: 'Weet de persoon dat u deze melding doet?',
  involved: 'Wie is er al betrokken?',
  relation: 'Wat is uw relatie tot de persoon?',
  anonymous: 'Wilt u anoniem melden?',
  reporterName: 'Uw naam',
  phone: 'Telefoonnummer',
  email: 'E-mailadres',
} as const;

const YES_NO_UNKNOWN = { ja: 'Ja', nee: 'Nee', weet_niet: 'Weet ik niet' } as const;

/**
 * The label a person sees for each stored code, as the spec words it. Written out here, not taken
 * from the app: a label changed in the app by mistake makes these tests fail.
 */
export const OPTION = {
  yesNo: { ja: 'Ja', nee: 'Nee' },
  yesNoUnknown: YES_NO_UNKNOWN,
  age: { jonger_dan_16: 'Jonger dan 16 jaar', '16_17': '16 of 17 jaar', '18_plus': '18 jaar of ouder', onbekend: 'Weet ik niet' },
  location: { adres: 'Op een adres', geen_vast_adres: 'Geen vast adres of adres onbekend' },
  concerns: {
    verward_gedrag: 'Verward gedrag',
    vervuiling: 'Vervuiling of verzamelen van spullen',
    verwaarlozing: 'Zichzelf verwaarlozen',
    eenzaamheid: 'Eenzaamheid',
    verslaving: 'Verslaving (alcohol of drugs)',
    overlast_agressie: 'Overlast of agressie',
    dreigen_geweld: 'Dreigen met geweld',
    zelfdoding: 'Praten over zelfdoding',
    geldproblemen: 'Geldproblemen of huisuitzetting',
    dementie: 'Vergeetachtigheid of dementie',
    anders: 'Iets anders',
  },
  since: { minder_dan_week: 'Minder dan een week', paar_weken: 'Een paar weken', paar_maanden: 'Een paar maanden', langer_dan_jaar: 'Langer dan een jaar' },
  involved: {
    huisarts: 'Huisarts',
    wijkteam: 'Wijkteam of sociaal team',
    politie: 'Politie',
    woningcorporatie: 'Woningcorporatie',
    ggz: 'GGZ of verslavingszorg',
    veilig_thuis: 'Veilig Thuis',
    iemand_anders: 'Iemand anders',
    niemand: 'Niemand of weet ik niet',
  },
  relation: { buren: 'Buurman of buurvrouw', familie: 'Familie', vriend: 'Vriend of kennis', professional: 'Ik ben professional', anders: 'Anders' },
  anonymity: { nee: 'Nee, ik geef mijn gegevens', ja: 'Ja, ik meld anoniem' },
  intakeMethod: { telefoon: 'Telefoon', telefoon_0800: 'Telefoon via 0800-1205', balie: 'Balie', email_brief: 'E-mail of brief' },
} as const;

/** Answers as a test may give them: any of them left out (undefined) stays unanswered. */
export type Some<T> = { [K in keyof T]?: T[K] | undefined };

/** Fills the field `label` with `value`; leaves it alone when `value` is undefined. */
export async function fillText(page: Page, label: string, value: string | undefined): Promise<void> {
  if (value !== undefined) await field(page, label).fill(value);
}

/** Fills the questions about the person (the same on the resident, KCC and BOA forms). */
export async function fillPerson(page: Page, p: Some<Person>): Promise<void> {
  await fillText(page, Q.personName, p.name);
  if (p.age) await option(page, Q.age, OPTION.age[p.age]).check();
  if (p.location) await option(page, Q.location, OPTION.location[p.location]).check();
  await fillText(page, Q.postcode, p.postcode);
  await fillText(page, Q.houseNumber, p.houseNumber);
  await fillText(page, Q.addition, p.addition);
  await fillText(page, Q.street, p.street);
  await fillText(page, Q.place, p.place);
  await fillText(page, Q.locationDescription, p.locationDescription);
  if (p.children) await option(page, Q.children, OPTION.yesNoUnknown[p.children]).check();
}

/** Fills the questions about the concerns (the same on the resident, KCC and BOA forms). */
export async function fillConcerns(page: Page, c: Some<Concerns>, descriptionLabel: string = Q.description): Promise<void> {
  for (const concern of c.concerns ?? []) await option(page, Q.concerns, OPTION.concerns[concern]).check();
  await fillText(page, descriptionLabel, c.description);
  if (c.since) await option(page, Q.since, OPTION.since[c.since]).check();
  if (c.dangerToSelf) await option(page, Q.dangerToSelf, OPTION.yesNoUnknown[c.dangerToSelf]).check();
  if (c.dangerToOthers) await option(page, Q.dangerToOthers, OPTION.yesNoUnknown[c.dangerToOthers]).check();
  if (c.personAware) await option(page, Q.personAware, OPTION.yesNoUnknown[c.personAware]).check();
  for (const who of c.involved ?? []) await option(page, Q.involved, OPTION.involved[who]).check();
}

// ---------------------------------------------------------------------------------------------
// Submitting a form in the browser.

/**
 * Runs `action` (a click, a key press) and returns the response to the form post it causes (a 303,
 * or the page itself), once the page the browser ends on has loaded.
 */
export async function waitForPost(page: Page, action: () => Promise<void>): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    action(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return response;
}

/**
 * Clicks the submit button of a form the server will refuse. A refusal is answered with
 * Post/Redirect/Get too (so Back never asks to resubmit): the post must get a 303, and the page it
 * leads to shows the messages with a 400. Returns that page's response.
 */
export async function submitRefused(page: Page, button: string | RegExp, scope: Page | Locator = page): Promise<Response> {
  const [landed] = await Promise.all([
    page.waitForResponse((r) => r.request().resourceType() === 'document' && r.request().redirectedFrom()?.method() === 'POST'),
    submit(page, button, scope).then((posted) => expect(posted.status(), 'a refused post redirects (PRG)').toBe(303)),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return landed;
}

/** Clicks the submit button `button` (exact name when a string), inside `scope` if given. */
export function submit(page: Page, button: string | RegExp, scope: Page | Locator = page): Promise<Response> {
  return waitForPost(page, () => scope.getByRole('button', { name: button, exact: typeof button === 'string' }).click());
}

// ---------------------------------------------------------------------------------------------
// Accessibility.

/** The WCAG 2.0 and 2.1 rules of levels A and AA: what every scan runs. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core in `page` (its main document: the portal's pages have no frames of their own) and fails with
 * the rules and elements found. axe is put into the page once per document, as one script: compiling its
 * half a megabyte took longer than the scan itself (about 0.9 s against 0.1–0.3 s for a form page), and
 * @axe-core/playwright compiled it twice per scan and then again in a blank page it opened to gather the
 * results.
 */
async function axeScan(page: Page, what: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axe.source);
  const violations = await page.evaluate(
    async (tags) => {
      const results = await (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })) }));
    },
    WCAG_AA,
  );
  const found = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`,
  );
  expect(found, `axe violations on ${what}`).toEqual([]);
}

/**
 * Scans the whole page with axe for WCAG 2.0/2.1 A and AA; fails with the rules and elements found.
 *
 * With JavaScript off axe cannot run in the page itself (Chromium fires no timers there, so its
 * run never ends). Then the DOM this browser shows — the server's HTML, scripts never ran — is
 * scanned in a JavaScript-enabled page, at the same URL so the same stylesheets apply, with the
 * (unexecuted) scripts left out.
 */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  if (base.info().project.use.javaScriptEnabled !== false) return axeScan(page, what);
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/<\/?noscript>/gi, '');
  // Without its fragment: from the same URL with another fragment, a navigation would stay in the old document.
  const url = page.url().split('#', 1)[0]!;
  const browser = page.context().browser()!;
  const scanner = await scanPage(browser);
  try {
    scanner.html = html;
    await scanner.page.goto(url);
    await axeScan(scanner.page, `${what} (without JavaScript)`);
  } catch (error) {
    // A page that failed (a crash, a navigation that never ended) is not used again.
    scanPages.delete(browser);
    await scanner.page.context().close().catch(() => undefined);
    throw error;
  }
}

/**
 * The JavaScript-enabled page the copies are scanned in: one per browser (a worker's, which runs one test at
 * a time), made on first use and closed with the browser, in a context of its own without cookies (the copy
 * is the HTML already fetched; stylesheets and images are public). Every navigation gets the copy to scan;
 * other requests go to the server. One page for every scan keeps its renderer, which compiles axe once
 * instead of once per scan.
 */
interface ScanPage {
  page: Page;
  html: string;
}
const scanPages = new WeakMap<Browser, Promise<ScanPage>>();
function scanPage(browser: Browser): Promise<ScanPage> {
  let scanner = scanPages.get(browser);
  if (!scanner) {
    scanner = (async () => {
      const context = await browser.newContext({ javaScriptEnabled: true, locale: 'nl-NL' });
      const created: ScanPage = { page: await context.newPage(), html: '' };
      await created.page.route('**/*', (route) =>
        route.request().isNavigationRequest()
          ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: created.html })
          : route.continue(),
      );
      return created;
    })();
    // A page that could not be made is not kept either: the next scan tries again.
    scanner.catch(() => scanPages.delete(browser));
    scanPages.set(browser, scanner);
  }
  return scanner;
}

// ---------------------------------------------------------------------------------------------
// Requests without a browser.

/** Posts a urlencoded form; repeated keys (checkboxes) as repeated pairs. Follows no redirects. */
export async function postForm(
  req: APIRequestContext,
  url: string,
  fields: FormFields | string,
  options: { origin?: string | null; headers?: Record<string, string> } = {},
): Promise<APIResponse> {
  const body =
    typeof fields === 'string'
      ? fields
      : new URLSearchParams(
          Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
        ).toString();
  const origin = options.origin === undefined ? new URL(url, servers.main.origin).origin : options.origin;
  return req.post(url, {
    data: body,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(origin === null ? {} : { Origin: origin }),
      ...options.headers,
    },
    maxRedirects: 0,
    failOnStatusCode: false,
  });
}

/**
 * Posts a form the server refuses, without a browser: the refusal is a 303 back to the same page
 * (Post/Redirect/Get), whose GET (same cookies) shows the messages with a 400. Returns that GET.
 */
export async function postRefused(
  req: APIRequestContext,
  url: string,
  fields: FormFields | string,
  options: { origin?: string | null; headers?: Record<string, string> } = {},
): Promise<APIResponse> {
  const posted = await postForm(req, url, fields, options);
  expect(posted.status(), `${url}: a refused post redirects (PRG)`).toBe(303);
  expect(locationPath(posted), `${url}: back to the same page`).toBe(new URL(url, servers.main.origin).pathname);
  return req.get(new URL(locationPath(posted), url).toString(), { headers: options.headers ?? {}, maxRedirects: 0, failOnStatusCode: false });
}

/** The path a redirect goes to (Location may be absolute or relative). */
export function locationPath(response: APIResponse): string {
  const location = response.headers()['location'];
  if (!location) return '';
  const url = new URL(location, 'http://placeholder');
  return url.pathname + url.search;
}

/** Steps 1–4 of the resident form /melden, as [path, body] (tests/fixtures/cases.ts makes the bodies). */
export function residentPosts(steps: ResidentSteps): [string, FormFields][] {
  return [
    ['/melden', { acuteDanger: 'nee' }],
    ['/melden/persoon', steps.persoon],
    ['/melden/zorgen', steps.zorgen],
    ['/melden/over-u', steps.overU],
  ];
}

/**
 * Answers steps 1–4 with `req` (its own cookie jar, or a page's) and expects each to be accepted;
 * the last ends on the check page.
 */
export async function postResidentSteps(req: APIRequestContext, origin: string, steps: ResidentSteps, headers: Record<string, string> = {}): Promise<APIResponse> {
  let last: APIResponse | undefined;
  for (const [path, fields] of residentPosts(steps)) {
    last = await postForm(req, `${origin}${path}`, fields, { origin, headers });
    expect(last.status(), `${path}: ${(await last.text()).slice(0, 200)}`).toBe(303);
  }
  expect(last!.headers()['location']).toBe('/melden/controleren');
  return last!;
}

/** Sends the draft from the check page with `req`; returns the reference the confirmation shows. */
export async function sendDraft(req: APIRequestContext, origin: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await postForm(req, `${origin}/melden/controleren`, {}, { origin, headers });
  expect(response.status(), (await response.text()).slice(0, 300)).toBe(303);
  expect(response.headers()['location']).toBe('/melden/bedankt');
  const html = await (await req.get(`${origin}/melden/bedankt`, { headers })).text();
  const reference = /id="referentienummer">([^<]+)</.exec(html)?.[1];
  expect(reference, 'reference on the confirmation page').toMatch(REFERENCE);
  return reference!;
}

// ---------------------------------------------------------------------------------------------
// The database of a server: read-only, apart from set-up.

export function withDb<T>(srv: Server, use: (db: Database.Database) => T): T {
  const db = new Database(srv.dbPath, { readonly: true, fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/** Test set-up only (a session row, a due date in the past): writes while the server runs. */
export function withWritableDb<T>(srv: Server, use: (db: Database.Database) => T): T {
  const db = new Database(srv.dbPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return use(db);
  } finally {
    db.close();
  }
}

/** A row of `reports`, with the columns the staff channels and the triage fill. */
export interface ReportRow {
  id: number;
  reference: string;
  channel: string;
  status: string;
  created_at: string;
  entered_by: number | null;
  acute_danger: number;
  person_name: string | null;
  person_age: string | null;
  location_kind: string | null;
  postcode: string | null;
  house_number: string | null;
  house_addition: string | null;
  street: string | null;
  place: string | null;
  location_description: string | null;
  children_in_home: string | null;
  description: string | null;
  concern_since: string | null;
  danger_to_self: string | null;
  danger_to_others: string | null;
  person_aware: string | null;
  involved: string;
  reporter_relation: string | null;
  anonymous: number;
  reporter_name: string | null;
  reporter_phone: string | null;
  reporter_email: string | null;
  captcha_status: string;
  suggested_urgency: string;
  urgency: string;
  intake_method: string | null;
  observed_at: string | null;
  police_present: number | null;
  police_reference: string | null;
  /** The address lookup (migration 0008). */
  address_check: string | null;
  address_checked_on: string | null;
  bag_address_id: string | null;
  bag_object_id: string | null;
  woonplaats: string | null;
  municipality_code: string | null;
  municipality_name: string | null;
  other_municipality: number;
  wijk_code: string | null;
  wijk_name: string | null;
  buurt_code: string | null;
  buurt_name: string | null;
}

export function reportByReference(srv: Server, reference: string): (ReportRow & { concerns: string[] }) | undefined {
  return withDb(srv, (db) => {
    const stored = db.prepare('SELECT * FROM reports WHERE reference = ?').get(reference) as ReportRow | undefined;
    if (!stored) return undefined;
    // Sealed at rest (spec §8): opened with the portal's own key, as the portal reads it.
    const row = openReport(keyringOfDatabase(srv.dbPath), stored);
    const concerns = (db.prepare('SELECT concern FROM report_concerns WHERE report_id = ? ORDER BY concern').all(row.id) as {
      concern: string;
    }[]).map((c) => c.concern);
    return { ...row, concerns };
  });
}

/** Reports (any column of text, opened) that contain `text`: a marker must be found exactly where it belongs. */
export function reportsContaining(srv: Server, text: string): ReportRow[] {
  const ring = keyringOfDatabase(srv.dbPath);
  return withDb(srv, (db) => (db.prepare('SELECT * FROM reports').all() as ReportRow[]).map((r) => openReport(ring, r))).filter((r) =>
    [r.person_name, r.description, r.place, r.street, r.location_description, r.reporter_name, r.reporter_email].some((v) => v?.includes(text)),
  );
}

/** Drafts whose stored answers (opened) contain `text`. */
export function draftsContaining(srv: Server, text: string): number {
  const ring = keyringOfDatabase(srv.dbPath);
  return withDb(srv, (db) =>
    (db.prepare('SELECT token_hash, answers FROM drafts').all() as { token_hash: string; answers: string }[]).filter((d) =>
      openValue(ring, 'drafts', 'answers', d.token_hash, d.answers)?.includes(text),
    ).length,
  );
}

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

/** A user's row, its TOTP secret opened (sealed at rest). */
export function userByEmail(srv: Server, email: string): UserRow | undefined {
  const row = withDb(srv, (db) => db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined);
  return row && { ...row, totp_secret: openValue(keyringOfDatabase(srv.dbPath), 'users', 'totp_secret', row.id, row.totp_secret) ?? '' };
}

/** The number of live sessions (pending or complete) of a user. */
export function sessionsOf(srv: Server, userId: number): number {
  return withDb(srv, (db) => (db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(userId) as { n: number }).n);
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

/** Audit rows matching every column given, oldest first. */
export function auditRows(srv: Server, where: Partial<Record<keyof AuditRow, string | number | null>>): AuditRow[] {
  const keys = Object.keys(where) as (keyof AuditRow)[];
  const sql = `SELECT * FROM audit_log${keys.length ? ` WHERE ${keys.map((k) => `${k} IS @${k}`).join(' AND ')}` : ''} ORDER BY id`;
  return withDb(srv, (db) => db.prepare(sql).all(where) as AuditRow[]);
}

/** Every string the database holds anywhere in the audit log, as one text. */
export function auditText(srv: Server = servers.main): string {
  return withDb(srv, (db) => JSON.stringify(db.prepare('SELECT * FROM audit_log').all()));
}

/** An e-mail as the portal sent it: an .eml file in its MAIL_DIR (tests/support/serve.ts), parsed. */
export interface SentMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The e-mail `messageId` as the portal's worker sent it (rendered from the outbox row just before sending),
 * once it has been sent: the .eml file in the server's MAIL_DIR whose Message-ID it is.
 */
export function sentMail(srv: Server, messageId: string): Promise<SentMail> {
  const dir = path.join(path.dirname(srv.dbPath), 'mail');
  return eventually(async () => {
    for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')) : []) {
      const parsed = await simpleParser(readFileSync(path.join(dir, file)));
      if (parsed.messageId === messageId) return { subject: parsed.subject ?? '', text: parsed.text ?? '', html: parsed.html || '' };
    }
    return undefined;
  }, 15_000, `the mail ${messageId} sent`);
}

/** The e-mails a report put in the outbox: kind and recipient, and whether `text` is in the stored row or in the mail as sent. */
export async function outboxOf(srv: Server, reportId: number, text: string): Promise<{ kind: string; recipient: string; containsText: boolean }[]> {
  const rows = withDb(srv, (db) =>
    db.prepare('SELECT kind, recipient, message_id, params, subject, text_body, html_body FROM outbox WHERE report_id = ? ORDER BY kind').all(reportId) as {
      kind: string; recipient: string; message_id: string; params: string | null; subject: string | null; text_body: string | null; html_body: string | null;
    }[],
  );
  return Promise.all(rows.map(async (m) => {
    const sent = await sentMail(srv, m.message_id);
    return {
      kind: m.kind,
      recipient: openValue(keyringOfDatabase(srv.dbPath), 'outbox', 'recipient', m.message_id, m.recipient) ?? '',
      containsText: [m.params, m.subject, m.text_body, m.html_body, sent.subject, sent.text, sent.html].some((v) => v?.includes(text)),
    };
  }));
}

// ---------------------------------------------------------------------------------------------
// Staff accounts and sessions.

/** A new account on `srv`, made with the real `user:add` command (tests/support/users.ts). */
export function createAccount(srv: Server, role: StaffRole, options: Pick<NewUser, 'name' | 'serviceNumber'> = {}): StaffAccount {
  return addUser(srv.dbPath, role, options);
}

const shared = new Map<string, StaffAccount>();

/**
 * The account of `role` on `srv` that this worker's tests share: made once, reused (a login by
 * session row uses no TOTP code, so nothing wears out). Tests that look at "my" lists, or change an
 * account, make their own with `createAccount`.
 */
export function sharedAccount(srv: Server, role: StaffRole): StaffAccount {
  const key = `${srv.name}:${role}`;
  let account = shared.get(key);
  if (!account) {
    account = createAccount(srv, role);
    shared.set(key, account);
  }
  return account;
}

/** Where each role lands when it opens /intern. */
export const HOME: Record<StaffRole, string> = {
  kcc: '/intern/kcc/melding',
  boa: '/intern/boa/melding',
  coordinator: '/intern/triage',
  admin: '/intern/beheer',
};

// The session as src/features/auth/login.server.ts makes it after the code step (table `sessions`,
// db/migrations/0003-staff.sql): a random 256-bit token in the cookie, its SHA-256 (hex) in the row,
// stage 'complete', 8 hours absolute. The cookie is `mb_sessie` outside production
// (src/features/auth/cookies.server.ts).
const SESSION_COOKIE = 'mb_sessie';
const ABSOLUTE_MS = 8 * 3_600_000;

function writeSession(srv: Server, account: StaffAccount): string {
  const token = randomBytes(32).toString('base64url');
  const at = serverNow(srv);
  withWritableDb(srv, (db) =>
    db
      .prepare(`INSERT INTO sessions (token_hash, user_id, stage, return_to, created_at, last_seen_at, expires_at) VALUES (?, ?, 'complete', NULL, ?, ?, ?)`)
      .run(createHash('sha256').update(token).digest('hex'), account.id, at.toISOString(), at.toISOString(), new Date(at.getTime() + ABSOLUTE_MS).toISOString()),
  );
  return token;
}

function resolve(srv: Server, who: StaffRole | StaffAccount): StaffAccount {
  return typeof who === 'string' ? sharedAccount(srv, who) : who;
}

/** The session works: /intern sends this role to its start page. */
async function expectLoggedIn(req: APIRequestContext, srv: Server, account: StaffAccount): Promise<void> {
  const home = await req.get(`${srv.origin}/intern`, { maxRedirects: 0 });
  expect(locationPath(home), `session of ${account.email}`).toBe(HOME[account.role]);
}

/**
 * Logs a browser (a page's context, or a context) in on `srv` without the login pages: writes a
 * session row into the server's SQLite file and sets the session cookie. `who` is a role (the
 * shared account of that role) or an account. Only the login specs go through the TOTP login.
 */
export async function loginAs(target: Page | BrowserContext, srv: Server, who: StaffRole | StaffAccount): Promise<StaffAccount> {
  const { account, context } = await withSession(target, srv, who);
  await expectLoggedIn(context.request, srv, account);
  return account;
}

/** The session row and its cookie of `loginAs`, without checking that the server lets it in. */
export async function withSession(target: Page | BrowserContext, srv: Server, who: StaffRole | StaffAccount): Promise<{ account: StaffAccount; context: BrowserContext }> {
  const account = resolve(srv, who);
  const context = 'context' in target && typeof target.context === 'function' ? (target as Page).context() : (target as BrowserContext);
  await context.addCookies([{ name: SESSION_COOKIE, value: writeSession(srv, account), url: srv.origin, httpOnly: true, sameSite: 'Strict' }]);
  return { account, context };
}

/** A request context of its own (cookie jar included) logged in on `srv` by session row. Dispose it after use. */
export async function staffRequest(srv: Server, who: StaffRole | StaffAccount): Promise<APIRequestContext> {
  const account = resolve(srv, who);
  const { hostname } = new URL(srv.origin);
  const req = await request.newContext({
    baseURL: srv.origin,
    storageState: {
      cookies: [{ name: SESSION_COOKIE, value: writeSession(srv, account), domain: hostname, path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Strict' }],
      origins: [],
    },
  });
  await expectLoggedIn(req, srv, account);
  return req;
}

// ---------------------------------------------------------------------------------------------
// The test function, with fixtures.

export interface Fixtures {
  /** Request contexts logged in by session row (see `staffRequest`), disposed after the test. */
  staffClient: (srv: Server, who: StaffRole | StaffAccount) => Promise<APIRequestContext>;
}

export const test = base.extend<Fixtures>({
  // Playwright reads a fixture's dependencies from the destructuring pattern: none here.
  staffClient: async ({}, use) => {
    const made: APIRequestContext[] = [];
    await use(async (srv, who) => {
      const req = await staffRequest(srv, who);
      made.push(req);
      return req;
    });
    for (const req of made) await req.dispose();
  },
});
