// Police reports (E33, spec §4a) at /intern/politie/melding, typed from the police's e-mail by a KCC
// agent or the coordinator: the errors kept on a bad submit, the report in the queue as `Politie`, the
// channel filter, and the search by registration number (exact, through its blind index). JavaScript on and off.
import type { Page } from '@playwright/test';
import { amsterdamLocal, dhrE, type Case, type PoliceFacts } from '../../fixtures/cases.ts';
import {
  OPTION,
  Q,
  createAccount,
  expect,
  expectNoAxeViolations,
  field,
  fillConcerns,
  fillPerson,
  fillText,
  loginAs,
  marker,
  option,
  reportByReference,
  servers,
  submit,
  submitRefused,
  test,
} from '../fixtures.ts';
import { expectFormErrors, savedReference } from './staff-utils.ts';

const staff = servers.staff;
// Long forms, each scanned by axe in two states: room on a shared, busy machine.
test.describe.configure({ timeout: 120_000 });

/** The police's own questions (exact labels, spec §4a). */
const P = {
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
const registration = (): string => `PL0100-2026${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

function facts(tag: string, over: Partial<PoliceFacts> = {}): PoliceFacts {
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

async function fillPoliceForm(page: Page, c: Case, f: PoliceFacts): Promise<void> {
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

async function expectPoliceForm(page: Page, c: Case, f: PoliceFacts): Promise<void> {
  for (const key of ['policeReference', 'incidentAt', 'incidentPlace', 'policeRequest', 'policeOfficer', 'policeTeam', 'policePhone', 'policeEmail'] as const) {
    await expect(field(page, P[key]), P[key]).toHaveValue(f[key]);
  }
  await expect(option(page, P.policeFeedback, OPTION.yesNo[f.policeFeedback])).toBeChecked();
  await expect(field(page, Q.personName)).toHaveValue(c.person.name!);
  await expect(field(page, P.description)).toHaveValue(c.concerns.description);
  for (const concern of c.concerns.concerns) await expect(option(page, Q.concerns, OPTION.concerns[concern])).toBeChecked();
}

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
