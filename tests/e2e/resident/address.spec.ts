// The address lookup of step 2 (spec §2) against the local stand-in of PDOK Locatieserver
// (tests/support/pdok-stub.ts), without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts): one match fills in street and village,
// several ask "Welk adres bedoelt u?", none and another municipality get a notice on the next page, and
// an unreachable service never holds the report up (marked "adres niet gecontroleerd").
import type { Page } from '@playwright/test';
import { dhrP } from '../../fixtures/cases.ts';
import { Q, expect, expectNoAxeViolations, field, fillConcerns, group, loginAs, marker, option, reportByReference, servers, submit, submitRefused, test } from '../fixtures.ts';
import { NEXT, expectCheckPage, expectStep, fillAcute, fillReporter, sendReport } from './resident-utils.ts';

const NOTICE = '.mb-address-notice';

/** Step 1, then step 2 with this address (street and place left empty), sent. */
async function sendAddress(page: Page, tag: string, postcode: string, houseNumber: string, addition = '') {
  const a = dhrP(tag);
  await page.goto('/melden');
  await fillAcute(page, 'nee');
  await submit(page, NEXT);
  await expectStep(page, 2);
  await field(page, Q.personName).fill(a.person.name!);
  await option(page, Q.age, '18 jaar of ouder').check();
  await option(page, Q.location, 'Op een adres').check();
  await field(page, Q.postcode).fill(postcode);
  await field(page, Q.houseNumber).fill(houseNumber);
  await field(page, Q.addition).fill(addition);
  return { a, response: await submit(page, NEXT) };
}

/** Steps 3 and 4 and the check page, then sent: the reference. */
async function finish(page: Page, tag: string): Promise<string> {
  const a = dhrP(tag);
  await expectStep(page, 3);
  await fillConcerns(page, a.concerns);
  await submit(page, NEXT);
  await fillReporter(page, a.reporter);
  await submit(page, NEXT);
  await expectCheckPage(page);
  return sendReport(page);
}

test.describe('address lookup on step 2', () => {
  test.describe.configure({ timeout: 90_000 });
  test('one match: street and village filled in, editable, stored with the BAG identifiers and areas', async ({ page }) => {
    const tag = marker('een');
    const { response } = await sendAddress(page, tag, '9801 zz', '12');
    expect(response.status()).toBe(303);
    await expectStep(page, 3);
    // The next page says which address was found (spec §2: the resident sees street and place there).
    await expect(page.locator(NOTICE)).toHaveText('Wij vonden dit adres: Hoofdstraat 12, 9801ZZ Zuidhorn. Klopt het niet? Ga dan terug naar de vorige stap en pas het aan.');
    await expectNoAxeViolations(page, 'step 3 with the address found');
    // Back on step 2 the register's street and village are filled in.
    await page.getByRole('link', { name: 'Vorige stap' }).click();
    await expectStep(page, 2);
    await expect(field(page, Q.street)).toHaveValue('Hoofdstraat');
    await expect(field(page, Q.place)).toHaveValue('Zuidhorn');
    // The reporter may change them; the same address sent again keeps the change.
    await field(page, Q.place).fill('Zuidhorn (bij de kerk)');
    await submit(page, NEXT);
    await fillConcerns(page, dhrP(tag).concerns);
    await submit(page, NEXT);
    await fillReporter(page, dhrP(tag).reporter);
    await submit(page, NEXT);
    await expectCheckPage(page);
    await expect(page.locator('dd').filter({ hasText: 'Hoofdstraat' })).toHaveCount(1);
    await expect(page.locator('dd').filter({ hasText: 'Zuidhorn (bij de kerk)' })).toHaveCount(1);
    const reference = await sendReport(page);
    expect(reportByReference(servers.main, reference)).toMatchObject({
      address_check: 'gevonden',
      bag_address_id: '1969200000081012',
      bag_object_id: '1969010000081012',
      woonplaats: 'Zuidhorn',
      municipality_code: '1969',
      other_municipality: 0,
      wijk_code: 'WK196902',
      wijk_name: 'Wijk 02 Zuidhorn',
      buurt_code: 'BU19690200',
      buurt_name: 'Zuidhorn Centrum',
      street: 'Hoofdstraat',
      place: 'Zuidhorn (bij de kerk)',
    });
    expect(reportByReference(servers.main, reference)!.address_checked_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('several: "Welk adres bedoelt u?" with every address and "Een ander adres"; a choice is needed, then stored', async ({ page }) => {
    const tag = marker('keuze');
    await page.setViewportSize({ width: 320, height: 800 });
    const { response } = await sendAddress(page, tag, '9351 XY', '14');
    expect(response.status()).toBe(303);
    await expectStep(page, 2);
    await expect(page.locator(NOTICE)).toContainText('Wij vonden meer dan één adres');
    const choice = group(page, 'Welk adres bedoelt u?');
    await expect(choice.getByRole('radio')).toHaveCount(5);
    await expect(choice.locator('label')).toHaveText([
      'Kerkstraat 14, 9351XY Leek',
      'Kerkstraat 14-1, 9351XY Leek',
      'Kerkstraat 14A, 9351XY Leek',
      'Kerkstraat 14B, 9351XY Leek',
      'Een ander adres',
    ]);
    // At 320 px the question fits without sideways scrolling; no axe violations.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectNoAxeViolations(page, 'step 2 with "Welk adres bedoelt u?"');
    // Everything typed is still there.
    await expect(field(page, Q.postcode)).toHaveValue('9351 XY');
    await expect(field(page, Q.personName)).toHaveValue(dhrP(tag).person.name!);
    // Going on without choosing: a clear message at the question.
    const refused = await submitRefused(page, NEXT);
    expect(refused.status()).toBe(400);
    await expect(page.getByRole('alert').getByRole('link', { name: 'Kies welk adres u bedoelt' })).toBeVisible();
    await expectNoAxeViolations(page, 'step 2, address not chosen');
    await option(page, 'Welk adres bedoelt u?', 'Kerkstraat 14A, 9351XY Leek').check();
    expect((await submit(page, NEXT)).status()).toBe(303);
    const reference = await finish(page, tag);
    expect(reportByReference(servers.main, reference)).toMatchObject({ address_check: 'gevonden', bag_address_id: '1969200000035015', woonplaats: 'Leek', street: 'Kerkstraat' });
  });

  test('several, but the typed addition names one: no question; "Een ander adres" is stored as such', async ({ page }) => {
    const tag = marker('letter');
    await sendAddress(page, tag, '9351xy', '14', 'b');
    await expectStep(page, 3);
    const first = await finish(page, tag);
    expect(reportByReference(servers.main, first)).toMatchObject({ bag_address_id: '1969200000035016', house_addition: 'b' });

    const other = marker('ander');
    await sendAddress(page, other, '9351 XY', '14');
    await option(page, 'Welk adres bedoelt u?', 'Een ander adres').check();
    await submit(page, NEXT);
    const second = await finish(page, other);
    expect(reportByReference(servers.main, second)).toMatchObject({ address_check: 'ander_adres', bag_address_id: null, woonplaats: null });
  });

  test('no match: the plain message on the next page, and the resident goes on', async ({ page }) => {
    const tag = marker('geen');
    await sendAddress(page, tag, '9351 XY', '99');
    await expectStep(page, 3);
    await expect(page.locator(NOTICE)).toHaveText('We konden dit adres niet vinden. Controleer de postcode en het huisnummer, of ga verder.');
    const reference = await finish(page, tag);
    expect(reportByReference(servers.main, reference)).toMatchObject({ address_check: 'niet_gevonden', woonplaats: null, other_municipality: 0 });
  });

  test('another municipality: the notice with its name; flagged for the coordinator', async ({ page }) => {
    const tag = marker('elders');
    await sendAddress(page, tag, '9711 AA', '1');
    await expectStep(page, 3);
    await expect(page.locator(NOTICE)).toHaveText('Dit adres ligt in de gemeente Groningen. U kunt uw melding hier afmaken; wij sturen hem door naar die gemeente.');
    const reference = await finish(page, tag);
    expect(reportByReference(servers.main, reference)).toMatchObject({ other_municipality: 1, municipality_code: '0014', municipality_name: 'Groningen', woonplaats: 'Groningen' });
  });

  test('another address on step 2 again: the street and place the first lookup filled in make way for the new ones', async ({ page }) => {
    const tag = marker('ander');
    await sendAddress(page, tag, '9801 ZZ', '12');
    await expectStep(page, 3);
    await page.getByRole('link', { name: 'Vorige stap' }).click();
    await expectStep(page, 2);
    await expect(field(page, Q.street)).toHaveValue('Hoofdstraat');
    await field(page, Q.postcode).fill('9801 AB');
    await field(page, Q.houseNumber).fill('7');
    await submit(page, NEXT);
    await expectStep(page, 3);
    await expect(page.locator(NOTICE)).toContainText('Wij vonden dit adres: Dorpsstraat 7, 9801AB Zuidhorn.');
    const reference = await finish(page, tag);
    expect(reportByReference(servers.main, reference)).toMatchObject({ address_check: 'gevonden', street: 'Dorpsstraat', place: 'Zuidhorn', bag_address_id: '1969200000080107' });
  });

  for (const [what, number] of [['an error (500)', '9999'], ['too slow', '9998'], ['a reset connection', '9997']] as const) {
    test(`the service answers ${what}: accepted silently, marked "adres niet gecontroleerd"`, async ({ page }) => {
      const tag = marker('stuk');
      const { response } = await sendAddress(page, tag, '9801 ZZ', number);
      expect(response.status()).toBe(303);
      await expectStep(page, 3);
      await expect(page.locator(NOTICE)).toHaveCount(0);
      const reference = await finish(page, tag);
      expect(reportByReference(servers.main, reference)).toMatchObject({ address_check: 'niet_gecontroleerd', woonplaats: null, other_municipality: 0 });
    });
  }
});

test.describe('areas for the coordinator', () => {
  test.describe.configure({ timeout: 90_000 });
  test('the queue and the report page show the village and wijk from the register; the monitor counts by village or wijk', async ({ page }) => {
    const tag = marker('gebied');
    await sendAddress(page, tag, '9801 ZZ', '12');
    const reference = await finish(page, tag);
    const down = marker('gebied-stuk');
    await sendAddress(page, down, '9801 ZZ', '9999');
    const unchecked = await finish(page, down);

    await loginAs(page, servers.main, 'coordinator');
    await page.goto('/intern/triage?gebied=Zuidhorn');
    await expect(page.getByLabel('Gebied', { exact: true })).toHaveValue('Zuidhorn');
    const row = page.locator('table.mb-queue tbody tr').filter({ hasText: reference });
    await expect(row).toContainText('Zuidhorn');
    // Without a looked-up address: "Onbekend", and the mark for the coordinator.
    await page.goto('/intern/triage?gebied=onbekend');
    await expect(page.locator('table.mb-queue tbody tr').filter({ hasText: unchecked })).toContainText('Adres niet gecontroleerd');

    await page.goto(`/intern/triage/${reference}`);
    await expect(page.locator('dd').filter({ hasText: /^Adres gevonden in de adresregistratie/ })).toHaveCount(1);
    await expect(page.locator('dd').filter({ hasText: 'Wijk 02 Zuidhorn' })).toHaveCount(1);
    await expect(page.locator('dd').filter({ hasText: 'Zuidhorn Centrum' })).toHaveCount(1);
    await page.goto(`/intern/triage/${unchecked}`);
    await expect(page.getByText('Adres niet gecontroleerd: de adresregistratie was niet bereikbaar')).toBeVisible();

    await page.goto('/intern/monitor');
    // Exact: the monitor also has "Casussen per gebied: dorp".
    const byVillage = page.getByRole('region', { name: 'Gebied: dorp', exact: true });
    await expect(byVillage).toContainText('Gebied: dorp');
    await expect(byVillage).toContainText('Zuidhorn');
    await expect(byVillage).not.toContainText('9801');
    await page.getByLabel('Gebieden per').selectOption({ label: 'Wijk' });
    await page.getByRole('button', { name: 'Toon periode' }).click();
    await expect(page).toHaveURL(/gebied=wijk/);
    await expect(page.getByRole('region', { name: 'Gebied: wijk', exact: true })).toContainText('Wijk 02 Zuidhorn');
    await expect(page.getByRole('link', { name: 'Cijfers downloaden (CSV)' })).toHaveAttribute('href', /gebied=wijk/);
    await expectNoAxeViolations(page, 'monitor by wijk');
  });
});
