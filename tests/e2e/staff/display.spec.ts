// Staff screens on a phone (issue 9): the KCC/BOA acute alert and the admin's one-time key message
// stacked and readable at 375 px, no sideways scrolling with real data (long names, a 4,000-character
// description), the acute path without an intake method, and the admin log in Dutch (names, not
// `account 6`; role labels, not codes). Runs without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts).
import type { Page } from '@playwright/test';
import { dhrK, kccForm } from '../../fixtures/cases.ts';
import { createAccount, exactLabel as exact, expect, loginAs, marker, postForm, reportByReference, sentMail, servers, submit, submitRefused, test, withDb } from '../fixtures.ts';
import { S, fillStaffForm, openStaffForm, savedReference, staffAnswers } from './staff-utils.ts';

const staff = servers.staff;
const WIDTH = 375;

async function expectNoSidewaysScroll(page: Page, what: string, width = WIDTH): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${what}: scrollWidth at ${width} px`).toBeLessThanOrEqual(width);
}

const LONG_NAME = `Medewerker Annemarie Wilhelmina van der Scheltema-Bosgraaf ${'Achternaamdeel'.repeat(4)}`;

function longKccCase(tag: string) {
  const c = dhrK(tag);
  const description = `${'Verwaarlozingssituatie'.repeat(8)} ${'lange tekst '.repeat(400)}`.slice(0, 4000);
  return { ...c, person: { ...c.person, name: `Dhr. K. ${'Langenaam'.repeat(8)} ${tag}` }, concerns: { ...c.concerns, description } };
}

test.describe('staff pages fit 375 px', () => {
  test.use({ viewport: { width: WIDTH, height: 800 } });

  test('the login page', async ({ page }) => {
    await page.goto(`${staff.origin}/intern/inloggen`);
    await expectNoSidewaysScroll(page, 'login');
  });

  test('KCC: the form with long answers, the acute alert stacked with a full-width button, the saved pages', async ({ page }) => {
    const kcc = createAccount(staff, 'kcc', { name: LONG_NAME });
    await openStaffForm(page, 'kcc', kcc);
    await expectNoSidewaysScroll(page, 'KCC form');

    const tag = marker('smal');
    const c = longKccCase(tag);
    await fillStaffForm(page, { ...staffAnswers(c, 'kcc'), acute: 'ja', intakeMethod: undefined });
    expect((await submitRefused(page, S.save)).status()).toBe(200);
    const alert = page.getByRole('alert');
    const heading = (await alert.getByRole('heading').boundingBox())!;
    const button = (await alert.getByRole('button', { name: S.acuteSave }).boundingBox())!;
    const box = (await alert.boundingBox())!;
    expect(button.y, 'the button sits below the instruction').toBeGreaterThanOrEqual(heading.y + heading.height);
    expect(button.x + button.width, 'the button is not clipped').toBeLessThanOrEqual(box.x + box.width);
    expect(button.width, 'the button spans the alert').toBeGreaterThan(box.width * 0.8);
    await expectNoSidewaysScroll(page, 'KCC acute alert');

    // The full report, with a 4,000-character description, then the saved page and today's list.
    await page.getByRole('group', { name: exact('Is er nu direct gevaar voor iemand?') }).getByLabel('Nee', { exact: true }).check();
    await page.getByRole('group', { name: S.intakeMethod }).getByLabel('Telefoon', { exact: true }).check();
    expect((await submit(page, S.save)).status()).toBe(303);
    await savedReference(page, 'kcc');
    await expect(page.getByText('Lees het zo voor', { exact: false })).toBeVisible();
    await expectNoSidewaysScroll(page, 'KCC saved page');
    await page.goto(`${staff.origin}/intern/kcc/melding`);
    await expectNoSidewaysScroll(page, 'KCC form with today\'s list');
  });

  test('BOA: the form and its acute alert', async ({ page }) => {
    await openStaffForm(page, 'boa', createAccount(staff, 'boa', { name: LONG_NAME, serviceNumber: 'BOA-987654' }));
    await expectNoSidewaysScroll(page, 'BOA form');
    await page.getByRole('group', { name: exact('Is er nu direct gevaar voor iemand?') }).getByLabel('Ja', { exact: true }).check();
    await submit(page, S.save);
    await expect(page.getByRole('alert').getByRole('button', { name: S.acuteSave })).toBeVisible();
    await expectNoSidewaysScroll(page, 'BOA acute alert');
    // Saved: the form again with the officer's own reports (date and time, the longest status), also on the
    // narrowest phone.
    expect((await submit(page, S.acuteSave)).status()).toBe(303);
    const reference = await savedReference(page, 'boa');
    await page.goto(`${staff.origin}/intern/boa/melding`);
    const own = page.getByRole('region', { name: 'Mijn laatste meldingen' });
    await expect(own.getByRole('row').filter({ hasText: reference })).toContainText('Acuut doorgezet');
    await expectNoSidewaysScroll(page, 'BOA form with its own reports');
    await page.setViewportSize({ width: 320, height: 800 });
    await expectNoSidewaysScroll(page, 'BOA form with its own reports', 320);
  });

  test('admin: accounts with long names, the invitation message, the log and the mail page', async ({ page }) => {
    createAccount(staff, 'kcc', { name: LONG_NAME });
    await loginAs(page, staff, createAccount(staff, 'admin', { name: LONG_NAME }));
    await page.goto(`${staff.origin}/intern/beheer`);
    await expectNoSidewaysScroll(page, 'accounts');
    await expect(page.getByRole('region', { name: /^Accounts, pagina/ })).toBeVisible();

    const id = marker('sleutel');
    const form = page.getByRole('region', { name: 'Nieuw account' });
    await form.getByLabel(exact('E-mailadres')).fill(`${id}@test.example`);
    await form.getByLabel(exact('Naam')).fill(`${LONG_NAME} ${id}`);
    await form.getByRole('group', { name: exact('Rol') }).getByLabel('OGGz-coördinator', { exact: true }).check();
    expect((await submit(page, 'Account aanmaken')).status()).toBe(200);
    await expect(page.getByRole('status')).toContainText('De uitnodiging is per e-mail verstuurd');
    await expectNoSidewaysScroll(page, 'invitation message');

    await page.goto(`${staff.origin}/intern/beheer/logboek`);
    await expectNoSidewaysScroll(page, 'log');
    const log = page.getByRole('region', { name: /^Logboek, pagina/ });
    await expect(log).toBeVisible();
    // Dutch only: the account's holder, not `account 6`; role labels, not codes.
    const created = log.getByRole('row').filter({ hasText: 'Account aangemaakt' }).filter({ hasText: id }).first();
    await expect(created.getByRole('cell').nth(2)).toHaveText('Functioneel beheerder');
    await expect(created.getByRole('cell').nth(4)).toHaveText(`${LONG_NAME} ${id}`);
    await expect(created.getByRole('cell').nth(5)).toHaveText('Gelukt');
    for (const code of ['admin', 'coordinator', 'kcc', 'gelukt']) {
      await expect(log.getByRole('cell', { name: code, exact: true })).toHaveCount(0);
    }
    await expect(log.getByRole('cell', { name: /^account \d+$/ })).toHaveCount(0);

    await page.goto(`${staff.origin}/intern/beheer/mail`);
    await expectNoSidewaysScroll(page, 'mail');
  });
});

test.describe('the KCC acute path never waits for the intake method', () => {
  test('posted without "Hoe kwam de melding binnen?": saved as Telefoon; the coordinators mail says 112', async ({ staffClient }) => {
    const kcc = createAccount(staff, 'kcc');
    const req = await staffClient(staff, kcc);
    const tag = marker('zonder');
    const { intakeMethod: _none, ...fields } = kccForm(dhrK(tag), { acuteDanger: 'ja', intent: 'acuut' });
    const response = await postForm(req, `${staff.origin}/intern/kcc/melding`, fields, { origin: staff.origin });
    expect(response.status()).toBe(303);
    const reference = /\/intern\/kcc\/opgeslagen\/(MB-[A-Z0-9]{8})$/.exec(response.headers()['location'] ?? '')?.[1];
    expect(reference).toBeTruthy();
    const row = reportByReference(staff, reference!)!;
    expect(row).toMatchObject({ status: 'acuut_doorgezet', intake_method: 'telefoon', entered_by: kcc.id });
    const queued = withDb(staff, (db) =>
      db.prepare("SELECT message_id AS messageId, params FROM outbox WHERE report_id = ? AND kind = 'coordinator_notification'").all(row.id),
    ) as { messageId: string; params: string }[];
    expect(queued).toHaveLength(1);
    expect(queued[0]!.params).not.toContain(tag);
    // As the worker renders and sends it.
    const mail = await sentMail(staff, queued[0]!.messageId);
    expect(mail.subject).toContain('doorgezet naar 112');
    expect(mail.text).toContain('doorgezet naar 112');
    expect(mail.text).not.toContain(tag);
  });
});

