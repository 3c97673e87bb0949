// Time-outs and throttling, with the staff server's test clock (TEST_CLOCK_FILE): idle expiry after
// 30 minutes, absolute expiry after 8 hours, and login throttling that lifts after 15 minutes.
//
// Moving the clock would end the sessions and break the TOTP codes of any other test on the staff
// server, so these tests hold Playwright's built-in `-exclusive-` lock: they run while no other
// test runs, one after another, and put the clock back afterwards.
import type { Page } from '@playwright/test';
import { createAccount, expect, servers, sessionsOf, submit, test, userByEmail } from '../fixtures.ts';
import { codeFor, login, sessionCookie, setClockOffset } from './staff-utils.ts';

test.describe.configure({ mode: 'serial', lock: '-exclusive-' });

const staff = servers.staff;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const THROTTLED = 'Er is te vaak geprobeerd in te loggen. Wacht 15 minuten en probeer het dan opnieuw.';

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

test('throttling: after 5 failures the account gets "te vaak" (429); 16 minutes later it logs in again', async ({ page }) => {
  const coordinator = createAccount(staff, 'coordinator');
  const other = createAccount(staff, 'kcc');
  // Start 16 minutes ahead: a fresh 15-minute window, whatever failed earlier in this run.
  const start = 16 * MINUTE;
  setClockOffset(start);
  const attempt = async (password: string) => {
    await page.goto(`${staff.origin}/intern/inloggen`);
    await page.getByLabel('E-mailadres').fill(coordinator.email);
    await page.getByLabel('Wachtwoord').fill(password);
    return submit(page, 'Inloggen');
  };
  for (let n = 1; n <= 5; n++) {
    const response = await attempt(`verkeerd wachtwoord ${n}`);
    expect(response.status(), `attempt ${n}`).toBe(400);
    await expect(page.getByRole('alert')).toContainText('Inloggen is niet gelukt.');
  }
  // Now even the right password is refused, with the Dutch "te vaak" message.
  const refused = await attempt(coordinator.password);
  expect(refused.status()).toBe(429);
  await expect(page).toHaveTitle(/^Fout: /);
  await expect(page.getByRole('alert')).toContainText(THROTTLED);
  await expect(page.getByRole('alert')).toContainText('te vaak');
  expect(sessionsOf(staff, userByEmail(staff, coordinator.email)!.id)).toBe(0);

  // Another account from the same computer is not locked out.
  await login(page, staff, other, { code: codeFor(other, 0, start) });
  await expect(page).toHaveURL(`${staff.origin}/intern/kcc/melding`);
  await page.context().clearCookies();

  // Thirteen minutes later: still throttled.
  setClockOffset(start + 13 * MINUTE);
  expect((await attempt(coordinator.password)).status()).toBe(429);

  // Sixteen minutes after the failures: no permanent lock-out.
  const later = start + 16 * MINUTE;
  setClockOffset(later);
  await login(page, staff, coordinator, { code: codeFor(coordinator, 0, later) });
  await expect(page).toHaveURL(`${staff.origin}/intern/triage`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meldingen');
});
