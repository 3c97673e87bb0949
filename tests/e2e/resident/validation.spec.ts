// Every step refuses empty and invalid answers the way the spec asks: HTTP 400, "Fout:" in the
// title, an error summary "Er is een probleem" linking to the fields, each message at its field, and
// every answer still filled in.
import type { Page, Response } from '@playwright/test';
import { dhrP } from '../../fixtures/cases.ts';
import { Q, expect, expectNoAxeViolations, field, fillConcerns, fillPerson, group, marker, option, submit, submitRefused, test } from '../fixtures.ts';
import { NEXT, answerStepsBefore, expectStep, fillReporter } from './resident-utils.ts';

interface ExpectedError {
  /** The field's label or the group's legend. */
  label: string;
  kind: 'field' | 'group';
  /** The id the summary links to: the input, or a group's first option. */
  id: string;
  message: string;
}

async function expectErrors(page: Page, response: Response, errors: ExpectedError[]): Promise<void> {
  expect(response.status()).toBe(400);
  await expect(page).toHaveTitle(/^Fout: /);
  const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Er is een probleem' }) });
  await expect(summary).toBeVisible();
  // The summary takes the focus when the page opens (autofocus: no JavaScript needed).
  await expect(summary).toBeFocused();
  const links = summary.getByRole('link');
  await expect(links).toHaveText(errors.map((e) => e.message));
  for (const [i, e] of errors.entries()) {
    await expect(links.nth(i)).toHaveAttribute('href', `#${e.id}`);
    // The message is shown at its field and read out with it.
    const target = e.kind === 'field' ? field(page, e.label) : group(page, e.label);
    await expect(target).toHaveAccessibleDescription(new RegExp(`Fout: ${escape(e.message)}`));
    if (e.kind === 'field') await expect(target).toHaveAttribute('aria-invalid', 'true');
    const container = e.kind === 'field' ? target.locator(`xpath=ancestor::div[contains(concat(' ', @class, ' '), ' utrecht-form-field ')][1]`) : target;
    await expect(container.locator('.utrecht-form-field-error-message')).toHaveText(`Fout: ${e.message}`);
  }
  // Only these messages: no field is flagged that was answered well.
  await expect(page.locator('.utrecht-form-field-error-message')).toHaveCount(errors.length);
  // Each link in the summary brings the resident to the field.
  for (const [i, e] of errors.entries()) {
    await links.nth(i).click();
    await expect(page.locator(`#${e.id}`)).toBeFocused();
    await expect(page.locator(`#${e.id}`)).toBeInViewport();
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test.describe('validation, step 1', () => {
  test('nothing chosen', async ({ page }) => {
    await page.goto('/melden');
    const response = await submitRefused(page, NEXT);
    await expectErrors(page, response, [
      { label: Q.acute, kind: 'group', id: 'f-acuteDanger-ja', message: 'Kies of er nu direct gevaar is voor iemand' },
    ]);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Direct gevaar');
    // Choosing now works and goes on.
    await option(page, Q.acute, 'Nee').check();
    expect((await submit(page, NEXT)).status()).toBe(303);
    await expectStep(page, 2);
  });
});

test.describe('validation, step 2', () => {
  test('nothing filled in', async ({ page }) => {
    await answerStepsBefore(page, 2, dhrP(marker()));
    await page.goto('/melden/persoon');
    const response = await submitRefused(page, NEXT);
    await expectErrors(page, response, [
      { label: Q.age, kind: 'group', id: 'f-personAge-jonger_dan_16', message: 'Kies de leeftijd van de persoon' },
      { label: Q.location, kind: 'group', id: 'f-locationKind-adres', message: 'Kies waar de persoon woont of verblijft' },
    ]);
  });

  test('invalid postcode, house number and too long texts; every answer stays', async ({ page }) => {
    await answerStepsBefore(page, 2, dhrP(marker()));
    await page.goto('/melden/persoon');
    const longName = `${'Pietersen-'.repeat(20)}X`; // 201 characters
    await fillPerson(page, {
      name: longName,
      age: '16_17',
      location: 'adres',
      postcode: '12345',
      houseNumber: '12a',
      addition: 'ABCDEFG',
      street: 'Kerkstraat',
      place: 'Zuidhorn',
      children: 'weet_niet',
    });
    const response = await submitRefused(page, NEXT);
    await expectErrors(page, response, [
      { label: Q.personName, kind: 'field', id: 'f-personName', message: 'Gebruik maximaal 200 tekens' },
      { label: Q.postcode, kind: 'field', id: 'f-postcode', message: 'Vul een postcode in zoals 1234 AB' },
      { label: Q.houseNumber, kind: 'field', id: 'f-houseNumber', message: 'Vul een huisnummer in met alleen cijfers, zoals 12' },
      { label: Q.addition, kind: 'field', id: 'f-houseAddition', message: 'Gebruik maximaal 6 tekens' },
    ]);
    await expect(field(page, Q.personName)).toHaveValue(longName);
    await expect(option(page, Q.age, '16 of 17 jaar')).toBeChecked();
    await expect(option(page, Q.location, 'Op een adres')).toBeChecked();
    await expect(field(page, Q.postcode)).toHaveValue('12345');
    await expect(field(page, Q.houseNumber)).toHaveValue('12a');
    await expect(field(page, Q.addition)).toHaveValue('ABCDEFG');
    await expect(field(page, Q.street)).toHaveValue('Kerkstraat');
    await expect(field(page, Q.place)).toHaveValue('Zuidhorn');
    await expect(option(page, Q.children, 'Weet ik niet')).toBeChecked();

    // Corrected, the step is accepted.
    await field(page, Q.personName).fill('Dhr. P.');
    await field(page, Q.postcode).fill('9351 ab');
    await field(page, Q.houseNumber).fill('12');
    await field(page, Q.addition).fill('a');
    expect((await submit(page, NEXT)).status()).toBe(303);
    await expectStep(page, 3);
  });

  test('address or place missing for the chosen kind of location', async ({ page }) => {
    await answerStepsBefore(page, 2, dhrP(marker()));
    await page.goto('/melden/persoon');
    await fillPerson(page, { age: 'onbekend', location: 'adres', place: 'Leek' });
    let response = await submitRefused(page, NEXT);
    await expectErrors(page, response, [
      { label: Q.postcode, kind: 'field', id: 'f-postcode', message: 'Vul de postcode in' },
      { label: Q.houseNumber, kind: 'field', id: 'f-houseNumber', message: 'Vul het huisnummer in' },
    ]);
    await expect(field(page, Q.place)).toHaveValue('Leek');

    await option(page, Q.location, 'Geen vast adres of adres onbekend').check();
    response = await submitRefused(page, NEXT);
    await expectErrors(page, response, [
      { label: Q.locationDescription, kind: 'field', id: 'f-locationDescription', message: 'Beschrijf de plek waar u de persoon ziet' },
    ]);
    await expect(option(page, Q.location, 'Geen vast adres of adres onbekend')).toBeChecked();
    await expect(option(page, Q.age, 'Weet ik niet')).toBeChecked();
  });
});

test.describe('validation, step 3', () => {
  test('nothing filled in', async ({ page }) => {
    await answerStepsBefore(page, 3, dhrP(marker()));
    await page.goto('/melden/zorgen');
    const response = await submitRefused(page, NEXT);
    await expectErrors(page, response, [
      { label: Q.concerns, kind: 'group', id: 'f-concerns-verward_gedrag', message: 'Kies minstens één ding waar u zich zorgen over maakt' },
      { label: Q.description, kind: 'field', id: 'f-description', message: 'Beschrijf wat u heeft gezien of gehoord' },
      { label: Q.since, kind: 'group', id: 'f-concernSince-minder_dan_week', message: 'Kies sinds wanneer u zich zorgen maakt' },
      { label: Q.dangerToSelf, kind: 'group', id: 'f-dangerToSelf-ja', message: 'Kies of de persoon een gevaar is voor zichzelf' },
      { label: Q.dangerToOthers, kind: 'group', id: 'f-dangerToOthers-ja', message: 'Kies of de persoon een gevaar is voor anderen' },
      { label: Q.personAware, kind: 'group', id: 'f-personAware-ja', message: 'Kies of de persoon weet dat u deze melding doet' },
    ]);
  });

  test('too short a description and one question left open; checkboxes and radios stay', async ({ page }) => {
    await answerStepsBefore(page, 3, dhrP(marker()));
    await page.goto('/melden/zorgen');
    await option(page, Q.concerns, 'Eenzaamheid').check();
    await option(page, Q.concerns, 'Iets anders').check();
    await field(page, Q.description).fill('Kort');
    await option(page, Q.since, 'Langer dan een jaar').check();
    await option(page, Q.dangerToSelf, 'Weet ik niet').check();
    await option(page, Q.personAware, 'Ja').check();
    await option(page, Q.involved, 'Huisarts').check();
    await option(page, Q.involved, 'Veilig Thuis').check();
    const response = await submitRefused(page, NEXT);
    await expectErrors(page, response, [
      { label: Q.description, kind: 'field', id: 'f-description', message: 'Schrijf minstens 10 tekens over wat u heeft gezien of gehoord' },
      { label: Q.dangerToOthers, kind: 'group', id: 'f-dangerToOthers-ja', message: 'Kies of de persoon een gevaar is voor anderen' },
    ]);
    await expect(field(page, Q.description)).toHaveValue('Kort');
    for (const c of ['Eenzaamheid', 'Iets anders']) await expect(option(page, Q.concerns, c)).toBeChecked();
    await expect(group(page, Q.concerns).getByRole('checkbox', { checked: true })).toHaveCount(2);
    await expect(option(page, Q.since, 'Langer dan een jaar')).toBeChecked();
    await expect(option(page, Q.dangerToSelf, 'Weet ik niet')).toBeChecked();
    await expect(group(page, Q.dangerToOthers).getByRole('radio', { checked: true })).toHaveCount(0);
    await expect(option(page, Q.personAware, 'Ja')).toBeChecked();
    for (const w of ['Huisarts', 'Veilig Thuis']) await expect(option(page, Q.involved, w)).toBeChecked();
    await expect(group(page, Q.involved).getByRole('checkbox', { checked: true })).toHaveCount(2);
  });

  test('a description over 4000 characters is refused and kept', async ({ page }) => {
    await answerStepsBefore(page, 3, dhrP(marker()));
    await page.goto('/melden/zorgen');
    const long = `${'Hij schreeuwt elke nacht '.repeat(160)}!`; // 4001 characters
    expect(long.length).toBe(4001);
    await fillConcerns(page, {
      concerns: ['overlast_agressie'],
      description: long,
      since: 'paar_weken',
      dangerToSelf: 'nee',
      dangerToOthers: 'ja',
      personAware: 'weet_niet',
    });
    const response = await submitRefused(page, NEXT);
    await expectErrors(page, response, [
      { label: Q.description, kind: 'field', id: 'f-description', message: 'Gebruik maximaal 4000 tekens. Maak uw tekst korter.' },
    ]);
    await expect(field(page, Q.description)).toHaveValue(long);
  });
});

test.describe('validation, step 4', () => {
  test('nothing chosen', async ({ page }) => {
    await answerStepsBefore(page, 4, dhrP(marker()));
    await page.goto('/melden/over-u');
    const response = await submitRefused(page, NEXT);
    await expectErrors(page, response, [
      { label: Q.relation, kind: 'group', id: 'f-reporterRelation-buren', message: 'Kies wat uw relatie tot de persoon is' },
      { label: Q.anonymous, kind: 'group', id: 'f-anonymous-nee', message: 'Kies of u anoniem wilt melden' },
    ]);
  });

  test('not anonymous without name and contact details', async ({ page }) => {
    await answerStepsBefore(page, 4, dhrP(marker()));
    await page.goto('/melden/over-u');
    await fillReporter(page, { relation: 'familie', anonymous: false });
    const response = await submitRefused(page, NEXT);
    await expectErrors(page, response, [
      { label: Q.reporterName, kind: 'field', id: 'f-reporterName', message: 'Vul uw naam in' },
      { label: Q.phone, kind: 'field', id: 'f-reporterPhone', message: 'Vul een telefoonnummer of een e-mailadres in' },
    ]);
    await expect(option(page, Q.relation, 'Familie')).toBeChecked();
    await expect(option(page, Q.anonymous, 'Nee, ik geef mijn gegevens')).toBeChecked();
  });

  test('an invalid phone number and e-mail address are refused and kept', async ({ page }) => {
    await answerStepsBefore(page, 4, dhrP(marker()));
    await page.goto('/melden/over-u');
    await fillReporter(page, { relation: 'vriend', anonymous: false, name: 'Anna de Vries', phone: 'bel me maar', email: 'anna@' });
    const response = await submitRefused(page, NEXT);
    await expectErrors(page, response, [
      { label: Q.phone, kind: 'field', id: 'f-reporterPhone', message: 'Vul een telefoonnummer in zoals 06 12345678 of +31 6 12345678' },
      { label: Q.email, kind: 'field', id: 'f-reporterEmail', message: 'Vul een e-mailadres in zoals naam@voorbeeld.nl' },
    ]);
    await expect(field(page, Q.reporterName)).toHaveValue('Anna de Vries');
    await expect(field(page, Q.phone)).toHaveValue('bel me maar');
    await expect(field(page, Q.email)).toHaveValue('anna@');
    await expect(option(page, Q.relation, 'Vriend of kennis')).toBeChecked();

    await field(page, Q.phone).fill('+31 6 12345678');
    await field(page, Q.email).fill('anna@example.nl');
    expect((await submit(page, NEXT)).status()).toBe(303);
    await expect(page).toHaveURL(/\/melden\/controleren$/);
  });
});

test.describe('too much text', () => {
  test('a post over the size limit gets 413 and a Dutch page with the form, which then works', async ({ page }) => {
    test.slow(); // three steps answered first, then a 2 MB post and a second attempt
    await answerStepsBefore(page, 3, dhrP(marker()));
    await page.goto('/melden/zorgen');
    await fillConcerns(page, {
      concerns: ['eenzaamheid'],
      description: 'Tijdelijk',
      since: 'paar_weken',
      dangerToSelf: 'nee',
      dangerToOthers: 'nee',
      personAware: 'nee',
    });
    // 2 MB pasted into the description (set directly: typing it would take minutes).
    await page.evaluate(() => {
      (document.getElementById('f-description') as HTMLTextAreaElement).value = 'tekst '.repeat(350_000);
    });
    const response = await submit(page, NEXT);
    expect(response.status()).toBe(413);
    await expect(page).toHaveTitle(/^Fout: Uw zorgen/);
    const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Er is een probleem' }) });
    await expect(summary.getByRole('link')).toHaveText([
      'U heeft te veel tekst ingevuld om te versturen. Maak uw tekst korter en probeer het opnieuw.',
    ]);
    await expectNoAxeViolations(page, 'step 3 after a post that was too large');
    await summary.getByRole('link').click();
    await expect(page.locator('#f-concerns-verward_gedrag')).toBeFocused();

    await fillConcerns(page, {
      concerns: ['eenzaamheid'],
      description: 'Hij komt al weken de deur niet meer uit.',
      since: 'paar_weken',
      dangerToSelf: 'nee',
      dangerToOthers: 'nee',
      personAware: 'nee',
    });
    expect((await submit(page, NEXT)).status()).toBe(303);
    await expectStep(page, 4);
  });
});
