// Staff login (spec §6, security guide "Sessions and login"): e-mail, password and a TOTP code computed
// here on one form; one message for every wrong answer, and nothing tells that the password alone was
// right; a code works once; logout and disabling end the session
// on the server; the page asked for comes back after login; cookie attributes; no cookie for readers.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request, type Page } from '@playwright/test';
import { dhrK, kccForm } from '../../fixtures/cases.ts';
import { createAccount, expect, locationPath, marker, postForm, servers, sessionsOf, submit, test, uniqueIp, userByEmail } from '../fixtures.ts';
import { codeFor, login, sessionCookie, wrongCode } from './staff-utils.ts';

const staff = servers.staff;
const FAILED = 'Inloggen is niet gelukt. Controleer uw e-mailadres, wachtwoord en code, en probeer het opnieuw.';
const root = fileURLToPath(new URL('../../..', import.meta.url));

async function loginForm(page: Page, email: string, password: string, code: string) {
  await page.goto(`${staff.origin}/intern/inloggen`);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await page.getByLabel('Code').fill(code);
  return submit(page, /^Inloggen$/);
}

/** The one message the login pages give, with status 400, a "Fout:" title and the summary. */
async function expectLoginFailed(page: Page, status: number): Promise<string> {
  expect(status).toBe(400);
  await expect(page).toHaveTitle(/^Fout: /);
  const summary = page.getByRole('alert');
  await expect(summary.getByRole('heading', { name: 'Er is een probleem' })).toBeVisible();
  await expect(summary.getByRole('link')).toHaveText([FAILED]);
  return (await summary.innerText()).trim();
}

/** A page under /intern, opened with only this session token: 200, or 303 to the login page. */
async function openWithToken(token: string, path: string): Promise<{ status: number; location: string }> {
  const req = await request.newContext({ baseURL: staff.origin, extraHTTPHeaders: { Cookie: `mb_sessie=${token}` } });
  try {
    const response = await req.get(path, { maxRedirects: 0 });
    return { status: response.status(), location: locationPath(response) };
  } finally {
    await req.dispose();
  }
}

test.describe('staff login', () => {
  test('e-mail, password and TOTP code on one form: lands on the start page; HttpOnly, SameSite=Strict cookie', async ({ page }) => {
    const kcc = createAccount(staff, 'kcc');
    await page.goto(`${staff.origin}/intern/inloggen`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen voor medewerkers');
    // Reading the login page gives no cookie; without single sign-on configured there is no button for it.
    expect(await page.context().cookies()).toEqual([]);
    await expect(page.getByRole('link', { name: 'Inloggen met uw organisatie-account' })).toHaveCount(0);

    const answer = await loginForm(page, kcc.email, kcc.password, codeFor(kcc));
    expect(answer.status()).toBe(303);
    await expect(page).toHaveURL(`${staff.origin}/intern/kcc/melding`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Melding namens beller');
    await expect(page.getByRole('navigation', { name: 'Menu medewerkers' })).toContainText(`${kcc.name} (KCC-medewerker)`);

    const session = await sessionCookie(page);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // 256 bits, base64url.
    expect(session!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await openWithToken(session!.value, '/intern/kcc/melding')).toEqual({ status: 200, location: '' });
    const user = userByEmail(staff, kcc.email)!;
    expect(sessionsOf(staff, user.id)).toBe(1);
    expect(user.totp_last_step).toBeGreaterThan(0);
    // The old code page is gone: the password alone never leads anywhere.
    expect((await page.request.get(`${staff.origin}/intern/inloggen/code`, { maxRedirects: 0 })).status()).toBe(404);
  });

  test('a wrong e-mail, a wrong password and a wrong code all get the same Dutch message: the right password is not revealed', async ({ page }) => {
    const kcc = createAccount(staff, 'kcc');
    const messages: string[] = [];
    const pages: string[] = [];
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '');

    for (const [email, password, code] of [
      [`niemand-${marker()}@test.example`, kcc.password, codeFor(kcc)],
      [kcc.email, `${kcc.password}x`, codeFor(kcc)],
      [kcc.email, kcc.password, wrongCode(kcc)],
      [kcc.email, kcc.password, ''],
    ] as const) {
      const answer = await loginForm(page, email, password, code);
      messages.push(await expectLoginFailed(page, answer.status()));
      await expect(page).toHaveURL(`${staff.origin}/intern/inloggen`);
      // The e-mail address stays, the password and code never come back.
      await expect(page.getByLabel('E-mailadres')).toHaveValue(email);
      await expect(page.getByLabel('Wachtwoord')).toHaveValue('');
      await expect(page.getByLabel('Code')).toHaveValue('');
      pages.push(strip(await page.locator('main').innerHTML()));
    }
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toContain(FAILED);
    // The wrong password and the right password with a wrong code get the very same page.
    expect(pages[2]).toBe(pages[1]);
    // Nothing let the user in, and no session was started for the right password.
    expect(sessionsOf(staff, userByEmail(staff, kcc.email)!.id)).toBe(0);
    expect(await sessionCookie(page)).toBeUndefined();

    // The right three together still work (from another computer: this one has failed four times, and waits).
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': uniqueIp() });
    await loginForm(page, kcc.email, kcc.password, codeFor(kcc));
    await expect(page).toHaveURL(`${staff.origin}/intern/kcc/melding`);
  });

  test('logout ends the session on the server; the code used cannot log in again', async ({ page }) => {
    const boa = createAccount(staff, 'boa');
    const code = codeFor(boa);
    await login(page, staff, boa, { code });
    await expect(page).toHaveURL(`${staff.origin}/intern/boa/melding`);
    const token = (await sessionCookie(page))!.value;
    const userId = userByEmail(staff, boa.email)!.id;
    expect(sessionsOf(staff, userId)).toBe(1);

    const out = await submit(page, 'Uitloggen');
    expect(out.status()).toBe(303);
    await expect(page).toHaveURL(`${staff.origin}/intern/inloggen?uitgelogd=1`);
    await expect(page.getByRole('status')).toHaveText('U bent uitgelogd.');
    expect(await sessionCookie(page)).toBeUndefined();
    expect(sessionsOf(staff, userId)).toBe(0);
    // The old cookie, sent again, opens nothing.
    expect(await openWithToken(token, '/intern/boa/melding')).toEqual({ status: 303, location: '/intern/inloggen?terug=%2Fintern%2Fboa%2Fmelding' });
    await page.goto(`${staff.origin}/intern/boa/melding`);
    await expect(page).toHaveURL(/\/intern\/inloggen\?terug=/);

    // The same code again (the e-mail address typed in capitals this time): refused with the one message.
    const reused = await loginForm(page, boa.email.toUpperCase(), boa.password, code);
    await expectLoginFailed(page, reused.status());
    // The next step's code is new, and works.
    await loginForm(page, boa.email.toUpperCase(), boa.password, codeFor(boa, 1));
    await expect(page).toHaveURL(`${staff.origin}/intern/boa/melding`);
  });

  test('a disabled account (npm run user:disable) loses its session and cannot log in', async ({ page }) => {
    const coordinator = createAccount(staff, 'coordinator');
    await login(page, staff, coordinator);
    await expect(page).toHaveURL(`${staff.origin}/intern/triage`);
    const token = (await sessionCookie(page))!.value;

    const out = execFileSync('npm', ['run', '--silent', 'user:disable', '--', '--email', coordinator.email], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: staff.dbPath },
      encoding: 'utf8',
    });
    expect(out).toContain('is geblokkeerd');
    const user = userByEmail(staff, coordinator.email)!;
    expect(user.disabled_at).not.toBeNull();
    expect(sessionsOf(staff, user.id)).toBe(0);

    await page.reload();
    await expect(page).toHaveURL(`${staff.origin}/intern/inloggen?terug=%2Fintern%2Ftriage`);
    expect(await openWithToken(token, '/intern/triage')).toMatchObject({ status: 303 });

    // The right password and code get the same message as a wrong one.
    const again = await loginForm(page, coordinator.email, coordinator.password, codeFor(coordinator, 1));
    await expectLoginFailed(page, again.status());
    expect(sessionsOf(staff, user.id)).toBe(0);
  });

  test('after login the user lands on the page they asked for', async ({ page, staffClient }) => {
    // A report entered through the KCC form by an agent (logged in by session row: set-up).
    const agent = await staffClient(staff, 'kcc');
    const saved = await postForm(agent, `${staff.origin}/intern/kcc/melding`, kccForm(dhrK(marker())), { origin: staff.origin });
    expect(saved.status()).toBe(303);
    const reference = /MB-[A-Z2-9]{8}$/.exec(locationPath(saved))![0];

    const coordinator = createAccount(staff, 'coordinator');
    await page.goto(`${staff.origin}/intern/triage/${reference}`);
    await expect(page).toHaveURL(`${staff.origin}/intern/inloggen?terug=%2Fintern%2Ftriage%2F${reference}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen voor medewerkers');
    // A typing error first: the page asked for is not forgotten.
    const code = codeFor(coordinator);
    await page.getByLabel('E-mailadres').fill(coordinator.email);
    await page.getByLabel('Wachtwoord').fill(`${coordinator.password}!`);
    await page.getByLabel('Code').fill(code);
    expect((await submit(page, /^Inloggen$/)).status()).toBe(400);
    await page.getByLabel('Wachtwoord').fill(coordinator.password);
    // Typed as an authenticator app shows it, with a space in the middle.
    await page.getByLabel('Code').fill(`${code.slice(0, 3)} ${code.slice(3)}`);
    await submit(page, /^Inloggen$/);
    await expect(page).toHaveURL(`${staff.origin}/intern/triage/${reference}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Melding ${reference}`);
  });

  test('a place to return to outside /intern is ignored: the start page instead', async ({ page }) => {
    const admin = createAccount(staff, 'admin');
    for (const [terug, code] of [['https://evil.example/intern', codeFor(admin)], ['//evil.example/intern/beheer', codeFor(admin, 1)]] as const) {
      await login(page, staff, admin, { path: `/intern/inloggen?terug=${encodeURIComponent(terug)}`, code });
      await expect(page).toHaveURL(`${staff.origin}/intern/beheer`);
      await page.context().clearCookies();
    }
  });

  test('a resident reading the public pages gets no cookie', async ({ page, request }) => {
    for (const path of ['/', '/privacy', '/toegankelijkheid', '/melden', '/melden/bel-112', '/intern/inloggen']) {
      const response = await request.get(`${staff.origin}${path}`, { maxRedirects: 0 });
      expect(response.status(), path).toBe(200);
      expect(response.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie'), path).toEqual([]);
      await page.goto(`${staff.origin}${path}`);
    }
    expect(await page.context().cookies()).toEqual([]);
  });
});
