// axe (WCAG 2.0/2.1 A and AA) on every staff page, normal and in its error state: login, KCC form,
// saved pages, admin page, the "geen toegang" page. The BOA form carries a script (the photo
// preview): its scans are in a11y-boa.spec.ts, which also runs with JavaScript on.
import { dhrK } from '../../fixtures/cases.ts';
import { createAccount, expect, expectNoAxeViolations, loginAs, marker, option, servers, submit, submitRefused, test } from '../fixtures.ts';
import { S, fillStaffForm, savedReference, staffAnswers, wrongCode } from './staff-utils.ts';

const staff = servers.staff;
// Each test scans several pages; axe takes a few seconds per page on a busy machine.
test.describe.configure({ timeout: 90_000 });

test.describe('accessibility of the staff pages', () => {
  test('login page, normal and with the error', async ({ page }) => {
    const kcc = createAccount(staff, 'kcc');
    await page.goto(`${staff.origin}/intern/inloggen`);
    await expectNoAxeViolations(page, 'login page');

    await page.getByLabel('E-mailadres').fill(kcc.email);
    await page.getByLabel('Wachtwoord').fill('niet het wachtwoord');
    await page.getByLabel('Code').fill(wrongCode(kcc));
    expect((await submit(page, 'Inloggen')).status()).toBe(400);
    await expectNoAxeViolations(page, 'login page with the error');

    await page.goto(`${staff.origin}/intern/inloggen?uitgelogd=1`);
    await expectNoAxeViolations(page, 'login page after logout');
  });

  test('KCC form: empty, with errors, with the 112 instruction', async ({ page }) => {
    await loginAs(page, staff, 'kcc');
    await page.goto(`${staff.origin}/intern/kcc/melding`);
    await expectNoAxeViolations(page, 'KCC form');

    expect((await submitRefused(page, S.save)).status()).toBe(400);
    await expect(page.getByRole('heading', { name: 'Er is een probleem' })).toBeVisible();
    await expectNoAxeViolations(page, 'KCC form with errors');

    await option(page, 'Is er nu direct gevaar voor iemand?', 'Ja').check();
    expect((await submitRefused(page, S.save)).status()).toBe(200);
    await expect(page.getByRole('button', { name: S.acuteSave })).toBeVisible();
    await expectNoAxeViolations(page, 'KCC form with the 112 instruction');
  });

  test('KCC saved page, and the form with today\'s reports', async ({ page }) => {
    // A fresh account: its list of today's reports holds this one only.
    await loginAs(page, staff, createAccount(staff, 'kcc'));
    await page.goto(`${staff.origin}/intern/kcc/melding`);
    await fillStaffForm(page, staffAnswers(dhrK(marker()), 'kcc'));
    expect((await submit(page, S.save)).status()).toBe(303);
    await savedReference(page, 'kcc');
    await expectNoAxeViolations(page, 'KCC saved page');

    await page.goto(`${staff.origin}/intern/kcc/melding`);
    await expect(page.getByRole('region', { name: 'Mijn meldingen van vandaag' }).getByRole('row')).toHaveCount(2);
    await expectNoAxeViolations(page, 'KCC form with today\'s reports');
  });

  test('admin page: the list, and an account with an error', async ({ page }) => {
    await loginAs(page, staff, 'admin');
    await page.goto(`${staff.origin}/intern/beheer`);
    await expectNoAxeViolations(page, 'admin page');

    const form = page.getByRole('region', { name: 'Nieuw account' });
    const id = marker('a11y');
    await form.getByLabel('E-mailadres').fill('geen adres');
    await form.getByLabel('Naam', { exact: true }).fill(`Toegankelijk ${id}`);
    await form.getByRole('group', { name: 'Rol' }).getByLabel('KCC-medewerker', { exact: true }).check();
    expect((await submit(page, 'Account aanmaken')).status()).toBe(400);
    await expectNoAxeViolations(page, 'admin page with errors');
  });

  test('admin page: a new account (invitation sent); the "geen toegang" page', async ({ page }) => {
    await loginAs(page, staff, 'admin');
    await page.goto(`${staff.origin}/intern/beheer`);
    const form = page.getByRole('region', { name: 'Nieuw account' });
    const id = marker('a11y');
    await form.getByLabel('E-mailadres').fill(`${id}@test.example`);
    await form.getByLabel('Naam', { exact: true }).fill(`Toegankelijk ${id}`);
    await form.getByRole('group', { name: 'Rol' }).getByLabel('KCC-medewerker', { exact: true }).check();
    expect((await submit(page, 'Account aanmaken')).status()).toBe(200);
    await expect(page.getByRole('status')).toContainText('De uitnodiging is per e-mail verstuurd');
    await expectNoAxeViolations(page, 'admin page with a new account');

    // The admin may not open the KCC form: the "geen toegang" page.
    const refused = await page.goto(`${staff.origin}/intern/kcc/melding`);
    expect(refused!.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('U heeft geen toegang tot deze pagina');
    await expect(page).toHaveTitle(/^Geen toegang/);
    await expectNoAxeViolations(page, '"geen toegang" page');
  });
});
