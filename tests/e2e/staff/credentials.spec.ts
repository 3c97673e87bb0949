// Staff set their own secrets (spec §6a): the password change at /intern/account, a forgotten password
// by a one-time link (1 hour, once, the same answer for an unknown address), `npm run user:reset-password`,
// and the invitation page's QR code (decoded here) that only a valid code completes. Audited; axe on
// every page, normal and in its error state.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request, type Page } from '@playwright/test';
import {
  auditRows,
  createAccount,
  expect,
  expectNoAxeViolations,
  loginAs,
  marker,
  postForm,
  servers,
  sessionsOf,
  submit,
  test,
  uniqueIp,
  userByEmail,
  withDb,
} from '../fixtures.ts';
import { codeFor, expectFormErrors, linkInMail, mailsTo, postLogin, scanQr, secretOf, setClockOffset, wrongCode } from './staff-utils.ts';
import { timeStep, totpCode } from '#features/auth/totp.server.ts';

const staff = servers.staff;
const root = fileURLToPath(new URL('../../..', import.meta.url));
const FORGOT_SENT = 'Als er een account met dit e-mailadres is, hebben wij een e-mail gestuurd met een link om een nieuw wachtwoord te kiezen. De link is 1 uur geldig.';
const LINK_INVALID = 'Deze link werkt niet (meer). Een link werkt één keer en is maar een tijd geldig. Vraag een nieuwe link aan.';
// Several pages with axe each.
test.describe.configure({ timeout: 90_000 });

async function tryLogin(email: string, password: string, code: string): Promise<number> {
  const req = await request.newContext({ baseURL: staff.origin, extraHTTPHeaders: { 'X-Forwarded-For': uniqueIp() } });
  try {
    return (await postLogin(req, staff, { email, password, code })).status();
  } finally {
    await req.dispose();
  }
}

async function askReset(page: Page, email: string): Promise<string> {
  await page.goto(`${staff.origin}/intern/inloggen`);
  await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wachtwoord vergeten');
  await page.getByLabel('E-mailadres', { exact: true }).fill(email);
  expect((await submit(page, 'Link versturen')).status()).toBe(303);
  await expect(page).toHaveURL(`${staff.origin}/intern/wachtwoord-vergeten?verstuurd=1`);
  return page.locator('main').innerText();
}

test.describe('own secrets', () => {
  test('password change at /intern/account: current password and a fresh code; other sessions end; the old password then fails', async ({ page, staffClient }) => {
    await page.setExtraHTTPHeaders({ 'X-Forwarded-For': uniqueIp() });
    const kcc = createAccount(staff, 'kcc');
    await loginAs(page, staff, kcc);
    await page.goto(`${staff.origin}/intern/kcc/melding`);
    const elsewhere = await staffClient(staff, kcc);
    const userId = userByEmail(staff, kcc.email)!.id;
    expect(sessionsOf(staff, userId)).toBe(2);

    await page.getByRole('link', { name: 'Mijn account' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mijn account');
    await expectNoAxeViolations(page, 'account page');

    const fresh = `een nieuwe lange zin ${marker('w')}`;
    // The wrong current password: a message at the field; no password comes back; nothing changed.
    await page.getByLabel('Huidig wachtwoord').fill(`${kcc.password}x`);
    await page.getByLabel('Nieuw wachtwoord').fill(fresh);
    await page.getByLabel('Code').fill(codeFor(kcc));
    const refused = await submit(page, 'Wachtwoord wijzigen');
    await expectFormErrors(page, refused, ['Het huidige wachtwoord of de code klopt niet']);
    await expect(page.getByLabel('Nieuw wachtwoord')).toHaveValue('');
    expect(await page.content()).not.toContain(fresh);
    await expectNoAxeViolations(page, 'account page with an error');
    // A new password that breaks the rules.
    await page.getByLabel('Huidig wachtwoord').fill(kcc.password);
    await page.getByLabel('Nieuw wachtwoord').fill('kort');
    await page.getByLabel('Code').fill(codeFor(kcc));
    await expectFormErrors(page, await submit(page, 'Wachtwoord wijzigen'), ['Gebruik een wachtwoord van minstens 12 tekens']);
    expect(auditRows(staff, { action: 'wachtwoord_gewijzigd', actor_id: userId, result: 'mislukt' })).toHaveLength(1);

    await page.getByLabel('Huidig wachtwoord').fill(kcc.password);
    await page.getByLabel('Nieuw wachtwoord').fill(fresh);
    await page.getByLabel('Code').fill(codeFor(kcc));
    expect((await submit(page, 'Wachtwoord wijzigen')).status()).toBe(303);
    await expect(page.getByRole('status')).toHaveText('Uw wachtwoord is gewijzigd.');
    // This browser stays in (a new session); the other device is logged out.
    expect(sessionsOf(staff, userId)).toBe(1);
    expect((await elsewhere.get(`${staff.origin}/intern`, { maxRedirects: 0 })).headers()['location']).toMatch(/^\/intern\/inloggen/);
    expect(auditRows(staff, { action: 'wachtwoord_gewijzigd', actor_id: userId, result: 'gelukt' })).toHaveLength(1);

    expect(await tryLogin(kcc.email, kcc.password, codeFor(kcc, 1))).toBe(400);
    expect(await tryLogin(kcc.email, fresh, codeFor(kcc, 1))).toBe(303);
  });

  test('forgotten password: the same answer for an unknown address; the link works once and ends the sessions', async ({ page, staffClient, browser }) => {
    // Six axe scans and a wait for the mail worker: the longest test here.
    test.setTimeout(180_000);
    const boa = createAccount(staff, 'boa');
    const userId = userByEmail(staff, boa.email)!.id;
    const session = await staffClient(staff, boa);
    await page.goto(`${staff.origin}/intern/wachtwoord-vergeten`);
    await expectNoAxeViolations(page, 'forgotten password page');
    await page.getByLabel('E-mailadres', { exact: true }).fill('geen adres');
    await expectFormErrors(page, await submit(page, 'Link versturen'), ['Vul een e-mailadres in zoals naam@gemeente.nl']);
    await expect(page.getByLabel('E-mailadres', { exact: true })).toHaveValue('geen adres');
    await expectNoAxeViolations(page, 'forgotten password page with an error');

    const unknown = `niemand-${marker()}@test.example`;
    const forUnknown = await askReset(page, unknown);
    await expectNoAxeViolations(page, 'forgotten password page, sent');
    const forKnown = await askReset(page, boa.email);
    expect(forKnown).toBe(forUnknown);
    expect(forKnown).toContain(FORGOT_SENT);
    expect(auditRows(staff, { action: 'wachtwoord_herstel_gevraagd', result: 'mislukt' }).length).toBeGreaterThan(0);
    expect(auditRows(staff, { action: 'wachtwoord_herstel_gevraagd', object_id: String(userId), result: 'gelukt' })).toHaveLength(1);
    expect(auditText()).not.toContain(unknown);

    const link = await linkInMail(staff, boa.email, 'wachtwoord-instellen');
    expect(await mailsTo(staff, unknown)).toEqual([]);
    const mail = (await mailsTo(staff, boa.email)).at(-1)!;
    // The mail carries the link and nothing else of the account.
    expect(mail.text).not.toContain(boa.name);
    // Asked again within minutes: the same answer, no second mail.
    await askReset(page, boa.email);
    await page.waitForTimeout(1000);
    expect((await mailsTo(staff, boa.email)).length).toBe(1);

    const reader = await (await browser.newContext()).newPage();
    await reader.goto(link);
    await expect(reader.getByRole('heading', { level: 1 })).toHaveText('Nieuw wachtwoord kiezen');
    await expectNoAxeViolations(reader, 'reset page');
    await reader.getByLabel('Nieuw wachtwoord').fill('qwerty123456');
    await expectFormErrors(reader, await submit(reader, 'Wachtwoord opslaan'), ['Dit wachtwoord wordt te vaak gebruikt. Kies een ander wachtwoord']);
    await expectNoAxeViolations(reader, 'reset page with an error');
    const fresh = `weer een eigen zin ${marker('w')}`;
    await reader.getByLabel('Nieuw wachtwoord').fill(fresh);
    expect((await submit(reader, 'Wachtwoord opslaan')).status()).toBe(303);
    await expect(reader).toHaveURL(`${staff.origin}/intern/inloggen?melding=wachtwoord`);
    await expect(reader.getByRole('status')).toHaveText('Uw nieuwe wachtwoord is ingesteld. Log in met uw nieuwe wachtwoord en de code uit uw app.');
    expect(sessionsOf(staff, userId)).toBe(0);
    expect((await session.get(`${staff.origin}/intern`, { maxRedirects: 0 })).headers()['location']).toMatch(/^\/intern\/inloggen/);
    expect(auditRows(staff, { action: 'wachtwoord_herstel_gebruikt', object_id: String(userId), result: 'gelukt' })).toHaveLength(1);

    // Once only: the link again is refused, also its form posted directly.
    const second = await reader.goto(link);
    expect(second!.status()).toBe(410);
    await expect(reader.getByText(LINK_INVALID)).toBeVisible();
    await expectNoAxeViolations(reader, 'reset page, link used');
    const token = new URL(link).searchParams.get('sleutel')!;
    const reposted = await postForm(reader.request, `${staff.origin}/intern/wachtwoord-instellen`, { sleutel: token, newPassword: `nog een zin ${marker('w')}` }, { origin: staff.origin });
    expect(reposted.status()).toBe(410);
    await reader.context().close();
    // The token is stored only as a hash, and the mail's body is gone from the outbox once sent.
    expect(JSON.stringify(withDb(staff, (db) => db.prepare('SELECT * FROM account_links').all()))).not.toContain(token);
    expect(JSON.stringify(withDb(staff, (db) => db.prepare('SELECT * FROM outbox').all()))).not.toContain(token);

    expect(await tryLogin(boa.email, boa.password, codeFor(boa))).toBe(400);
    expect(await tryLogin(boa.email, fresh, codeFor(boa))).toBe(303);
  });

  test('npm run user:reset-password prints a one-time link for the operator', async ({ page }) => {
    const kcc = createAccount(staff, 'kcc');
    const out = execFileSync('npm', ['run', '--silent', 'user:reset-password', '--', '--email', kcc.email], {
      cwd: root,
      env: { ...process.env, DATABASE_PATH: staff.dbPath, PUBLIC_URL: staff.origin },
      encoding: 'utf8',
    });
    const link = new RegExp(`${staff.origin}/intern/wachtwoord-instellen\\?sleutel=[A-Za-z0-9_-]{43}`).exec(out)?.[0];
    expect(link, out).toBeDefined();
    await page.goto(link!);
    const fresh = `de zin van de beheerder ${marker('w')}`;
    await page.getByLabel('Nieuw wachtwoord').fill(fresh);
    expect((await submit(page, 'Wachtwoord opslaan')).status()).toBe(303);
    expect(await tryLogin(kcc.email, fresh, codeFor(kcc))).toBe(303);
  });

  test('invitation page: the QR code (decoded) and the secret in groups of four; a wrong code does not complete it; the same secret after a refusal', async ({ page, browser }) => {
    await loginAs(page, staff, 'admin');
    await page.goto(`${staff.origin}/intern/beheer`);
    const id = marker('qr');
    const email = `${id}@test.example`;
    const form = page.getByRole('region', { name: 'Nieuw account' });
    await form.getByLabel('E-mailadres').fill(email);
    await form.getByLabel('Naam', { exact: true }).fill(`QR ${id}`);
    await form.getByRole('group', { name: 'Rol' }).getByLabel('KCC-medewerker', { exact: true }).check();
    expect((await submit(page, 'Account aanmaken')).status()).toBe(200);
    const link = await linkInMail(staff, email, 'welkom');

    const theirs = await (await browser.newContext()).newPage();
    await theirs.goto(link);
    await expectNoAxeViolations(theirs, 'invitation page');
    const first = secretOf(await scanQr(theirs));
    // Opened again: a new secret (each is shown once); the first no longer counts.
    await theirs.goto(link);
    const secret = secretOf(await scanQr(theirs));
    expect(secret).not.toBe(first);
    await expect(theirs.locator('#sleutel-tekst')).toHaveText(secret.replace(/(.{4})(?=.)/g, '$1 '));

    const password = `een zin om te onthouden ${marker('w')}`;
    // The code of the first secret, and a wrong code of this one: refused, the same secret shown again.
    for (const code of [totpCode(first, timeStep(new Date())), wrongCode({ secret } as never)]) {
      await theirs.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
      await theirs.getByLabel('Code', { exact: true }).fill(code);
      await expectFormErrors(theirs, await submit(theirs, 'Account activeren'), ['Deze code klopt niet. Vul de code in die de app nu toont']);
      expect(secretOf(await scanQr(theirs))).toBe(secret);
    }
    await expectNoAxeViolations(theirs, 'invitation page with an error');
    expect(userByEmail(staff, email)!.totp_secret).toBe('');
    expect(auditRows(staff, { action: 'uitnodiging_gebruikt', object_id: String(userByEmail(staff, email)!.id), result: 'mislukt' })).toHaveLength(2);

    await theirs.getByLabel('Nieuw wachtwoord', { exact: true }).fill(password);
    await theirs.getByLabel('Code', { exact: true }).fill(totpCode(secret, timeStep(new Date())));
    expect((await submit(theirs, 'Account activeren')).status()).toBe(303);
    expect(userByEmail(staff, email)!.totp_secret).toBe(secret);
    await theirs.context().close();
  });
});

function auditText(): string {
  return withDb(staff, (db) => JSON.stringify(db.prepare('SELECT * FROM audit_log').all()));
}

test.describe('link expiry (the staff server clock)', () => {
  test.describe.configure({ mode: 'serial', lock: '-exclusive-' });
  test.afterEach(() => setClockOffset(0));

  test('a reset link expires after 1 hour, an invitation after 72 hours', async ({ page }) => {
    const kcc = createAccount(staff, 'kcc');
    await askReset(page, kcc.email);
    const link = await linkInMail(staff, kcc.email, 'wachtwoord-instellen');
    setClockOffset(59 * 60_000);
    expect((await page.request.get(link)).status()).toBe(200);
    setClockOffset(61 * 60_000);
    const expired = await page.goto(link);
    expect(expired!.status()).toBe(410);
    await expect(page.getByText(LINK_INVALID)).toBeVisible();
    await expectNoAxeViolations(page, 'reset page, link expired');
    setClockOffset(0);

    await loginAs(page, staff, 'admin');
    await page.goto(`${staff.origin}/intern/beheer`);
    const email = `${marker('laat')}@test.example`;
    const form = page.getByRole('region', { name: 'Nieuw account' });
    await form.getByLabel('E-mailadres').fill(email);
    await form.getByLabel('Naam', { exact: true }).fill('Te laat');
    await form.getByRole('group', { name: 'Rol' }).getByLabel('BOA', { exact: true }).check();
    expect((await submit(page, 'Account aanmaken')).status()).toBe(200);
    const invitation = await linkInMail(staff, email, 'welkom');
    setClockOffset(71 * 3_600_000);
    expect((await page.request.get(invitation)).status()).toBe(200);
    setClockOffset(73 * 3_600_000);
    expect((await page.request.get(invitation)).status()).toBe(410);
  });
});
