// Police reports (E33, spec §4a) at /intern/politie/melding, typed from the police's e-mail by a KCC
// agent or the coordinator: the errors kept on a bad submit, the report in the queue as `Politie`, the
// channel filter, and the search by registration number (exact, through its blind index). Runs
// without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts).
import type { Page } from '@playwright/test';
import { amsterdamLocal, dhrE } from '../../fixtures/cases.ts';
import { createAccount, expect, expectNoAxeViolations, fillText, loginAs, marker, reportByReference, servers, submit, submitRefused, test } from '../fixtures.ts';
import { P, expectFormErrors, expectPoliceForm, fillPoliceForm, policeFacts as facts, savedReference } from './staff-utils.ts';

const staff = servers.staff;
// Long forms, each scanned by axe in two states: room on a shared, busy machine.
test.describe.configure({ timeout: 120_000 });

async function openPoliceForm(page: Page, role: 'kcc' | 'coordinator') {
  const account = await loginAs(page, staff, createAccount(staff, role));
  await page.goto(`${staff.origin}/intern/politie/melding`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Melding van de politie (E33)');
  return account;
}

test.describe('police report (E33)', () => {
  test('typed by a KCC agent: a bad submit keeps every answer with the messages; then saved as Politie', async ({ page }) => {
    const kcc = await openPoliceForm(page, 'kcc');
    await expectNoAxeViolations(page, 'police form');
    const tag = marker('pol');
    const c = dhrE(tag);
    // No registration number, an incident in the future, neither phone nor e-mail of the police.
    const bad = facts(tag, { policeReference: '', incidentAt: amsterdamLocal(new Date(Date.now() + 3 * 86_400_000)), policePhone: '', policeEmail: '' });
    await fillPoliceForm(page, c, bad);
    const refused = await submitRefused(page, 'Melding opslaan');
    await expectFormErrors(page, refused, [
      'Vul het registratienummer van de politie in',
      'De datum en tijd mogen niet in de toekomst liggen',
      'Vul een telefoonnummer of een e-mailadres in',
    ]);
    await expectPoliceForm(page, c, bad);
    await expectNoAxeViolations(page, 'police form with errors');

    const good = facts(tag);
    await fillText(page, P.policeReference, good.policeReference);
    await fillText(page, P.incidentAt, good.incidentAt);
    await fillText(page, P.policeEmail, good.policeEmail);
    await fillText(page, P.policePhone, good.policePhone);
    const saved = await submit(page, 'Melding opslaan');
    expect(saved.status()).toBe(303);
    const reference = await savedReference(page, 'politie');
    expect(await page.content()).not.toContain(tag);
    await expectNoAxeViolations(page, 'police report saved');

    // The row as the portal reads it (every sealed column opened).
    const row = reportByReference(staff, reference)! as unknown as Record<string, unknown>;
    expect(row).toMatchObject({
      channel: 'politie', status: 'nieuw', entered_by: kcc.id, acute_danger: 0, anonymous: 0, reporter_relation: 'professional',
      person_name: c.person.name, description: c.concerns.description,
      police_reference: good.policeReference, incident_place: good.incidentPlace, police_request: good.policeRequest, police_feedback: 1,
      police_officer: good.policeOfficer, police_team: good.policeTeam, police_phone: good.policePhone, police_email: good.policeEmail,
    });
    // Only today's own reports (reference, time, status) below the form.
    await page.goto(`${staff.origin}/intern/politie/melding`);
    await expect(page.getByRole('cell', { name: reference })).toBeVisible();
  });

  test('typed by the coordinator: in the queue as Politie, filtered by channel, found by its registration number', async ({ page }) => {
    await openPoliceForm(page, 'coordinator');
    const tag = marker('polq');
    const f = facts(tag);
    await fillPoliceForm(page, dhrE(tag), f);
    expect((await submit(page, 'Melding opslaan')).status()).toBe(303);
    const reference = await savedReference(page, 'politie');

    await page.goto(`${staff.origin}/intern/triage?kanaal=politie`);
    await expect(page.getByLabel('Kanaal')).toHaveValue('politie');
    const row = page.locator('table.mb-queue tbody tr').filter({ hasText: reference });
    await expect(row).toContainText('Politie');
    const channels = await page.locator('table.mb-queue tbody tr td:nth-child(3)').allTextContents();
    expect(channels.length).toBeGreaterThan(0);
    expect(new Set(channels.map((t) => t.trim()))).toEqual(new Set(['Politie']));

    // The registration number as read out: lower case, a space for the hyphen.
    await page.goto(`${staff.origin}/intern/triage`);
    await page.getByLabel('Zoeken op referentienummer, straat of postcode').fill(f.policeReference.toLowerCase().replace('-', ' '));
    await submit(page, 'Zoeken');
    const found = await page.locator('table.mb-queue tbody tr td:first-child').allTextContents();
    expect(found.map((t) => t.trim())).toEqual([reference]);
    // Exact only: a part of the number finds nothing.
    await page.getByLabel('Zoeken op referentienummer, straat of postcode').fill(f.policeReference.slice(0, -2));
    await submit(page, 'Zoeken');
    expect(await page.locator('table.mb-queue tbody tr td:first-child').allTextContents()).toEqual([]);

    // The report page shows the police's facts under `Politie (E33)` and the situation under its own label.
    await page.goto(`${staff.origin}/intern/triage/${reference}`);
    const card = page.getByRole('region', { name: 'Politie (E33)' });
    for (const value of [f.policeReference, f.incidentPlace, f.policeRequest, f.policeOfficer, f.policeEmail]) await expect(card).toContainText(value);
    await expect(page.getByText('Omschrijving van de situatie')).toBeVisible();
    await expectNoAxeViolations(page, 'police report page');
  });
});
