// "Vorige stap" and "Wijzigen" keep every answer; a change made from the check page leads back to it.
import { dhrP } from '../../fixtures/cases.ts';
import { OPTION, Q, expect, field, fillPerson, group, marker, option, reportByReference, servers, submit, submitRefused, test } from '../fixtures.ts';
import { NEXT, expectCheckPage, expectStep, sendReport, walkToCheck } from './resident-utils.ts';

test.describe('going back and changing answers', () => {
  test('Vorige stap from the check page back to step 1 shows every answer', async ({ page }) => {
    const tag = marker();
    const a = dhrP(tag);
    await walkToCheck(page, a);

    await page.getByRole('link', { name: 'Vorige stap' }).click();
    await expectStep(page, 4);
    await expect(option(page, Q.relation, OPTION.relation[a.reporter.relation])).toBeChecked();
    await expect(option(page, Q.anonymous, 'Nee, ik geef mijn gegevens')).toBeChecked();
    await expect(field(page, Q.reporterName)).toHaveValue(a.reporter.name!);
    await expect(field(page, Q.phone)).toHaveValue(a.reporter.phone!);
    await expect(field(page, Q.email)).toHaveValue(a.reporter.email!);

    await page.getByRole('link', { name: 'Vorige stap' }).click();
    await expectStep(page, 3);
    for (const c of a.concerns.concerns) await expect(option(page, Q.concerns, OPTION.concerns[c])).toBeChecked();
    await expect(group(page, Q.concerns).getByRole('checkbox', { checked: true })).toHaveCount(a.concerns.concerns.length);
    await expect(field(page, Q.description)).toHaveValue(a.concerns.description);
    await expect(option(page, Q.since, OPTION.since[a.concerns.since])).toBeChecked();
    await expect(option(page, Q.dangerToSelf, 'Ja')).toBeChecked();
    await expect(option(page, Q.dangerToOthers, 'Ja')).toBeChecked();
    await expect(option(page, Q.personAware, 'Nee')).toBeChecked();
    for (const w of a.concerns.involved) await expect(option(page, Q.involved, OPTION.involved[w])).toBeChecked();

    await page.getByRole('link', { name: 'Vorige stap' }).click();
    await expectStep(page, 2);
    await expect(field(page, Q.personName)).toHaveValue(a.person.name!);
    await expect(option(page, Q.age, OPTION.age[a.person.age])).toBeChecked();
    await expect(option(page, Q.location, OPTION.location[a.person.location])).toBeChecked();
    await expect(field(page, Q.postcode)).toHaveValue(a.person.postcode!);
    await expect(field(page, Q.houseNumber)).toHaveValue(a.person.houseNumber!);
    await expect(field(page, Q.addition)).toHaveValue(a.person.addition!);
    await expect(field(page, Q.street)).toHaveValue(a.person.street!);
    await expect(field(page, Q.place)).toHaveValue(a.person.place!);
    await expect(option(page, Q.children, 'Nee')).toBeChecked();

    await page.getByRole('link', { name: 'Vorige stap' }).click();
    await expectStep(page, 1);
    await expect(option(page, Q.acute, 'Nee')).toBeChecked();
    await expect(page.getByRole('link', { name: 'Terug naar de startpagina' })).toHaveAttribute('href', '/');

    // Every step is still complete: going forward from step 1 lands on the check page.
    expect((await submit(page, NEXT)).status()).toBe(303);
    await expectCheckPage(page);
    await expect(page.getByText(a.concerns.description)).toBeVisible();
  });

  test('Back after an error returns to the form, never to a "resubmit form?" page', async ({ page }) => {
    const a = dhrP(marker());
    await page.goto('/melden');
    await option(page, Q.acute, 'Nee').check();
    await submit(page, NEXT);
    await expectStep(page, 2);
    // Refused: the messages are on a page reached by a redirect, so it has an address of its own.
    await field(page, Q.personName).fill(a.person.name!);
    await field(page, Q.postcode).fill('12345');
    await submitRefused(page, NEXT);
    await expect(page).toHaveTitle(/^Fout: /);
    await expect(page).toHaveURL(/\/melden\/persoon$/);
    await expect(field(page, Q.personName)).toHaveValue(a.person.name!);

    // Corrected on the error page and sent: Back from step 3 shows step 2 with the corrected answers
    // (the error page was a GET, so nothing is posted again).
    await fillPerson(page, a.person);
    expect((await submit(page, NEXT)).status()).toBe(303);
    await expectStep(page, 3);
    const back = await page.goBack();
    expect(back?.status()).toBe(200);
    await expectStep(page, 2);
    await expect(page).not.toHaveTitle(/^Fout: /);
    // One more Back is still a page as the resident saw it before, not a browser error.
    const before = await page.goBack();
    expect(before?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^(Direct gevaar|Over de persoon)$/);
    await page.goForward();
    await expectStep(page, 2);
    await expect(field(page, Q.postcode)).toHaveValue(a.person.postcode!);
  });

  test('Wijzigen opens the step at the question; a change returns to the check page and is sent', async ({ page }) => {
    const tag = marker();
    const a = dhrP(tag);
    await walkToCheck(page, a);

    // The person's name.
    await page.getByRole('link', { name: 'Wijzigen naam van de persoon' }).click();
    await expectStep(page, 2);
    await expect(page).toHaveURL(/\/melden\/persoon#f-personName$/);
    await expect(field(page, Q.personName)).toBeFocused();
    await expect(field(page, Q.postcode)).toHaveValue(a.person.postcode!);
    await field(page, Q.personName).fill(`Dhr. P. de Boer ${tag}`);
    expect((await submit(page, NEXT)).status()).toBe(303);
    await expectCheckPage(page);
    await expect(page.getByText(`Dhr. P. de Boer ${tag}`)).toBeVisible();

    // The concerns: one off, one on.
    await page.getByRole('link', { name: 'Wijzigen waar maakt u zich zorgen over' }).click();
    await expectStep(page, 3);
    await expect(option(page, Q.concerns, 'Verward gedrag')).toBeFocused();
    await option(page, Q.concerns, 'Verslaving (alcohol of drugs)').uncheck();
    await option(page, Q.concerns, 'Verward gedrag').check();
    expect((await submit(page, NEXT)).status()).toBe(303);
    await expectCheckPage(page);
    await expect(page.locator('dd').filter({ hasText: 'Verward gedrag' })).toHaveCount(1);
    await expect(page.getByText('Verslaving (alcohol of drugs)')).toHaveCount(0);

    // A change that is refused first, then corrected, still returns to the check page.
    await page.getByRole('link', { name: 'Wijzigen wat heeft u gezien of gehoord' }).click();
    await field(page, Q.description).fill('Te kort');
    expect((await submitRefused(page, NEXT)).status()).toBe(400);
    await expect(field(page, Q.description)).toHaveValue('Te kort');
    await field(page, Q.description).fill(`${a.concerns.description} Gisteren weer.`);
    expect((await submit(page, NEXT)).status()).toBe(303);
    await expectCheckPage(page);

    // Anonymity: choosing it drops the contact details from the check page.
    await page.getByRole('link', { name: 'Wijzigen wilt u anoniem melden' }).click();
    await expectStep(page, 4);
    await expect(field(page, Q.reporterName)).toHaveValue(a.reporter.name!);
    await option(page, Q.anonymous, 'Ja, ik meld anoniem').check();
    expect((await submit(page, NEXT)).status()).toBe(303);
    await expectCheckPage(page);
    await expect(page.locator('dt', { hasText: Q.reporterName })).toHaveCount(0);
    await expect(page.getByText(a.reporter.email!)).toHaveCount(0);

    const reference = await sendReport(page);
    const row = reportByReference(servers.main, reference);
    expect(row).toMatchObject({
      person_name: `Dhr. P. de Boer ${tag}`,
      description: `${a.concerns.description} Gisteren weer.`,
      anonymous: 1,
      reporter_name: null,
      reporter_phone: null,
      reporter_email: null,
      postcode: '9351AB',
    });
    expect(row!.concerns).toEqual(['dreigen_geweld', 'overlast_agressie', 'verward_gedrag', 'zelfdoding']);
  });

  test('a later step cannot be opened before the earlier ones are answered', async ({ page }) => {
    await page.goto('/melden/over-u');
    await expectStep(page, 1);
    await expect(page).toHaveURL(/\/melden$/);
    await page.goto('/melden/controleren');
    await expectStep(page, 1);
  });
});
