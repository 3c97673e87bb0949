// The BOA form /intern/boa/melding (spec §4): an enforcement officer reports what they saw, on a
// phone. Name and service number come from the account; the time of the observation may not be in
// the future. Runs with JavaScript on and off.
import type { Page } from '@playwright/test';
import { amsterdamLocal, mevrB } from '../../fixtures/cases.ts';
import { auditRows, createAccount, expect, field, marker, reportByReference, reportsContaining, servers, submit, submitRefused, test, type StaffAccount } from '../fixtures.ts';
import { S, expectFormErrors, expectStaffForm, fillStaffForm, openStaffForm, savedReference, staffAnswers, type StaffAnswers } from './staff-utils.ts';

const staff = servers.staff;
const HOUR = 3_600_000;

/** A fresh BOA account (its list of reports starts empty), logged in, on the form. */
function openForm(page: Page, serviceNumber?: string): Promise<StaffAccount> {
  return openStaffForm(page, 'boa', createAccount(staff, 'boa', serviceNumber ? { serviceNumber } : {}));
}

/** Mevr. B. as the officer enters her, seen at `observedAt`. */
function mevrBSeenAt(tag: string, observedAt: string): StaffAnswers {
  const answers = staffAnswers(mevrB(tag), 'boa');
  return { ...answers, observation: { ...answers.observation, observedAt } };
}

test.describe('BOA form on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: false, hasTouch: true });

  test('Mevr. B.: service number from the account, a future time refused with every answer kept, then saved', async ({ page }) => {
    const serviceNumber = `BOA-${marker('').slice(0, 6).toUpperCase()}`;
    const boa = await openForm(page, serviceNumber);
    const tag = marker('boa');
    await expect(page.getByText(`Melder: ${boa.name}, dienstnummer ${serviceNumber}.`)).toBeVisible();
    // Nothing sticks out sideways on a 390 px wide screen.
    const widths = await page.locator('html').evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    // The observation time starts at "now" (Amsterdam).
    const prefilled = await field(page, S.observedAt).inputValue();
    const nowLocal = amsterdamLocal(new Date());
    expect(Math.abs(Date.parse(`${prefilled}:00Z`) - Date.parse(`${nowLocal}:00Z`))).toBeLessThanOrEqual(5 * 60_000);

    const future = mevrBSeenAt(tag, amsterdamLocal(new Date(Date.now() + 26 * HOUR)));
    await fillStaffForm(page, future);
    const refused = await submitRefused(page, S.save);
    await expectFormErrors(page, refused, ['De datum en tijd mogen niet in de toekomst liggen']);
    await expect(page.getByText('Fout: De datum en tijd mogen niet in de toekomst liggen', { exact: true })).toBeVisible();
    await expectStaffForm(page, future);
    await expect(page.getByText(`Melder: ${boa.name}, dienstnummer ${serviceNumber}.`)).toBeVisible();
    expect(reportsContaining(staff, tag)).toEqual([]);

    const observedAt = amsterdamLocal(new Date(Date.now() - 2 * HOUR));
    await field(page, S.observedAt).fill(observedAt);
    expect((await submit(page, S.save)).status()).toBe(303);
    const reference = await savedReference(page, 'boa');
    await expect(page.getByText(/Status: Nieuw\./)).toBeVisible();
    expect(await page.content()).not.toContain(tag);

    const row = reportByReference(staff, reference)!;
    expect(row).toMatchObject({
      channel: 'boa',
      status: 'nieuw',
      entered_by: boa.id,
      acute_danger: 0,
      person_name: `Mevr. B. ${tag}`,
      postcode: '9861CD',
      house_number: '3',
      description: future.concerns.description,
      concern_since: 'langer_dan_jaar',
      danger_to_self: 'ja',
      danger_to_others: 'ja',
      person_aware: 'weet_niet',
      police_present: 0,
      police_reference: future.observation!.policeReference,
      reporter_relation: 'professional',
      anonymous: 0,
      reporter_name: null,
      intake_method: null,
      suggested_urgency: 'hoog',
    });
    expect(row.concerns).toEqual(['eenzaamheid', 'vervuiling', 'verwaarlozing']);
    // Stored in UTC; shown back in Amsterdam time it is what was typed.
    expect(row.observed_at).toMatch(/Z$/);
    expect(amsterdamLocal(new Date(row.observed_at!))).toBe(observedAt);
    expect(auditRows(staff, { action: 'melding_aangemaakt', object_id: reference })).toMatchObject([
      { actor_id: boa.id, actor_role: 'boa', object_type: 'melding', result: 'gelukt', on_behalf_of: null },
    ]);

    // The officer's own list: reference, date and time, status; no content.
    await page.getByRole('link', { name: 'Nieuwe melding invullen' }).click();
    const mine = page.getByRole('region', { name: 'Mijn laatste meldingen' });
    const when = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
    await expect(mine.getByRole('row').nth(1).getByRole('cell')).toHaveText([reference, when.format(new Date(row.created_at)), 'Nieuw']);
    expect(await page.content()).not.toContain(tag);
  });

  test('missing answers: every message in Dutch, in the summary and at the field', async ({ page }) => {
    await openForm(page);
    await field(page, S.observedAt).fill('');
    const refused = await submitRefused(page, S.save);
    const messages = [
      'Kies of er nu direct gevaar is voor iemand',
      'Kies de leeftijd van de persoon',
      'Kies waar de persoon woont of verblijft',
      'Kies minstens één ding waar u zich zorgen over maakt',
      'Beschrijf wat u heeft gezien of gehoord',
      'Kies sinds wanneer u zich zorgen maakt',
      'Kies of de persoon een gevaar is voor zichzelf',
      'Kies of de persoon een gevaar is voor anderen',
      'Kies of de persoon weet dat u deze melding doet',
      'Vul de datum en tijd van de waarneming in',
      'Kies of de politie ter plaatse was',
    ];
    await expectFormErrors(page, refused, messages);
    await expect(page.getByRole('alert').getByRole('listitem')).toHaveCount(messages.length);
    for (const message of messages) await expect(page.getByText(`Fout: ${message}`, { exact: true })).toBeVisible();
  });

  test('acute danger: "Bel nu 112", then a minimal record with a reference', async ({ page }) => {
    const boa = await openForm(page);
    const tag = marker('boa-acuut');
    const answers = { ...mevrBSeenAt(tag, amsterdamLocal(new Date(Date.now() - HOUR))), acute: 'ja' as const };
    await fillStaffForm(page, answers);
    const warned = await submitRefused(page, S.save);
    expect(warned.status()).toBe(200);
    await expect(page.getByRole('alert').getByRole('heading', { name: 'Bel nu 112.' })).toBeVisible();
    await expectStaffForm(page, answers);

    expect((await submit(page, S.acuteSave)).status()).toBe(303);
    const reference = await savedReference(page, 'boa');
    await expect(page.getByText(/Status: Acuut doorgezet\./)).toBeVisible();
    const row = reportByReference(staff, reference)!;
    expect(row).toMatchObject({
      channel: 'boa',
      status: 'acuut_doorgezet',
      acute_danger: 1,
      entered_by: boa.id,
      suggested_urgency: 'direct',
      person_name: null,
      postcode: null,
      description: null,
      observed_at: null,
      police_reference: null,
      reporter_name: null,
    });
    expect(row.concerns).toEqual([]);
    expect(reportsContaining(staff, tag)).toEqual([]);
  });
});
