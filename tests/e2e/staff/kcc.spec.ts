// The KCC form /intern/kcc/melding (spec §3): a call-centre agent types a report on a caller's
// behalf, reads the reference out, and sees today's reports without their content. Runs
// without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts).
import type { Page } from '@playwright/test';
import { dhrK } from '../../fixtures/cases.ts';
import { auditRows, expect, field, marker, outboxOf, reportByReference, reportsContaining, servers, submit, submitRefused, test, waitForPost } from '../fixtures.ts';
import { S, expectFormErrors, expectStaffForm, fillStaffForm, openStaffForm, savedReference, staffAnswers } from './staff-utils.ts';

const staff = servers.staff;
/** A fresh KCC account (its list of today's reports starts empty), logged in, on the form. */
const openForm = (page: Page) => openStaffForm(page, 'kcc');

const time = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' });

test.describe('KCC form', () => {
  test('Dhr. K., on behalf of his daughter: reference to read out, then in today\'s list with time and status only', async ({ page }) => {
    const kcc = await openForm(page);
    const tag = marker('kcc');
    await expect(page.getByRole('heading', { name: 'Mijn meldingen van vandaag' })).toBeVisible();
    await expect(page.getByText('Nog geen meldingen.')).toBeVisible();

    const answers = staffAnswers(dhrK(tag), 'kcc');
    await fillStaffForm(page, answers);
    const response = await submit(page, S.save);
    expect(response.status()).toBe(303);
    const reference = await savedReference(page, 'kcc');
    await expect(page.getByText(`Lees het nummer voor aan de beller: ${reference.slice(0, 7)} ${reference.slice(7)}.`)).toBeVisible();
    await expect(page.getByText(/Status: Nieuw\./)).toBeVisible();
    // After saving the agent sees no content.
    expect(await page.content()).not.toContain(tag);

    const row = reportByReference(staff, reference)!;
    expect(row).toMatchObject({
      channel: 'kcc',
      status: 'nieuw',
      entered_by: kcc.id,
      acute_danger: 0,
      intake_method: 'telefoon',
      person_name: `Dhr. K. ${tag}`,
      person_age: '18_plus',
      location_kind: 'adres',
      postcode: '9801AB',
      house_number: '7',
      street: 'Dorpsstraat',
      place: 'Zuidhorn',
      children_in_home: 'nee',
      description: answers.concerns.description,
      concern_since: 'paar_maanden',
      danger_to_self: 'weet_niet',
      danger_to_others: 'ja',
      person_aware: 'nee',
      reporter_relation: 'familie',
      anonymous: 0,
      reporter_name: `Ineke K. ${tag}`,
      reporter_phone: '06 23456789',
      reporter_email: `ineke.${tag}@example.nl`,
      captcha_status: 'niet_van_toepassing',
      suggested_urgency: 'hoog',
      urgency: 'hoog',
    });
    expect(row.concerns).toEqual(['dreigen_geweld', 'overlast_agressie']);
    expect(JSON.parse(row.involved)).toEqual(['wijkteam', 'veilig_thuis']);
    // The caller gets a confirmation, the coordinators a notification; neither holds the report.
    expect(await outboxOf(staff, row.id, tag)).toEqual([
      { kind: 'coordinator_notification', recipient: expect.any(String), containsText: false },
      // The address is erased once the mail is sent.
      { kind: 'reporter_confirmation', recipient: expect.stringMatching(new RegExp(`^(ineke\\.${tag}@example\\.nl)?$`)), containsText: false },
    ]);
    // Created on the caller's behalf.
    expect(auditRows(staff, { action: 'melding_aangemaakt', object_id: reference })).toMatchObject([
      { actor_id: kcc.id, actor_role: 'kcc', object_type: 'melding', result: 'gelukt', on_behalf_of: 'beller' },
    ]);

    await page.getByRole('link', { name: 'Nieuwe melding invullen' }).click();
    await expect(page).toHaveURL(`${staff.origin}/intern/kcc/melding`);
    // A fresh form.
    await expect(field(page, 'Wat heeft u gezien of gehoord?')).toHaveValue('');
    const today = page.getByRole('region', { name: 'Mijn meldingen van vandaag' });
    await expect(today.getByRole('columnheader')).toHaveText(['Referentienummer', 'Tijd', 'Status']);
    await expect(today.getByRole('row')).toHaveCount(2);
    await expect(today.getByRole('row').nth(1).getByRole('cell')).toHaveText([reference, time.format(new Date(row.created_at)), 'Nieuw']);
    expect(await page.content()).not.toContain(tag);
    expect(await today.innerText()).not.toMatch(/Dhr\. K\.|Ineke|brand/);
  });

  test('a caller who stays anonymous: the name, phone and e-mail typed are dropped', async ({ page }) => {
    const kcc = await openForm(page);
    const tag = marker('anon');
    const kase = dhrK(tag);
    const answers = staffAnswers({ ...kase, reporter: { ...kase.reporter, anonymous: true } }, 'kcc');
    // First without saying how the report came in: the error keeps everything, the checkbox too.
    await fillStaffForm(page, { ...answers, intakeMethod: undefined });
    const refused = await submitRefused(page, S.save);
    await expectFormErrors(page, refused, ['Kies hoe de melding binnenkwam']);
    await expectStaffForm(page, { ...answers, intakeMethod: undefined });
    await expect(field(page, S.callerAnonymous)).toBeChecked();

    await page.getByRole('group', { name: S.intakeMethod }).getByLabel('Balie', { exact: true }).check();
    expect((await submit(page, S.save)).status()).toBe(303);
    const reference = await savedReference(page, 'kcc');
    expect(reportByReference(staff, reference)).toMatchObject({
      channel: 'kcc',
      entered_by: kcc.id,
      intake_method: 'balie',
      anonymous: 1,
      reporter_relation: 'familie',
      reporter_name: null,
      reporter_phone: null,
      reporter_email: null,
      suggested_urgency: 'hoog',
    });
    // The caller's name was typed, but is nowhere in the report, and no confirmation goes out.
    expect(reportsContaining(staff, `Ineke K. ${tag}`)).toEqual([]);
    expect((await outboxOf(staff, reportByReference(staff, reference)!.id, tag)).map((m) => m.kind)).toEqual(['coordinator_notification']);

    // Back from the saved page is the form page (a GET, so nothing is posted again), not an error page:
    // the refused answers were shown once and deleted.
    const back = await page.goBack();
    expect(back?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: 'Melding namens beller' })).toBeVisible();
    await expect(page).not.toHaveTitle(/^Fout: /);
    await expect(page.getByRole('heading', { name: 'Er is een probleem' })).toHaveCount(0);
  });

  test('errors: status 400, "Fout:" title, the summary, and every answer kept; then saved', async ({ page }) => {
    await openForm(page);
    const tag = marker('fout');
    const good = staffAnswers(dhrK(tag), 'kcc');
    const bad = {
      ...good,
      concerns: { ...good.concerns, description: 'Te kort' },
      caller: { ...good.caller, relation: undefined, phone: 'geen nummer' },
    };
    await fillStaffForm(page, bad);
    const refused = await submitRefused(page, S.save);
    await expectFormErrors(page, refused, [
      'Schrijf minstens 10 tekens over wat u heeft gezien of gehoord',
      'Kies de relatie van de beller tot de persoon',
      'Vul een telefoonnummer in zoals 06 12345678 of +31 6 12345678',
    ]);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Melding namens beller');
    // The message next to its field, and the summary link leads there.
    await expect(page.getByText('Fout: Kies de relatie van de beller tot de persoon', { exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Kies de relatie van de beller tot de persoon' })).toHaveAttribute('href', /^#f-callerRelation/);
    await expectStaffForm(page, bad);
    expect(reportsContaining(staff, tag)).toEqual([]);

    // Put right what was wrong; everything else is still there.
    await field(page, 'Wat heeft u gezien of gehoord?').fill(good.concerns.description!);
    await page.getByRole('group', { name: S.callerRelation }).getByLabel('Familie', { exact: true }).check();
    await field(page, S.callerPhone).fill(good.caller!.phone!);
    expect((await submit(page, S.save)).status()).toBe(303);
    const reference = await savedReference(page, 'kcc');
    expect(reportByReference(staff, reference)).toMatchObject({ person_name: `Dhr. K. ${tag}`, reporter_phone: '06 23456789', reporter_relation: 'familie' });
  });

  test('acute danger: the 112 instruction, then a minimal record with a reference and no content', async ({ page }) => {
    const kcc = await openForm(page);
    const tag = marker('acuut');
    const answers = { ...staffAnswers(dhrK(tag), 'kcc'), acute: 'ja' as const, intakeMethod: undefined };
    await fillStaffForm(page, answers);
    const warned = await submitRefused(page, S.save);
    expect(warned.status()).toBe(200);
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('heading', { name: 'Verbind de beller nu door met 112.' })).toBeVisible();
    await expect(alert.getByRole('button', { name: S.acuteSave })).toBeVisible();
    await expectStaffForm(page, answers);
    expect(reportsContaining(staff, tag)).toEqual([]);

    // A 112 transfer is never held up by the channel (spec §3): it defaults to `Telefoon`, and the
    // agent may still choose another.
    await expect(page.getByRole('group', { name: S.intakeMethod }).getByLabel('Telefoon', { exact: true })).toBeChecked();
    await page.getByRole('group', { name: S.intakeMethod }).getByLabel('Telefoon via 0800-1205', { exact: true }).check();

    const saved = await submit(page, S.acuteSave);
    expect(saved.status()).toBe(303);
    const reference = await savedReference(page, 'kcc');
    await expect(page.getByText(/Status: Acuut doorgezet\./)).toBeVisible();
    // The caller is with 112: nothing to read out.
    await expect(page.getByText('Dit nummer hoeft u niet voor te lezen.', { exact: false })).toBeVisible();
    await expect(page.getByText(/Lees het nummer voor/)).toHaveCount(0);
    const row = reportByReference(staff, reference)!;
    expect(row).toMatchObject({
      channel: 'kcc',
      status: 'acuut_doorgezet',
      acute_danger: 1,
      entered_by: kcc.id,
      intake_method: 'telefoon_0800',
      suggested_urgency: 'direct',
      anonymous: 0,
    });
    // Time, agent and channel only: none of what was typed.
    for (const column of [
      'person_name', 'person_age', 'location_kind', 'postcode', 'house_number', 'street', 'place', 'location_description',
      'children_in_home', 'description', 'concern_since', 'danger_to_self', 'danger_to_others', 'person_aware',
      'reporter_relation', 'reporter_name', 'reporter_phone', 'reporter_email', 'observed_at', 'police_present',
    ] as const) {
      expect(row[column], column).toBeNull();
    }
    expect(row.concerns).toEqual([]);
    expect(row.involved).toBe('[]');
    expect(reportsContaining(staff, tag)).toEqual([]);
    expect(auditRows(staff, { object_id: reference })).toMatchObject([
      { action: 'melding_acuut_vastgelegd', actor_id: kcc.id, actor_role: 'kcc', result: 'gelukt', on_behalf_of: 'beller' },
    ]);

    await page.goto(`${staff.origin}/intern/kcc/melding`);
    await expect(page.getByRole('region', { name: 'Mijn meldingen van vandaag' }).getByRole('row').nth(1).getByRole('cell').nth(2)).toHaveText('Acuut doorgezet');
  });
});

test.describe('KCC form after the 112 warning', () => {
  test('no danger after all: "Nee" and Enter in a field save the full report, not an acute record', async ({ page }) => {
    const kcc = await openForm(page);
    const tag = marker('toch-niet');
    const answers = staffAnswers(dhrK(tag), 'kcc');
    await fillStaffForm(page, { ...answers, acute: 'ja' });
    expect((await submitRefused(page, S.save)).status()).toBe(200);
    await expect(page.getByRole('button', { name: S.acuteSave })).toBeVisible();

    // The caller calms down: no direct danger. The agent changes the answer and presses Enter.
    await page.getByRole('group', { name: 'Is er nu direct gevaar voor iemand?' }).getByLabel('Nee', { exact: true }).check();
    const response = await waitForPost(page, () => field(page, S.callerName).press('Enter'));
    expect(response.status()).toBe(303);
    const reference = await savedReference(page, 'kcc');
    await expect(page.getByText(/Status: Nieuw\./)).toBeVisible();
    expect(reportByReference(staff, reference)).toMatchObject({
      status: 'nieuw',
      acute_danger: 0,
      entered_by: kcc.id,
      description: answers.concerns.description,
      reporter_name: `Ineke K. ${tag}`,
      suggested_urgency: 'hoog',
    });
  });
});
