// The admin page /intern/beheer (spec §6): create an account (the otpauth:// URI shown once),
// disable it, change its role, reset its second factor; the password rules in Dutch.
import { request, type Locator, type Page } from '@playwright/test';
import {
  createAccount,
  exactLabel as exact,
  expect,
  locationPath,
  loginAs,
  marker,
  postForm,
  servers,
  sessionsOf,
  submit,
  test,
  userByEmail,
  type StaffAccount,
} from '../fixtures.ts';
import { codeFor, expectFormErrors, loginWithRequest, requestLoggedInByCode, wrongCode } from './staff-utils.ts';

const staff = servers.staff;
const URI = /^otpauth:\/\/totp\/Meldpunt%20Bezorgd%3A[^?]+\?secret=([A-Z2-7]{32})&issuer=Meldpunt%20Bezorgd&algorithm=SHA1&digits=6&period=30$/;

async function openAdmin(page: Page): Promise<StaffAccount> {
  const admin = await loginAs(page, staff, 'admin');
  await page.goto(`${staff.origin}/intern/beheer`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Beheer: accounts');
  return admin;
}

function newAccountForm(page: Page): Locator {
  return page.getByRole('region', { name: 'Nieuw account' });
}

async function fillNewAccount(page: Page, a: { email: string; name: string; role: string; serviceNumber?: string; password: string }): Promise<void> {
  const form = newAccountForm(page);
  await form.getByLabel(exact('E-mailadres')).fill(a.email);
  await form.getByLabel(exact('Naam')).fill(a.name);
  await form.getByRole('group', { name: exact('Rol') }).getByLabel(a.role, { exact: true }).check();
  if (a.serviceNumber !== undefined) await form.getByLabel(exact('Dienstnummer')).fill(a.serviceNumber);
  await form.getByLabel(exact('Eerste wachtwoord')).fill(a.password);
}

/** The secret in the one-time otpauth:// URI the page shows. */
async function shownSecret(page: Page): Promise<string> {
  const uri = (await page.locator('code.mb-secret').innerText()).trim();
  expect(uri).toMatch(URI);
  return URI.exec(uri)![1]!;
}

/**
 * The row of an account in the table, on whichever page of the list it is. The list is shared with the
 * other worker's tests: an account they unblock moves up a place while this one pages on, so a row can slip
 * back onto a page already seen. One more pass finds it.
 */
async function accountRow(page: Page, email: string): Promise<Locator> {
  for (let pass = 0; pass < 3; pass++) {
    await page.goto(`${staff.origin}/intern/beheer`);
    for (;;) {
      const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: email, exact: true }) });
      if ((await row.count()) === 1) return row;
      const next = page.getByRole('link', { name: 'Volgende pagina' });
      if ((await next.count()) === 0) break;
      await next.click();
    }
  }
  throw new Error(`no row for ${email}`);
}

/** Tries to log in with these details; returns the status of the last step. */
async function tryLogin(account: { email: string; password: string }, code: string): Promise<number> {
  const req = await request.newContext({ baseURL: staff.origin });
  try {
    const first = await postForm(req, `${staff.origin}/intern/inloggen`, { email: account.email, password: account.password }, { origin: staff.origin });
    if (first.status() !== 303) return first.status();
    const second = await postForm(req, `${staff.origin}/intern/inloggen/code`, { code }, { origin: staff.origin });
    return second.status() === 303 ? (locationPath(second) === '/intern/inloggen' ? 400 : 303) : second.status();
  } finally {
    await req.dispose();
  }
}

test.describe('admin page', () => {
  test('creates an account: the otpauth:// URI is shown once, and the new account logs in with it', async ({ page }) => {
    await openAdmin(page);
    const id = marker('nieuw');
    const account = { email: `${id}@test.example`, name: `Nieuwe BOA ${id}`, role: 'BOA', serviceNumber: 'BOA-1234', password: `een lange zin ${marker('w')} als wachtwoord` };
    await fillNewAccount(page, account);
    const response = await submit(page, 'Account aanmaken');
    expect(response.status()).toBe(200);
    await expect(page.getByRole('status')).toContainText(`Account voor ${account.email} is aangemaakt.`);
    await expect(page.getByRole('status')).toContainText('Hij wordt maar één keer getoond');
    const secret = await shownSecret(page);
    const user = userByEmail(staff, account.email)!;
    expect(user).toMatchObject({ name: account.name, role: 'boa', service_number: 'BOA-1234', totp_secret: secret, disabled_at: null });
    // The form is empty again: nothing of the new account stays in it.
    await expect(newAccountForm(page).getByLabel(exact('E-mailadres'))).toHaveValue('');

    // Opened again, the page does not show the URI.
    const row = await accountRow(page, account.email);
    await expect(row.getByRole('cell')).toHaveText([`${account.name} (BOA-1234)`, account.email, 'BOA', 'Actief', /Blokkeren/]);
    expect(await page.content()).not.toContain('otpauth://');
    expect(await page.content()).not.toContain(secret);

    // The URI works in an authenticator: the account logs in with its code.
    const boa = await requestLoggedInByCode(staff, { id: user.id, email: account.email, name: account.name, role: 'boa', password: account.password, secret });
    const start = await boa.get(`${staff.origin}/intern/boa/melding`, { maxRedirects: 0 });
    expect(start.status()).toBe(200);
    expect(await start.text()).toContain('dienstnummer BOA-1234');
    await boa.dispose();
  });

  test('password rules: under 12 characters, a common password, the own e-mail address get Dutch errors; answers kept', async ({ page }) => {
    await openAdmin(page);
    const id = marker('regels');
    const account = { email: `${id}@test.example`, name: `Regels ${id}`, role: 'KCC-medewerker', password: 'kort1234' };
    for (const [password, message] of [
      ['kort1234', 'Gebruik een wachtwoord van minstens 12 tekens'],
      ['Wachtwoord123', 'Dit wachtwoord wordt te vaak gebruikt. Kies een ander wachtwoord'],
      ['qwerty123456', 'Dit wachtwoord wordt te vaak gebruikt. Kies een ander wachtwoord'],
      [`mijn adres ${id} is geheim`, 'Gebruik niet uw naam of e-mailadres als wachtwoord'],
    ] as const) {
      await fillNewAccount(page, { ...account, password });
      const response = await submit(page, 'Account aanmaken');
      await expectFormErrors(page, response, [message]);
      await expect(page.getByText(`Fout: ${message}`, { exact: true })).toBeVisible();
      const form = newAccountForm(page);
      await expect(form.getByLabel(exact('E-mailadres'))).toHaveValue(account.email);
      await expect(form.getByLabel(exact('Naam'))).toHaveValue(account.name);
      await expect(form.getByRole('group', { name: exact('Rol') }).getByLabel(account.role, { exact: true })).toBeChecked();
      // The password is never sent back.
      await expect(form.getByLabel(exact('Eerste wachtwoord'))).toHaveValue('');
      expect(await page.content()).not.toContain(password);
      expect(userByEmail(staff, account.email)).toBeUndefined();
    }
  });

  test('changes a role, resets the second factor and disables: each ends the sessions; self is protected', async ({ page, staffClient }) => {
    const admin = await openAdmin(page);
    const target = createAccount(staff, 'kcc', { name: `Aanpassen ${marker('')}` });
    const targetId = userByEmail(staff, target.email)!.id;
    const session = await staffClient(staff, target);
    const stillIn = async () => (await session.get(`${staff.origin}/intern`, { maxRedirects: 0 })).headers()['location'];
    expect(sessionsOf(staff, targetId)).toBe(1);

    // Role: KCC-medewerker → OGGz-coördinator.
    let row = await accountRow(page, target.email);
    await row.getByLabel(`Rol van ${target.name}`).selectOption({ label: 'OGGz-coördinator' });
    expect((await submit(page, 'Rol wijzigen', row)).status()).toBe(200);
    await expect(page.getByRole('status')).toHaveText('De rol is gewijzigd.');
    expect(userByEmail(staff, target.email)!.role).toBe('coordinator');
    expect(sessionsOf(staff, targetId)).toBe(0);
    expect(await stillIn()).toMatch(/\/intern\/inloggen/);
    row = await accountRow(page, target.email);
    await expect(row.getByRole('cell').nth(2)).toHaveText('OGGz-coördinator');

    // Second factor: a new secret; the old one stops working, the new one works.
    const oldSecret = target.secret;
    const reset = await submit(page, `Tweede factor opnieuw voor ${target.name}`);
    expect(reset.status()).toBe(200);
    await expect(page.getByRole('status')).toContainText('De tweede factor is opnieuw ingesteld.');
    const newSecret = await shownSecret(page);
    expect(newSecret).not.toBe(oldSecret);
    expect(userByEmail(staff, target.email)!.totp_secret).toBe(newSecret);
    expect(await tryLogin(target, codeFor(target))).toBe(400);
    const renewed = { ...target, secret: newSecret };
    expect(await tryLogin(renewed, wrongCode(renewed))).toBe(400);
    await loginWithRequest(session, staff, renewed);
    expect(await stillIn()).toBe('/intern/triage');

    // Disable: the running session ends, the list says so, logging in fails.
    await accountRow(page, target.email);
    const disable = await submit(page, `Blokkeren ${target.name}`);
    expect(disable.status()).toBe(200);
    await expect(page.getByRole('status')).toHaveText('Het account is geblokkeerd.');
    expect(userByEmail(staff, target.email)!.disabled_at).not.toBeNull();
    expect(sessionsOf(staff, targetId)).toBe(0);
    expect(await stillIn()).toMatch(/\/intern\/inloggen/);
    row = await accountRow(page, target.email);
    await expect(row.getByRole('cell').nth(3)).toHaveText('Geblokkeerd');
    await expect(row.getByRole('button', { name: `Deblokkeren ${target.name}` })).toBeVisible();
    expect(await tryLogin(renewed, codeFor(renewed, 1))).toBe(400);

    // The admin's own row offers no actions; a forged post is refused.
    const own = await accountRow(page, admin.email);
    await expect(own.getByRole('button')).toHaveCount(0);
    const adminId = userByEmail(staff, admin.email)!.id;
    const self = await postForm(page.request, `${staff.origin}/intern/beheer`, { intent: 'disable', id: String(adminId) }, { origin: staff.origin });
    expect(self.status()).toBe(400);
    expect(await self.text()).toContain('U kunt uw eigen account niet blokkeren.');
    expect(userByEmail(staff, admin.email)!.disabled_at).toBeNull();
  });
});
