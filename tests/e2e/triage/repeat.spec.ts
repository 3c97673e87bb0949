// Repeat reports ("Eerdere meldingen"): found by address whatever the spelling, and by person;
// linked with "Koppelen"; merged into each other. And the flags the coordinator must not miss:
// a person under 16 (youth route), a postcode outside the municipality, the Wvggz deadline.
import type { Locator, Page } from '@playwright/test';
import { dhrE, dhrP, mevrB } from '../../fixtures/cases.ts';
import { expect, loginAs, marker, submit, test } from '../fixtures.ts';
import {
  actions,
  addDays,
  amsterdamToday,
  auditOf,
  dutchDate,
  eventsOf,
  linked,
  main,
  openReport,
  reportRow,
  residentReport,
  uniqueAddress,
} from './triage-utils.ts';

test.describe.configure({ timeout: 90_000 });

const related = (page: Page): Locator => page.getByRole('region', { name: 'Eerdere meldingen' });
const relatedRow = (page: Page, reference: string): Locator => related(page).locator('tbody tr').filter({ has: page.getByRole('link', { name: reference, exact: true }) });
const flags = (page: Page): Locator => page.getByRole('list', { name: 'Let op' });

test.describe('repeat reports', () => {
  test('two reports about one address, spelled differently, list each other; Koppelen links them; then one is merged', async ({ page }) => {
    const tag = marker();
    const { postcode, houseNumber } = uniqueAddress();
    const spaced = `${postcode.slice(0, 4)} ${postcode.slice(4).toLowerCase()}`;
    const first = await residentReport(dhrP(`${tag}a`), { persoon: { postcode: spaced, houseNumber: `0${houseNumber}`, houseAddition: '-b' } });
    const second = await residentReport(dhrP(`${tag}b`), { persoon: { postcode, houseNumber, houseAddition: 'B', personName: `Iemand anders ${tag}` } });
    const elsewhere = await residentReport(dhrP(`${tag}c`), { persoon: { postcode, houseNumber, houseAddition: 'C' } });
    expect(reportRow(first)['address_key']).toBe(reportRow(second)['address_key']);
    await loginAs(page, main, 'coordinator');

    await openReport(page, second);
    await expect(relatedRow(page, first)).toContainText('Zelfde adres');
    await expect(relatedRow(page, elsewhere)).toHaveCount(0);
    await openReport(page, first);
    await expect(relatedRow(page, second)).toContainText('Zelfde adres');

    // Koppelen, from the first report.
    const status = (await submit(page, `Koppelen met ${second}`, relatedRow(page, second))).status();
    expect(status).toBe(303);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Melding ${first}`);
    await expect(relatedRow(page, second).getByRole('cell', { name: 'Gekoppeld', exact: true })).toBeVisible();
    await expect(relatedRow(page, second).getByRole('button')).toHaveCount(0);
    expect(linked(first, second)).toBe(true);
    await openReport(page, second);
    await expect(relatedRow(page, first).getByRole('cell', { name: 'Gekoppeld', exact: true })).toBeVisible();
    expect(actions(auditOf(first))).toContain('gekoppeld');
    expect(actions(auditOf(second))).toContain('gekoppeld');
    expect(eventsOf(second).map((e) => [e['kind'], e['to_value']])).toEqual([['koppeling', first]]);

    // Samengevoegd: the second goes into the first.
    const form = page.getByRole('form', { name: 'Status wijzigen', exact: true });
    await form.getByLabel('Nieuwe status').selectOption({ label: 'Samengevoegd' });
    expect((await submit(page, 'Status opslaan', form)).status()).toBe(400);
    await expect(page.getByRole('alert').getByRole('link', { name: /^Samenvoegen met: / })).toHaveAttribute('href', '#f-mergeInto');
    await page.getByRole('form', { name: 'Status wijzigen', exact: true }).getByLabel('Samenvoegen met').fill(first.toLowerCase());
    expect((await submit(page, 'Status opslaan', page.getByRole('form', { name: 'Status wijzigen', exact: true }))).status()).toBe(303);
    const summary = page.locator('p.utrecht-paragraph').filter({ hasText: 'Ontvangen' }).first();
    await expect(summary).toContainText('Status: Samengevoegd');
    await expect(summary.getByRole('link', { name: first })).toHaveAttribute('href', `/intern/triage/${first}`);
    expect(reportRow(second)).toMatchObject({ status: 'samengevoegd', merged_into: reportRow(first)['id'] });
    expect(reportRow(second)['closed_at']).not.toBeNull();
    // The first report records what went into it.
    await openReport(page, first);
    await expect(page.getByRole('region', { name: 'Geschiedenis' })).toContainText(`Samengevoegd: ${second} is hierin opgegaan`);
    await expect(relatedRow(page, second)).toContainText('Samengevoegd');
    expect(actions(auditOf(first))).toContain('samengevoegd_ontvangen');
    // A merged report leaves the active statuses: it is not in the queue of new reports.
    await page.goto('/intern/triage?status=nieuw&kanaal=inwoner');
    await expect(page.getByRole('link', { name: second, exact: true })).toHaveCount(0);
  });

  test('the same person, written differently and without an address, is found too', async ({ page }) => {
    const tag = marker();
    const nowhere = { locationKind: 'geen_vast_adres', postcode: '', houseNumber: '', locationDescription: 'Bij het bushokje aan de Hoofdstraat', place: 'Zuidhorn' };
    const first = await residentReport(dhrP(`${tag}a`), { persoon: { ...nowhere, personName: `Dhr. Öztürk ${tag}` } });
    const second = await residentReport(dhrP(`${tag}b`), { persoon: { ...nowhere, personName: `de heer ozturk ${tag.toUpperCase()}`, place: 'ZUIDHORN' } });
    await loginAs(page, main, 'coordinator');
    await openReport(page, second);
    await expect(relatedRow(page, first)).toContainText('Zelfde persoon');
    await expect(related(page).locator('tbody tr')).toHaveCount(1);
  });
});

test.describe('flags on the report page', () => {
  test('a person under 16 is flagged for the youth route; others are not', async ({ page }) => {
    const young = await residentReport(mevrB(marker()), { persoon: { personAge: 'jonger_dan_16' } });
    const adult = await residentReport(mevrB(marker()));
    await loginAs(page, main, 'coordinator');
    await openReport(page, young);
    await expect(flags(page)).toContainText('Jonger dan 16: jeugdroute (jeugd / Veilig Thuis)');
    await expect(page.getByRole('region', { name: 'Over de persoon' })).toContainText('Jonger dan 16 jaar');
    await openReport(page, adult);
    await expect(page.getByText(/jeugdroute/)).toHaveCount(0);
  });

  test('a postcode outside the municipality is flagged to forward; one inside is not', async ({ page }) => {
    const outside = await residentReport(dhrE(marker()), { persoon: { postcode: '1012 ab', place: 'Amsterdam' } });
    const inside = await residentReport(dhrE(marker()), { persoon: { postcode: '9801 CD', place: 'Zuidhorn' } });
    await loginAs(page, main, 'coordinator');
    await openReport(page, outside);
    await expect(flags(page)).toContainText('Postcode buiten de gemeente Westerkwartier: doorsturen');
    // Forwarding it: to whom is required, and recorded.
    const form = page.getByRole('form', { name: 'Status wijzigen', exact: true });
    await form.getByLabel('Nieuwe status').selectOption({ label: 'Doorgestuurd' });
    expect((await submit(page, 'Status opslaan', form)).status()).toBe(400);
    await page.getByRole('form', { name: 'Status wijzigen', exact: true }).getByLabel('Doorgestuurd naar').fill('Gemeente Amsterdam');
    expect((await submit(page, 'Status opslaan', page.getByRole('form', { name: 'Status wijzigen', exact: true }))).status()).toBe(303);
    await expect(page.locator('p.utrecht-paragraph').filter({ hasText: 'Ontvangen' }).first()).toContainText('Doorgestuurd naar Gemeente Amsterdam.');
    expect(reportRow(outside)).toMatchObject({ status: 'doorgestuurd', forwarded_to: 'Gemeente Amsterdam' });
    await openReport(page, inside);
    await expect(page.getByText(/buiten de gemeente/)).toHaveCount(0);
  });

  test('Wvggz: starting the exploratory investigation shows its 14-day deadline', async ({ page }) => {
    const reference = await residentReport(dhrE(marker()));
    await loginAs(page, main, 'coordinator');
    await openReport(page, reference);
    await expect(page.getByText('Geen Wvggz-verkennend onderzoek.')).toBeVisible();
    const today = amsterdamToday();
    expect((await submit(page, 'Wvggz: verkennend onderzoek starten (14 dagen)')).status()).toBe(303);
    const deadline = dutchDate(addDays(today, 14));
    await expect(page.getByText(`Verkennend onderzoek gestart op ${dutchDate(today)}; uiterlijk klaar op ${deadline}.`)).toBeVisible();
    await expect(page.locator('p.utrecht-paragraph').filter({ hasText: 'Ontvangen' }).first()).toContainText(`Wvggz verkennend onderzoek uiterlijk ${deadline}.`);
    expect(reportRow(reference)['wvggz_started_on']).toBe(today);
    expect(actions(auditOf(reference))).toEqual(['melding_aangemaakt', 'melding_bekeken', 'wvggz_gestart', 'melding_bekeken']);
    expect((await submit(page, 'Wvggz-markering weghalen')).status()).toBe(303);
    await expect(page.getByText('Geen Wvggz-verkennend onderzoek.')).toBeVisible();
    expect(reportRow(reference)['wvggz_started_on']).toBeNull();
  });
});
