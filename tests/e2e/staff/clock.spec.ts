// Time-outs and throttling, with the staff server's test clock (TEST_CLOCK_FILE): idle expiry after
// 30 minutes, absolute expiry after 8 hours, and login throttling per (account, address) with growing
// waits that lift within 15 minutes.
//
// Moving the clock would end the sessions and break the TOTP codes of any other test on the staff
// server, so these tests hold Playwright's built-in `-exclusive-` lock: they run while no other
// test runs, one after another, and put the clock back afterwards.
import type { APIRequestContext, Page } from '@playwright/test';
import { createAccount, expect, postForm, servers, sessionsOf, submit, test, uniqueIp, userByEmail } from '../fixtures.ts';
import { codeFor, login, sessionCookie, setClockOffset } from './staff-utils.ts';

test.describe.configure({ mode: 'serial', lock: '-exclusive-' });

const staff = servers.staff;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const throttledText = (minutes: number): string =>
  `Er is te vaak geprobeerd in te loggen. Wacht ${minutes === 1 ? '1 minuut' : `${minutes} minuten`} en probeer het dan opnieuw.`;

test.afterEach(() => setClockOffset(0));

/** Opens `path` in the browser's session at clock offset `offset`: the status before any redirect. */
async function statusAt(page: Page, offset: number, path: string): Promise<{ status: number; location: string | undefined }> {
  setClockOffset(offset);
  const response = await page.request.get(`${staff.origin}${path}`, { maxRedirects: 0 });
  return { status: response.status(), location: response.headers()['location'] };
}

test('idle time-out: a session unused for more than 30 minutes ends; use keeps it alive', async ({ page }) => {
  const kcc = createAccount(staff, 'kcc');
  await login(page, staff, kcc);
  await expect(page).toHaveURL(`${staff.origin}/intern/kcc/melding`);
  const userId = userByEmail(staff, kcc.email)!.id;

  // 29 minutes idle: still in (and this request counts as use).
  expect(await statusAt(page, 29 * MINUTE, '/intern/kcc/melding')).toMatchObject({ status: 200 });
  // Another 29 minutes after that use: still in.
  expect(await statusAt(page, 58 * MINUTE, '/intern/kcc/melding')).toMatchObject({ status: 200 });
  // 31 minutes idle: the session has ended.
  setClockOffset(89 * MINUTE);
  await page.reload();
  await expect(page).toHaveURL(`${staff.origin}/intern/inloggen?terug=%2Fintern%2Fkcc%2Fmelding`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen voor medewerkers');
  expect(sessionsOf(staff, userId)).toBe(0);
  // Back to the present: the session does not come back.
  expect(await statusAt(page, 0, '/intern/kcc/melding')).toMatchObject({ status: 303 });
});

test('absolute time-out: after 8 hours the session ends, however busy', async ({ page }) => {
  const boa = createAccount(staff, 'boa');
  await login(page, staff, boa);
  await expect(page).toHaveURL(`${staff.origin}/intern/boa/melding`);
  const token = (await sessionCookie(page))!.value;

  // Used every 25 minutes for 7 h 55 min: never idle, always in.
  for (let minutes = 25; minutes <= 475; minutes += 25) {
    expect(await statusAt(page, minutes * MINUTE, '/intern/boa/melding'), `after ${minutes} minutes`).toMatchObject({ status: 200 });
  }
  // Six minutes later (not idle), 8 h 1 min after login: out.
  setClockOffset(8 * HOUR + MINUTE);
  await page.reload();
  await expect(page).toHaveURL(`${staff.origin}/intern/inloggen?terug=%2Fintern%2Fboa%2Fmelding`);
  // Back in the present, the old token stays refused.
  setClockOffset(0);
  const replay = await page.request.get(`${staff.origin}/intern/boa/melding`, { maxRedirects: 0, headers: { Cookie: `mb_sessie=${token}` } });
  expect(replay.status()).toBe(303);
  expect(sessionsOf(staff, userByEmail(staff, boa.email)!.id)).toBe(0);
});

/** A password attempt for `email` from the client address `ip` (the staff server trusts X-Forwarded-For from loopback). */
async function passwordFrom(request: APIRequestContext, ip: string, email: string, password: string) {
  const response = await postForm(request, `${staff.origin}/intern/inloggen`, { email, password }, { origin: staff.origin, headers: { 'X-Forwarded-For': ip } });
  return { status: response.status(), text: await response.text() };
}

test('throttling per account and address: growing waits for the attacker, never a lock-out of the account', async ({ page, browser, request }) => {
  const coordinator = createAccount(staff, 'coordinator');
  const attacker = uniqueIp();
  // Start 16 minutes ahead: whatever failed earlier in this run is forgotten.
  let offset = 16 * MINUTE;
  setClockOffset(offset);

  // Three free wrong passwords, then every failure makes the attacker's address wait longer.
  for (let n = 1; n <= 3; n++) expect((await passwordFrom(request, attacker, coordinator.email, `verkeerd ${n}`)).status, `attempt ${n}`).toBe(400);
  const first = await passwordFrom(request, attacker, coordinator.email, 'verkeerd 4');
  expect(first.status).toBe(429);
  expect(first.text).toContain(throttledText(1));
  // Even the right password is refused on that address while it waits.
  expect((await passwordFrom(request, attacker, coordinator.email, coordinator.password)).status).toBe(429);
  offset += MINUTE + 1000;
  setClockOffset(offset);
  expect((await passwordFrom(request, attacker, coordinator.email, 'verkeerd 5')).status).toBe(400);
  const second = await passwordFrom(request, attacker, coordinator.email, 'verkeerd 6');
  expect(second.status).toBe(429);
  expect(second.text).toContain(throttledText(2));
  offset += 2 * MINUTE + 1000;
  setClockOffset(offset);
  expect((await passwordFrom(request, attacker, coordinator.email, 'verkeerd 7')).status).toBe(400);
  expect((await passwordFrom(request, attacker, coordinator.email, 'verkeerd 8')).text).toContain(throttledText(4));

  // Meanwhile the coordinator, on an address without failures, logs in with password and code.
  const own = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': uniqueIp() } });
  const ownPage = await own.newPage();
  await login(ownPage, staff, coordinator, { code: codeFor(coordinator, 0, offset) });
  await expect(ownPage).toHaveURL(`${staff.origin}/intern/triage`);
  await expect(ownPage.getByRole('heading', { level: 1 })).toHaveText('Meldingen');
  await own.close();

  // The browser on the attacker's address sees the Dutch page with 429.
  await page.context().setExtraHTTPHeaders({ 'X-Forwarded-For': attacker });
  await page.goto(`${staff.origin}/intern/inloggen`);
  await page.getByLabel('E-mailadres').fill(coordinator.email);
  await page.getByLabel('Wachtwoord').fill(coordinator.password);
  expect((await submit(page, 'Inloggen')).status()).toBe(429);
  await expect(page).toHaveTitle(/^Fout: /);
  await expect(page.getByRole('alert')).toContainText('Er is te vaak geprobeerd in te loggen.');

  // No permanent lock-out: no wait is longer than 15 minutes; then the right password and code work
  // from that address too.
  offset += 15 * MINUTE;
  setClockOffset(offset);
  await login(page, staff, coordinator, { code: codeFor(coordinator, 0, offset) });
  await expect(page).toHaveURL(`${staff.origin}/intern/triage`);
  // Two sessions: the coordinator's own computer and this one.
  expect(sessionsOf(staff, userByEmail(staff, coordinator.email)!.id)).toBe(2);
});
