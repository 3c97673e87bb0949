// The staff pages: the real login with a TOTP code computed here (for the specs that test the
// login itself), the staff server's test clock, and the KCC and BOA forms (spec §3 and §4) filled
// and checked by their exact Dutch labels.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { simpleParser } from 'mailparser';
import { PNG } from 'pngjs';
import { request, type APIRequestContext, type APIResponse, type Cookie, type Page, type Response } from '@playwright/test';
import { timeStep, totpCode } from '#features/auth/totp.server.ts';
import { amsterdamLocal, type Case, type Concerns, type Observation, type Person, type PoliceFacts, type Reporter } from '../../fixtures/cases.ts';
import {
  OPTION,
  Q,
  REFERENCE,
  createAccount,
  expect,
  field,
  fillConcerns,
  fillPerson,
  fillText,
  loginAs,
  option,
  postForm,
  servers,
  submit,
  type Server,
  type Some,
  type StaffAccount,
} from '../fixtures.ts';

// ---------------------------------------------------------------------------------------------
// The staff server's clock.

/** Moves the staff server's clock `ms` ahead of the real time (0: back to the present). */
export function setClockOffset(ms: number): void {
  writeFileSync(servers.staff.clockFile!, String(ms));
}

// An offset left behind by an interrupted run would end every staff session and break every code:
// start at the real time. (Tests that move the clock hold the `-exclusive-` lock, so no test file is
// loaded while one of them runs.)
if (existsSync(path.dirname(servers.staff.clockFile!))) setClockOffset(0);

// ---------------------------------------------------------------------------------------------
// The real login: e-mail, password and the TOTP code on one form.

/** The current TOTP code, `stepOffset` steps (30 s) from now, for the server clock offset given. */
export function codeFor(account: StaffAccount, stepOffset = 0, clockOffsetMs = 0): string {
  return totpCode(account.secret, timeStep(new Date(Date.now() + clockOffsetMs)) + stepOffset);
}

/** A code that is valid for none of the steps the server accepts now (current ± 1). */
export function wrongCode(account: StaffAccount, clockOffsetMs = 0): string {
  const valid = new Set([-1, 0, 1].map((d) => codeFor(account, d, clockOffsetMs)));
  for (let n = 7; ; n++) {
    const code = codeFor(account, n, clockOffsetMs);
    if (!valid.has(code)) return code;
  }
}

/** Fills the login form (e-mail, password, code) on the page it is on (or `path`) and sends it; ends on the page the server sends to. */
export async function login(page: Page, srv: Server, account: Pick<StaffAccount, 'email' | 'password' | 'secret'>, options: { path?: string; code?: string; password?: string } = {}): Promise<void> {
  await page.goto(`${srv.origin}${options.path ?? '/intern/inloggen'}`);
  await page.getByLabel('E-mailadres', { exact: true }).fill(account.email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(options.password ?? account.password);
  await page.getByLabel('Code', { exact: true }).fill(options.code ?? totpCode(account.secret, timeStep(new Date())));
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
}

/** Posts the login form with `req` (which keeps the cookie); the answer as it comes (303 when it worked). */
export function postLogin(req: APIRequestContext, srv: Server, fields: { email: string; password: string; code: string }, headers: Record<string, string> = {}): Promise<APIResponse> {
  return postForm(req, `${srv.origin}/intern/inloggen`, fields, { origin: srv.origin, headers });
}

/**
 * Logs `account` in through the login post with `req` (which keeps the cookie). Returns the response:
 * a 303 to the role's start page.
 */
export async function loginWithRequest(req: APIRequestContext, srv: Server, account: StaffAccount, code = codeFor(account)): Promise<APIResponse> {
  const answer = await postLogin(req, srv, { email: account.email, password: account.password, code });
  expect(answer.status(), `login of ${account.email}`).toBe(303);
  return answer;
}

/** A fresh request context (its own cookie jar) logged in as `account` through the login posts. Dispose it after use. */
export async function requestLoggedInByCode(srv: Server, account: StaffAccount): Promise<APIRequestContext> {
  const req = await request.newContext({ baseURL: srv.origin });
  await loginWithRequest(req, srv, account);
  return req;
}

// ---------------------------------------------------------------------------------------------
// Mail and QR codes, as the person receives and sees them.

/** The mails a server wrote to its MAIL_DIR (no SMTP server) to `to`, oldest first: subject and text. */
export async function mailsTo(srv: Server, to: string): Promise<{ subject: string; text: string; file: string }[]> {
  const dir = path.join(path.dirname(srv.dbPath), 'mail');
  if (!existsSync(dir)) return [];
  const found: { subject: string; text: string; file: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.eml')).sort()) {
    const mail = await simpleParser(readFileSync(path.join(dir, file)));
    const recipients = [mail.to].flat().flatMap((a) => a?.value ?? []).map((a) => a.address?.toLowerCase());
    if (recipients.includes(to.toLowerCase())) found.push({ subject: mail.subject ?? '', text: mail.text ?? '', file });
  }
  return found;
}

/** The one-time link (`/intern/welkom` or `/intern/wachtwoord-instellen`) in the newest mail to `to` that has one; waits for the mail worker. */
export async function linkInMail(srv: Server, to: string, kind: 'welkom' | 'wachtwoord-instellen', after = 0): Promise<string> {
  const pattern = new RegExp(`${srv.origin.replace(/[.:/]/g, '\\$&')}/intern/${kind}\\?sleutel=[A-Za-z0-9_-]{43}`);
  let link: string | undefined;
  await expect
    .poll(async () => {
      const mails = (await mailsTo(srv, to)).slice(after);
      link = mails.map((m) => pattern.exec(m.text)?.[0]).filter(Boolean).at(-1);
      return link !== undefined;
    }, { message: `a mail to ${to} with a ${kind} link`, timeout: 15_000 })
    .toBe(true);
  return link!;
}

/** Reads the QR code the page shows (a screenshot of the SVG, decoded), as a phone's camera would. */
export async function scanQr(page: Page): Promise<string> {
  const png = PNG.sync.read(await page.locator('svg.mb-qr').screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(code, 'a readable QR code').not.toBeNull();
  return code!.data;
}

/** The secret in an otpauth:// URI. */
export function secretOf(uri: string): string {
  const secret = /[?&]secret=([A-Z2-7]+)/.exec(uri)?.[1];
  expect(secret, uri).toBeDefined();
  return secret!;
}

/** The session cookie of a browser context (named mb_sessie on http://localhost). */
export async function sessionCookie(page: Page): Promise<Cookie | undefined> {
  return (await page.context().cookies()).find((c) => c.name === 'mb_sessie');
}

// ---------------------------------------------------------------------------------------------
// The KCC and BOA forms.

/** The questions only the staff forms ask, and their buttons. */
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

/** What a KCC agent or an officer types; what is left out (undefined) stays unanswered. */
export interface StaffAnswers {
  acute: 'ja' | 'nee';
  intakeMethod?: Case['intakeMethod'] | undefined;
  person: Some<Person>;
  concerns: Some<Concerns>;
  /** KCC: the caller. */
  caller?: Some<Reporter> | undefined;
  /** BOA: what was seen. */
  observation?: Some<Observation> | undefined;
}

/** A case as the KCC agent (the reporter on the phone) or the officer enters it; no direct danger. */
export function staffAnswers(c: Case, channel: 'kcc' | 'boa'): StaffAnswers {
  const common = { acute: 'nee' as const, person: c.person, concerns: c.concerns };
  return channel === 'kcc' ? { ...common, intakeMethod: c.intakeMethod, caller: c.reporter } : { ...common, observation: c.observation };
}

/** Creates an account of `channel` (or takes `account`), logs it in by session row and opens its form. */
export async function openStaffForm(page: Page, channel: 'kcc' | 'boa', account?: StaffAccount): Promise<StaffAccount> {
  const staff = await loginAs(page, servers.staff, account ?? createAccount(servers.staff, channel));
  await page.goto(`${servers.staff.origin}/intern/${channel}/melding`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(channel === 'kcc' ? 'Melding namens beller' : 'Melding van een waarneming');
  return staff;
}

/** Fills a staff form (KCC or BOA) from top to bottom; leaves out what `a` leaves out. */
export async function fillStaffForm(page: Page, a: StaffAnswers): Promise<void> {
  await option(page, Q.acute, OPTION.yesNo[a.acute]).check();
  if (a.intakeMethod) await option(page, S.intakeMethod, OPTION.intakeMethod[a.intakeMethod]).check();
  await fillPerson(page, a.person);
  await fillConcerns(page, a.concerns);
  if (a.caller) {
    const k = a.caller;
    if (k.relation) await option(page, S.callerRelation, OPTION.relation[k.relation]).check();
    if (k.anonymous) await field(page, S.callerAnonymous).check();
    await fillText(page, S.callerName, k.name);
    await fillText(page, S.callerPhone, k.phone);
    await fillText(page, S.callerEmail, k.email);
  }
  if (a.observation) {
    const o = a.observation;
    await fillText(page, S.observedAt, o.observedAt);
    if (o.policePresent) await option(page, S.policePresent, OPTION.yesNo[o.policePresent]).check();
    await fillText(page, S.policeReference, o.policeReference);
  }
}

/** Asserts every answer in `a` is still in the form (after an error, or the acute warning). */
export async function expectStaffForm(page: Page, a: StaffAnswers): Promise<void> {
  const text = async (label: string, value: string | undefined) => {
    if (value !== undefined) await expect(field(page, label), label).toHaveValue(value);
  };
  const checked = async (legend: string, label: string | undefined) => {
    if (label !== undefined) await expect(option(page, legend, label), `${legend}: ${label}`).toBeChecked();
  };
  await checked(Q.acute, OPTION.yesNo[a.acute]);
  if (a.intakeMethod) await checked(S.intakeMethod, OPTION.intakeMethod[a.intakeMethod]);
  const p = a.person;
  await text(Q.personName, p.name);
  if (p.age) await checked(Q.age, OPTION.age[p.age]);
  if (p.location) await checked(Q.location, OPTION.location[p.location]);
  await text(Q.postcode, p.postcode);
  await text(Q.houseNumber, p.houseNumber);
  await text(Q.addition, p.addition);
  await text(Q.street, p.street);
  await text(Q.place, p.place);
  await text(Q.locationDescription, p.locationDescription);
  if (p.children) await checked(Q.children, OPTION.yesNoUnknown[p.children]);
  const c = a.concerns;
  for (const concern of c.concerns ?? []) await checked(Q.concerns, OPTION.concerns[concern]);
  await text(Q.description, c.description);
  if (c.since) await checked(Q.since, OPTION.since[c.since]);
  if (c.dangerToSelf) await checked(Q.dangerToSelf, OPTION.yesNoUnknown[c.dangerToSelf]);
  if (c.dangerToOthers) await checked(Q.dangerToOthers, OPTION.yesNoUnknown[c.dangerToOthers]);
  if (c.personAware) await checked(Q.personAware, OPTION.yesNoUnknown[c.personAware]);
  for (const who of c.involved ?? []) await checked(Q.involved, OPTION.involved[who]);
  if (a.caller) {
    const k = a.caller;
    if (k.relation) await checked(S.callerRelation, OPTION.relation[k.relation]);
    if (k.anonymous) await expect(field(page, S.callerAnonymous)).toBeChecked();
    else await expect(field(page, S.callerAnonymous)).not.toBeChecked();
    await text(S.callerName, k.name);
    await text(S.callerPhone, k.phone);
    await text(S.callerEmail, k.email);
  }
  if (a.observation) {
    const o = a.observation;
    await text(S.observedAt, o.observedAt);
    if (o.policePresent) await checked(S.policePresent, OPTION.yesNo[o.policePresent]);
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

/** The saved page after a staff report: its reference (checked against the spec's pattern). */
export async function savedReference(page: Page, channel: 'kcc' | 'boa' | 'politie'): Promise<string> {
  await expect(page).toHaveURL(new RegExp(`/intern/${channel}/opgeslagen/MB-[A-Z2-9]{8}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Melding opgeslagen' })).toBeVisible();
  const reference = (await page.locator('#referentienummer').innerText()).trim();
  expect(reference).toMatch(REFERENCE);
  expect(page.url()).toContain(reference);
  return reference;
}

// ---------------------------------------------------------------------------------------------
// The police form (E33, spec §4a).

/** The police's own questions (exact labels, spec §4a). */
export const P = {
  policeReference: 'Registratienummer politie',
  incidentAt: 'Datum en tijd van het incident',
  incidentPlace: 'Plaats van het incident',
  policeRequest: 'Wat vraagt de politie?',
  policeFeedback: 'Wil de politie terugkoppeling?',
  policeOfficer: 'Naam politiemedewerker',
  policeTeam: 'Team of basisteam',
  policePhone: 'Telefoonnummer politie',
  policeEmail: 'E-mailadres politie',
  description: 'Omschrijving van de situatie',
} as const;

/** A registration number nobody else uses, as the police write it. */
export const registration = (): string => `PL0100-2026${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

export function policeFacts(tag: string, over: Partial<PoliceFacts> = {}): PoliceFacts {
  return {
    policeReference: registration(),
    incidentAt: amsterdamLocal(new Date(Date.now() - 2 * 3_600_000)),
    incidentPlace: `Stationsplein ${tag}`,
    policeRequest: `Graag beoordelen ${tag}`,
    policeFeedback: 'ja',
    policeOfficer: `Agent ${tag}`,
    policeTeam: 'Basisteam Westerkwartier',
    policePhone: '0900 8844',
    policeEmail: `wijkagent.${tag}@politie.example`,
    ...over,
  };
}

export async function fillPoliceForm(page: Page, c: Case, f: PoliceFacts): Promise<void> {
  await fillText(page, P.policeReference, f.policeReference);
  await fillText(page, P.incidentAt, f.incidentAt);
  await fillText(page, P.incidentPlace, f.incidentPlace);
  await fillText(page, P.policeRequest, f.policeRequest);
  await option(page, P.policeFeedback, OPTION.yesNo[f.policeFeedback]).check();
  await fillPerson(page, c.person);
  await fillConcerns(page, c.concerns, P.description);
  await fillText(page, P.policeOfficer, f.policeOfficer);
  await fillText(page, P.policeTeam, f.policeTeam);
  await fillText(page, P.policePhone, f.policePhone);
  await fillText(page, P.policeEmail, f.policeEmail);
}

export async function expectPoliceForm(page: Page, c: Case, f: PoliceFacts): Promise<void> {
  for (const key of ['policeReference', 'incidentAt', 'incidentPlace', 'policeRequest', 'policeOfficer', 'policeTeam', 'policePhone', 'policeEmail'] as const) {
    await expect(field(page, P[key]), P[key]).toHaveValue(f[key]);
  }
  await expect(option(page, P.policeFeedback, OPTION.yesNo[f.policeFeedback])).toBeChecked();
  await expect(field(page, Q.personName)).toHaveValue(c.person.name!);
  await expect(field(page, P.description)).toHaveValue(c.concerns.description);
  for (const concern of c.concerns.concerns) await expect(option(page, Q.concerns, OPTION.concerns[concern])).toBeChecked();
}

/**
 * Opens an invitation link in `page` and finishes it as the new colleague would: scans the QR code
 * (decoded from the page's SVG), chooses `password`, types the app's code. Returns the secret the app got.
 */
export async function acceptInvitation(page: Page, link: string, password: string): Promise<string> {
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Account activeren');
  const uri = await scanQr(page);
  expect(uri).toMatch(/^otpauth:\/\/totp\/Meldpunt%20Bezorgd%3A[^?]+\?secret=[A-Z2-7]{32}&issuer=Meldpunt%20Bezorgd&algorithm=SHA1&digits=6&period=30$/);
  const secret = secretOf(uri);
  // The same secret is printed beside it in groups of four, for typing.
  await expect(page.locator('#sleutel-tekst')).toHaveText(secret.replace(/(.{4})(?=.)/g, '$1 '));
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
  await page.getByLabel('Code', { exact: true }).fill(totpCode(secret, timeStep(new Date())));
  const answer = await submit(page, 'Account activeren');
  expect(answer.status()).toBe(303);
  await expect(page).toHaveURL(/\/intern\/inloggen\?melding=welkom$/);
  await expect(page.getByRole('status')).toHaveText('Uw account is klaar. Log in met uw wachtwoord en de code uit uw app.');
  return secret;
}
