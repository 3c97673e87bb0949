// A resident reports the seed case "Dhr. P." through all five steps, anonymously and with their
// details, and the report lands in the database exactly as typed.
import type { Page } from '@playwright/test';
import { dhrP, type Case } from '../../fixtures/cases.ts';
import { OPTION, Q, REFERENCE, expect, field, marker, reportByReference, servers, test } from '../fixtures.ts';
import { draftCookie, sendReport, walkToCheck } from './resident-utils.ts';

/** The check page lists the answer `text` under the question `label`, with a Wijzigen link to its step. */
async function expectRow(page: Page, label: string, text: string | RegExp, step: string): Promise<void> {
  const row = page.locator('.utrecht-data-list__item').filter({ has: page.getByText(label, { exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row.locator('dd').first()).toHaveText(text);
  const change = row.getByRole('link', { name: new RegExp(`^Wijzigen`) });
  await expect(change).toHaveAttribute('href', new RegExp(`^${step}#f-`));
}

async function expectCheckPageShows(page: Page, a: Case): Promise<void> {
  await expectRow(page, Q.acute, 'Nee', '/melden');
  await expectRow(page, Q.personName, a.person.name!, '/melden/persoon');
  await expectRow(page, Q.age, OPTION.age[a.person.age], '/melden/persoon');
  await expectRow(page, Q.location, OPTION.location[a.person.location], '/melden/persoon');
  await expectRow(page, Q.postcode, '9351AB', '/melden/persoon');
  await expectRow(page, Q.houseNumber, a.person.houseNumber!, '/melden/persoon');
  await expectRow(page, Q.addition, a.person.addition!, '/melden/persoon');
  await expectRow(page, Q.street, a.person.street!, '/melden/persoon');
  await expectRow(page, Q.place, a.person.place!, '/melden/persoon');
  await expectRow(page, Q.children, OPTION.yesNoUnknown[a.person.children!], '/melden/persoon');
  for (const c of a.concerns.concerns) await expect(page.locator('dd').filter({ hasText: OPTION.concerns[c] })).toHaveCount(1);
  await expectRow(page, Q.description, a.concerns.description, '/melden/zorgen');
  await expectRow(page, Q.since, OPTION.since[a.concerns.since], '/melden/zorgen');
  await expectRow(page, Q.dangerToSelf, OPTION.yesNoUnknown[a.concerns.dangerToSelf], '/melden/zorgen');
  await expectRow(page, Q.dangerToOthers, OPTION.yesNoUnknown[a.concerns.dangerToOthers], '/melden/zorgen');
  await expectRow(page, Q.personAware, OPTION.yesNoUnknown[a.concerns.personAware], '/melden/zorgen');
  await expectRow(page, Q.relation, OPTION.relation[a.reporter.relation], '/melden/over-u');
  await expectRow(page, Q.anonymous, a.reporter.anonymous ? 'Ja, ik meld anoniem' : 'Nee, ik geef mijn gegevens', '/melden/over-u');
  // One Wijzigen link per answer, each naming its question for screen readers.
  const rows = await page.locator('.utrecht-data-list__item').count();
  await expect(page.getByRole('link', { name: /^Wijzigen / })).toHaveCount(rows);
  await expect(page.getByRole('link', { name: 'privacyverklaring' })).toHaveAttribute('href', '/privacy');
  await expect(page.getByRole('checkbox')).toHaveCount(0); // no consent checkbox: public task, not consent
}

test.describe('happy path: Dhr. P. is reported', () => {
  test('with the reporter\'s details: every answer is shown, sent and stored', async ({ page }) => {
    const tag = marker();
    const answers = dhrP(tag);
    await walkToCheck(page, answers);
    await expectCheckPageShows(page, answers);
    await expectRow(page, Q.reporterName, answers.reporter.name!, '/melden/over-u');
    await expectRow(page, Q.phone, answers.reporter.phone!, '/melden/over-u');
    await expectRow(page, Q.email, answers.reporter.email!, '/melden/over-u');

    const reference = await sendReport(page);
    await expect(page.getByText('binnen 1 werkdag')).toBeVisible();
    await expect(page.getByText(/0800-1205/).first()).toBeVisible();
    await expect(page).toHaveTitle(/^Bedankt voor uw melding/);

    const row = reportByReference(servers.main, reference);
    expect(row, `report ${reference} in the database`).toBeDefined();
    expect(row).toMatchObject({
      channel: 'inwoner',
      status: 'nieuw',
      acute_danger: 0,
      person_name: answers.person.name,
      person_age: '18_plus',
      location_kind: 'adres',
      postcode: '9351AB',
      house_number: '12',
      house_addition: 'B',
      street: 'Hoofdstraat',
      place: 'Leek',
      location_description: null,
      children_in_home: 'nee',
      description: answers.concerns.description,
      concern_since: 'paar_maanden',
      danger_to_self: 'ja',
      danger_to_others: 'ja',
      person_aware: 'nee',
      reporter_relation: 'buren',
      anonymous: 0,
      reporter_name: answers.reporter.name,
      reporter_phone: '06 12345678',
      reporter_email: answers.reporter.email,
      captcha_status: 'niet_van_toepassing',
      suggested_urgency: 'hoog',
      urgency: 'hoog',
    });
    expect(row!.concerns).toEqual(['dreigen_geweld', 'overlast_agressie', 'verslaving', 'zelfdoding']);
    expect(JSON.parse(row!.involved)).toEqual(['politie', 'woningcorporatie']);
  });

  test('anonymously: contact details typed before choosing anonymity are not kept', async ({ page }) => {
    const tag = marker();
    // The resident first types a name, then decides to stay anonymous.
    const c = dhrP(tag);
    const answers = { ...c, reporter: { ...c.reporter, anonymous: true, name: `Niet bewaren ${tag}`, phone: '', email: '' } };
    await walkToCheck(page, answers);
    await expectCheckPageShows(page, answers);
    await expect(page.locator('dt', { hasText: Q.reporterName })).toHaveCount(0);
    await expect(page.getByText(`Niet bewaren ${tag}`)).toHaveCount(0);

    const reference = await sendReport(page);
    expect(reference).toMatch(REFERENCE);
    const row = reportByReference(servers.main, reference);
    expect(row).toMatchObject({
      anonymous: 1,
      reporter_relation: 'buren',
      reporter_name: null,
      reporter_phone: null,
      reporter_email: null,
      description: answers.concerns.description,
      postcode: '9351AB',
      suggested_urgency: 'hoog',
    });
    expect(row!.concerns).toEqual(['dreigen_geweld', 'overlast_agressie', 'verslaving', 'zelfdoding']);
  });

  test('after sending, the confirmation stays and a new report starts empty', async ({ page }) => {
    const tag = marker();
    const c = dhrP(tag);
    await walkToCheck(page, { ...c, reporter: { ...c.reporter, anonymous: true, name: '', phone: '', email: '' } });
    const reference = await sendReport(page);
    // Reloading the confirmation shows the same reference; the draft holds no answers any more.
    await page.reload();
    await expect(page.locator('#referentienummer')).toHaveText(reference);
    await page.goto('/melden/controleren');
    await expect(page).toHaveURL(/\/melden\/bedankt$/);
    await page.goto('/melden/persoon');
    await expect(page).toHaveURL(/\/melden$/);
    await page.goto('/melden');
    await expect(page.getByRole('radio', { checked: true })).toHaveCount(0);
    expect(await draftCookie(page)).toBeDefined();
  });
});

test.describe('privacy: no answer in a URL', () => {
  test('a marker typed in every free-text field never appears in any URL or in browser storage', async ({ page }) => {
    const tag = marker('url');
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    page.on('framenavigated', (f) => urls.push(f.url()));
    const answers = dhrP(tag);
    answers.person.street = `Straat${tag}`;
    answers.person.place = `Plaats${tag}`;
    answers.person.addition = 'C';

    // A refused step first: errors must not echo answers into the URL either.
    await page.goto('/melden');
    await page.getByRole('button', { name: 'Volgende stap' }).click();
    await expect(page).toHaveTitle(/^Fout:/);
    await walkToCheck(page, answers);
    await page.getByRole('link', { name: 'Wijzigen wat heeft u gezien of gehoord' }).click();
    await expect(field(page, Q.description)).toHaveValue(answers.concerns.description);
    await field(page, Q.description).fill(`${answers.concerns.description} Nog iets: ${tag}-2`);
    await page.getByRole('button', { name: 'Volgende stap' }).click();
    await expect(page).toHaveURL(/\/melden\/controleren$/);
    await sendReport(page);
    urls.push(page.url());

    expect(urls.length).toBeGreaterThan(10);
    const leaked = urls.filter((u) => u.includes(tag) || decodeURIComponent(u).includes(tag) || u.includes('9351'));
    expect(leaked).toEqual([]);
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(storage).not.toContain(tag);
    for (const cookie of await page.context().cookies()) {
      expect(cookie.value).not.toContain(tag);
      expect(cookie.name).toBe('mb_melding');
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe('Strict');
    }
  });
});
