// The address lookup on the KCC and BOA forms (spec §2: "The same lookup runs on the KCC, BOA and police
// forms"), against the local stand-in of PDOK Locatieserver, without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts).
import { dhrK, mevrB } from '../../fixtures/cases.ts';
import { expect, marker, option, reportByReference, servers, submit, submitRefused, test } from '../fixtures.ts';
import { S, fillStaffForm, openStaffForm, savedReference, staffAnswers, type StaffAnswers } from './staff-utils.ts';

const at = (a: StaffAnswers, postcode: string, houseNumber: string, addition = ''): StaffAnswers => ({
  ...a,
  person: { ...a.person, location: 'adres', postcode, houseNumber, addition, street: '', place: '' },
});

test.describe('address lookup on the staff forms', () => {
  test('KCC: several addresses → "Welk adres bedoelt u?" with everything typed kept; the choice is saved with its BAG id', async ({ page }) => {
    await openStaffForm(page, 'kcc');
    const tag = marker('kcc-adres');
    await fillStaffForm(page, at(staffAnswers(dhrK(tag), 'kcc'), '9351 XY', '14'));
    const asked = await submitRefused(page, S.save);
    expect(asked.status()).toBe(200);
    await expect(page.locator('.mb-address-notice')).toContainText('Wij vonden meer dan één adres');
    await expect(page.getByRole('group', { name: 'Welk adres bedoelt u?' }).getByRole('radio')).toHaveCount(5);
    await expect(page.getByLabel('Postcode', { exact: true })).toHaveValue('9351 XY');
    await option(page, 'Welk adres bedoelt u?', 'Kerkstraat 14B, 9351XY Leek').check();
    expect((await submit(page, S.save)).status()).toBe(303);
    const reference = await savedReference(page, 'kcc');
    await expect(page.locator('.mb-address-notice')).toHaveCount(0);
    expect(reportByReference(servers.staff, reference)).toMatchObject({
      channel: 'kcc',
      address_check: 'gevonden',
      bag_address_id: '1969200000035016',
      woonplaats: 'Leek',
      wijk_name: 'Wijk 01 Leek',
      // Empty street and place are filled in from the register.
      street: 'Kerkstraat',
      place: 'Leek',
    });
  });

  test('BOA: an address not in the register is saved, and the saved page says so', async ({ page }) => {
    await openStaffForm(page, 'boa');
    const tag = marker('boa-adres');
    await fillStaffForm(page, at(staffAnswers(mevrB(tag), 'boa'), '9861 CE', '77'));
    expect((await submit(page, S.save)).status()).toBe(303);
    const reference = await savedReference(page, 'boa');
    await expect(page.locator('.mb-address-notice')).toContainText('Dit adres staat niet in de adresregistratie.');
    expect(reportByReference(servers.staff, reference)).toMatchObject({ channel: 'boa', address_check: 'niet_gevonden', woonplaats: null });
  });

  test('KCC: with the service down the report is saved at once, marked "niet gecontroleerd"', async ({ page }) => {
    await openStaffForm(page, 'kcc');
    const tag = marker('kcc-stuk');
    await fillStaffForm(page, at(staffAnswers(dhrK(tag), 'kcc'), '9801 ZZ', '9999'));
    expect((await submit(page, S.save)).status()).toBe(303);
    const reference = await savedReference(page, 'kcc');
    expect(reportByReference(servers.staff, reference)).toMatchObject({ address_check: 'niet_gecontroleerd', woonplaats: null });
  });
});
