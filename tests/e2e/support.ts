// Shared helpers for the end-to-end tests of the resident form /melden: the servers, the seed case,
// filling each step by its exact Dutch label (spec §2), reading the SQLite file, and axe scans.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type APIResponse, type Locator, type Page, type Response } from '@playwright/test';
import Database from 'better-sqlite3';
import { PORTS, dataName } from '../playwright.config.ts';

// ---------------------------------------------------------------------------------------------
// Servers (started by tests/playwright.config.ts, each on its own fresh SQLite file).

export interface Server {
  name: string;
  origin: string;
  dbPath: string;
}

const server = (name: string, port: number): Server => ({
  name,
  origin: `http://localhost:${port}`,
  dbPath: fileURLToPath(new URL(`../../data/test/${dataName(name)}/meldpunt.db`, import.meta.url)),
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
  /** Staff tests: a test clock (TEST_CLOCK_FILE) that tests/e2e/staff-support.ts can move. */
  staff: server('staff', PORTS.staff),
} as const;

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
// Answers, by their exact Dutch labels.

export interface PersonStep {
  name?: string;
  age: string;
  location: 'Op een adres' | 'Geen vast adres of adres onbekend';
  postcode?: string;
  houseNumber?: string;
  addition?: string;
  street?: string;
  place?: string;
  locationDescription?: string;
  children?: 'Ja' | 'Nee' | 'Weet ik niet';
}

export interface ConcernStep {
  concerns: string[];
  description: string;
  since: string;
  dangerToSelf: 'Ja' | 'Nee' | 'Weet ik niet';
  dangerToOthers: 'Ja' | 'Nee' | 'Weet ik niet';
  personAware: 'Ja' | 'Nee' | 'Weet ik niet';
  involved?: string[];
}

export interface ReporterStep {
  relation: string;
  anonymous: boolean;
  name?: string;
  phone?: string;
  email?: string;
}

export interface ReportAnswers {
  person: PersonStep;
  concerns: ConcernStep;
  reporter: ReporterStep;
}

/**
 * The seed case "Dhr. P." (Bijlage 1 of the OGGz chain approach, Westerkwartier): drunk on his
 * balcony shouting at passers-by, threatens neighbours, has a plan to saw through the gas pipes so
 * that he and his cats die in an explosion. Danger to himself and to others: urgency `hoog`.
 * `tag` goes into the free texts so each test can find its own row and URLs.
 */
export function dhrP(tag: string, reporter: Partial<ReporterStep> = {}): ReportAnswers {
  return {
    person: {
      name: `Dhr. P. ${tag}`,
      age: '18 jaar of ouder',
      location: 'Op een adres',
      postcode: '9351 ab',
      houseNumber: '12',
      addition: 'B',
      street: 'Hoofdstraat',
      place: 'Leek',
      children: 'Nee',
    },
    concerns: {
      concerns: ['Overlast of agressie', 'Dreigen met geweld', 'Verslaving (alcohol of drugs)', 'Praten over zelfdoding'],
      description:
        `Mijn buurman staat bijna elke avond dronken op zijn balkon en schreeuwt naar iedereen die langsloopt. ` +
        `Hij bedreigt de buren en vernielt spullen in onze tuinen. Vorige week zei hij dat hij een plan heeft: ` +
        `hij wil alle gasleidingen in zijn huis doorzagen, zodat hij en zijn katten samen doodgaan door een ontploffing. ` +
        `Kenmerk ${tag}.`,
      since: 'Een paar maanden',
      dangerToSelf: 'Ja',
      dangerToOthers: 'Ja',
      personAware: 'Nee',
      involved: ['Politie', 'Woningcorporatie'],
    },
    reporter: {
      relation: 'Buurman of buurvrouw',
      anonymous: false,
      name: `Anna de Vries ${tag}`,
      phone: '06 12345678',
      email: `anna.${tag}@example.nl`,
      ...reporter,
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Exactly this label or legend, optionally followed by the marker " (niet verplicht)". */
export function exactLabel(label: string): RegExp {
  return new RegExp(`^${escapeRegExp(label)}( \\(niet verplicht\\))?$`);
}

/** The text field or textarea labelled exactly `label`. */
export function field(page: Page, label: string): Locator {
  return page.getByLabel(exactLabel(label));
}

/** The radio or checkbox group whose legend is exactly `legend`. */
export function group(page: Page, legend: string): Locator {
  return page.getByRole('group', { name: exactLabel(legend) });
}

/** The option `option` in the group `legend`. */
export function option(page: Page, legend: string, label: string): Locator {
  return group(page, legend).getByLabel(label, { exact: true });
}

export const L = {
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

export const NEXT = 'Volgende stap';
export const SEND = 'Melding versturen';

async function fillIf(page: Page, label: string, value: string | undefined): Promise<void> {
  if (value !== undefined) await field(page, label).fill(value);
}

export async function fillAcute(page: Page, answer: 'Ja' | 'Nee'): Promise<void> {
  await option(page, L.acute, answer).check();
}

export async function fillPerson(page: Page, p: PersonStep): Promise<void> {
  await fillIf(page, L.personName, p.name);
  await option(page, L.age, p.age).check();
  await option(page, L.location, p.location).check();
  await fillIf(page, L.postcode, p.postcode);
  await fillIf(page, L.houseNumber, p.houseNumber);
  await fillIf(page, L.addition, p.addition);
  await fillIf(page, L.street, p.street);
  await fillIf(page, L.place, p.place);
  await fillIf(page, L.locationDescription, p.locationDescription);
  if (p.children) await option(page, L.children, p.children).check();
}

export async function fillConcerns(page: Page, c: ConcernStep): Promise<void> {
  for (const concern of c.concerns) await option(page, L.concerns, concern).check();
  await field(page, L.description).fill(c.description);
  await option(page, L.since, c.since).check();
  await option(page, L.dangerToSelf, c.dangerToSelf).check();
  await option(page, L.dangerToOthers, c.dangerToOthers).check();
  await option(page, L.personAware, c.personAware).check();
  for (const who of c.involved ?? []) await option(page, L.involved, who).check();
}

export async function fillReporter(page: Page, r: ReporterStep): Promise<void> {
  await option(page, L.relation, r.relation).check();
  await option(page, L.anonymous, r.anonymous ? 'Ja, ik meld anoniem' : 'Nee, ik geef mijn gegevens').check();
  await fillIf(page, L.reporterName, r.name);
  await fillIf(page, L.phone, r.phone);
  await fillIf(page, L.email, r.email);
}

/** Clicks a submit button and returns the response to the form post (a 303, or the page itself). */
export async function submit(page: Page, button: string = NEXT): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return response;
}

export const STEP_TITLES = {
  1: 'Direct gevaar',
  2: 'Over de persoon',
  3: 'Uw zorgen',
  4: 'Over u',
} as const;

/** Asserts the page is question step `n`: its heading, its indicator and its title. */
export async function expectStep(page: Page, n: 1 | 2 | 3 | 4): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(STEP_TITLES[n]);
  await expect(page.getByText(`Stap ${n} van 5`, { exact: true })).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(`^${STEP_TITLES[n]} \\(stap ${n} van 5\\)`));
}

export async function expectCheckPage(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Controleer uw melding');
  await expect(page.getByText('Stap 5 van 5', { exact: true })).toBeVisible();
  await expect(page).toHaveURL(/\/melden\/controleren$/);
}

/** Walks steps 1–4 from /melden with these answers and stops on the check page. */
export async function walkToCheck(page: Page, answers: ReportAnswers, origin = ''): Promise<void> {
  await page.goto(`${origin}/melden`);
  await expectStep(page, 1);
  await fillAcute(page, 'Nee');
  expect((await submit(page)).status()).toBe(303);
  await expectStep(page, 2);
  await fillPerson(page, answers.person);
  expect((await submit(page)).status()).toBe(303);
  await expectStep(page, 3);
  await fillConcerns(page, answers.concerns);
  expect((await submit(page)).status()).toBe(303);
  await expectStep(page, 4);
  await fillReporter(page, answers.reporter);
  expect((await submit(page)).status()).toBe(303);
  await expectCheckPage(page);
}

/** Sends the report from the check page and returns the reference the confirmation shows. */
export async function sendReport(page: Page): Promise<string> {
  const response = await submit(page, SEND);
  expect(response.status()).toBe(303);
  await expect(page.getByRole('heading', { level: 1, name: 'Bedankt voor uw melding' })).toBeVisible();
  await expect(page).toHaveURL(/\/melden\/bedankt$/);
  const reference = (await page.locator('#referentienummer').innerText()).trim();
  expect(reference).toMatch(REFERENCE);
  return reference;
}

/** Reads the browser's draft cookie (the only cookie the form sets). */
export async function draftCookie(page: Page): Promise<string | undefined> {
  return (await page.context().cookies()).find((c) => c.name === 'mb_melding')?.value;
}

// ---------------------------------------------------------------------------------------------
// The database, read-only.

export interface ReportRow {
  id: number;
  reference: string;
  channel: string;
  status: string;
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
}

export function withDb<T>(srv: Server, use: (db: Database.Database) => T): T {
  const db = new Database(srv.dbPath, { readonly: true, fileMustExist: true });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

export function reportByReference(srv: Server, reference: string): (ReportRow & { concerns: string[] }) | undefined {
  return withDb(srv, (db) => {
    const row = db.prepare('SELECT * FROM reports WHERE reference = ?').get(reference) as ReportRow | undefined;
    if (!row) return undefined;
    const concerns = (db.prepare('SELECT concern FROM report_concerns WHERE report_id = ? ORDER BY concern').all(row.id) as {
      concern: string;
    }[]).map((c) => c.concern);
    return { ...row, concerns };
  });
}

/** Reports (any column of text) that contain `text`: a marker must be found exactly where it belongs. */
export function reportsContaining(srv: Server, text: string): ReportRow[] {
  return withDb(
    srv,
    (db) =>
      db
        .prepare(
          `SELECT * FROM reports WHERE instr(coalesce(person_name, '') || '|' || coalesce(description, '') || '|' ||
             coalesce(place, '') || '|' || coalesce(street, '') || '|' || coalesce(location_description, '') || '|' ||
             coalesce(reporter_name, '') || '|' || coalesce(reporter_email, ''), ?) > 0`,
        )
        .all(text) as ReportRow[],
  );
}

/** Drafts whose stored answers contain `text`. */
export function draftsContaining(srv: Server, text: string): number {
  return withDb(srv, (db) => (db.prepare('SELECT count(*) AS n FROM drafts WHERE instr(answers, ?) > 0').get(text) as { n: number }).n);
}

// ---------------------------------------------------------------------------------------------
// Requests without a browser (hostile input, headers).

/** Posts a urlencoded form; repeated keys (checkboxes) as repeated pairs. Follows no redirects. */
export async function postForm(
  request: APIRequestContext,
  url: string,
  fields: Record<string, string | string[]> | string,
  options: { origin?: string | null; headers?: Record<string, string> } = {},
): Promise<APIResponse> {
  const body =
    typeof fields === 'string'
      ? fields
      : new URLSearchParams(
          Object.entries(fields).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
        ).toString();
  const origin = options.origin === undefined ? new URL(url, servers.main.origin).origin : options.origin;
  return request.post(url, {
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

/** Valid raw answers per step, as the browser would post them (codes, not labels). */
export function rawSteps(tag: string): { persoon: Record<string, string>; zorgen: Record<string, string | string[]>; overU: Record<string, string> } {
  return {
    persoon: {
      personName: `Dhr. P. ${tag}`,
      personAge: '18_plus',
      locationKind: 'adres',
      postcode: '9351 AB',
      houseNumber: '12',
      houseAddition: '',
      street: '',
      place: '',
      locationDescription: '',
      childrenInHome: '',
    },
    zorgen: {
      concerns: ['overlast_agressie', 'dreigen_geweld'],
      description: `Schreeuwt dronken vanaf zijn balkon en bedreigt de buren. ${tag}`,
      concernSince: 'paar_maanden',
      dangerToSelf: 'ja',
      dangerToOthers: 'ja',
      personAware: 'nee',
    },
    overU: { reporterRelation: 'buren', anonymous: 'ja', reporterName: '', reporterPhone: '', reporterEmail: '' },
  };
}

/**
 * Walks steps 1–4 with `request` (its own cookie jar), each overridable, and returns the last
 * response (a 303 to the check page when all was valid).
 */
export async function postSteps(
  request: APIRequestContext,
  origin: string,
  tag: string,
  override: { persoon?: Record<string, string>; zorgen?: Record<string, string | string[]>; overU?: Record<string, string> } = {},
  headers: Record<string, string> = {},
): Promise<APIResponse> {
  const raw = rawSteps(tag);
  const steps: [string, Record<string, string | string[]>][] = [
    ['/melden', { acuteDanger: 'nee' }],
    ['/melden/persoon', { ...raw.persoon, ...override.persoon }],
    ['/melden/zorgen', { ...raw.zorgen, ...override.zorgen }],
    ['/melden/over-u', { ...raw.overU, ...override.overU }],
  ];
  let last: APIResponse | undefined;
  for (const [path, fields] of steps) {
    last = await postForm(request, `${origin}${path}`, fields, { origin, headers });
    expect(last.status(), `${path}: ${(await last.text()).slice(0, 200)}`).toBe(303);
  }
  expect(last!.headers()['location']).toBe('/melden/controleren');
  return last!;
}

/**
 * Answers the steps before `step` with valid answers through the page's own request context, which
 * shares the browser's cookies: a quick way to open a later step with a draft behind it.
 */
export async function answerStepsBefore(page: Page, step: 2 | 3 | 4 | 5, tag: string, srv: Server = servers.main): Promise<void> {
  const raw = rawSteps(tag);
  const steps: [string, Record<string, string | string[]>][] = [
    ['/melden', { acuteDanger: 'nee' }],
    ['/melden/persoon', raw.persoon],
    ['/melden/zorgen', raw.zorgen],
    ['/melden/over-u', raw.overU],
  ];
  for (const [path, fields] of steps.slice(0, step - 1)) {
    const response = await postForm(page.request, `${srv.origin}${path}`, fields, { origin: srv.origin });
    expect(response.status(), path).toBe(303);
  }
}

// ---------------------------------------------------------------------------------------------
// Accessibility.

async function axeScan(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`,
  );
  expect(found, `axe violations on ${what}`).toEqual([]);
}

/**
 * Scans the whole page with axe for WCAG 2.0/2.1 A and AA; fails with the rules and elements found.
 *
 * With JavaScript off axe cannot run in the page itself (Chromium fires no timers there, so its
 * run never ends). Then the DOM this browser shows — the server's HTML, scripts never ran — is
 * scanned in a JavaScript-enabled page of a fresh context, at the same URL so the same stylesheets
 * apply, with the (unexecuted) scripts left out.
 */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  if (test.info().project.use.javaScriptEnabled !== false) return axeScan(page, what);
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/<\/?noscript>/gi, '');
  const url = page.url();
  const context = await page.context().browser()!.newContext({ javaScriptEnabled: true, locale: 'nl-NL' });
  try {
    const copy = await context.newPage();
    await copy.route('**/*', (route) =>
      route.request().isNavigationRequest()
        ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
        : route.continue(),
    );
    await copy.goto(url);
    await axeScan(copy, `${what} (without JavaScript)`);
  } finally {
    await context.close();
  }
}
