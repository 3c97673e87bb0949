// Issue 12, the person over time: the coordinator follows Dhr. P. from his first report into one
// casus, up from AVE 2 to AVE 3 with procesregie and back down to AVE 2, on one page, with the audit
// rows it writes; only the coordinator reaches the casus pages. Runs
// without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts); axe on each new page, normal and with an error; no sideways scroll at 320 px.
import { dhrP } from '../../fixtures/cases.ts';
import { auditRows, expect, expectNoAxeViolations, loginAs, marker, staffRequest, submit, test } from '../fixtures.ts';
import { addDays, amsterdamToday, main, openReport, residentReport, triageChange, uniqueAddress } from './triage-utils.ts';

test.describe.configure({ timeout: 180_000 });

async function noSidewaysScroll(page: import('@playwright/test').Page, what: string): Promise<void> {
  await page.setViewportSize({ width: 320, height: 800 });
  const widths = await page.locator('html').evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
  expect(widths.scroll, `${what} at 320 px`).toBeLessThanOrEqual(widths.client);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('Dhr. P.: two reports into one casus, AVE 2 → 3 with procesregie, back to AVE 2, on one page', async ({ page }) => {
  const tag = marker('casus');
  const c = dhrP(tag);
  const address = uniqueAddress();
  const person = { ...c.person, postcode: address.postcode, houseNumber: address.houseNumber, addition: '' };
  const first = await residentReport({ ...c, person });
  const second = await residentReport({ ...c, person });
  await loginAs(page, main, 'coordinator');
  await triageChange(page.request, first, { intent: 'urgency_ave', urgency: 'hoog', avePhase: 'ave2', aveReason: 'Meerdere zorgen, hulpverlening nodig' });

  // The first report: a new casus.
  await openReport(page, first);
  const caseName = `Dhr. P. ${tag}, Hoofdstraat`;
  await page.getByLabel('Naam of omschrijving', { exact: true }).fill(caseName);
  await submit(page, 'Casus aanmaken');
  await expect(page.getByRole('status')).toContainText('Opgeslagen: casus aangemaakt.');
  const link = page.getByRole('link', { name: new RegExp(`casus \\d+: ${caseName}`) });
  await expect(link).toBeVisible();
  const href = (await link.getAttribute('href'))!;
  const nummer = href.split('/').at(-1)!;

  // The second report: its earlier report's casus is offered first.
  await openReport(page, second);
  const choice = page.getByLabel('Kies een open casus', { exact: true });
  await expect(choice.locator('option').nth(1)).toHaveText(`${caseName} (casus ${nummer}), bij een eerdere melding`);
  await choice.selectOption({ label: `${caseName} (casus ${nummer}), bij een eerdere melding` });
  await submit(page, 'Toevoegen aan casus');
  await expect(page.getByRole('link', { name: new RegExp(`casus ${nummer}: `) })).toBeVisible();

  // The queue's Casus column (spec §5) links both reports to it.
  for (const reference of [first, second]) {
    await page.goto(`${main.origin}/intern/triage`);
    await page.getByLabel('Zoeken op referentienummer, straat of postcode').fill(reference);
    await submit(page, 'Zoeken');
    const row = page.locator('table.mb-queue tbody tr').filter({ hasText: reference });
    await expect(row.getByRole('link', { name: `Casus ${nummer}`, exact: true })).toHaveAttribute('href', href);
  }

  // The casus page: both reports on the timeline.
  await page.goto(href);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Casus ${nummer}: ${caseName}`);
  const timeline = page.getByRole('region', { name: 'Tijdlijn' });
  await expect(timeline.getByRole('link', { name: first })).toBeVisible();
  await expect(timeline.getByRole('link', { name: second })).toBeVisible();
  await expectNoAxeViolations(page, 'casus page');
  await noSidewaysScroll(page, 'casus page');

  // AVE 3 without a reason is refused, with the answer kept.
  const ave = page.getByRole('form', { name: 'AVE-fase', exact: true });
  await ave.getByRole('radio', { name: 'AVE 3', exact: true }).check();
  const refused = await submit(page, 'AVE-fase opslaan');
  expect(refused.status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Reden: Vul de reden in voor de nieuwe AVE-fase');
  await expect(ave.getByRole('radio', { name: 'AVE 3', exact: true })).toBeChecked();
  await expectNoAxeViolations(page, 'casus page with an error');

  // With a reason: opgeschaald; procesregie added.
  await page.getByRole('form', { name: 'AVE-fase', exact: true }).getByLabel('Reden', { exact: true }).fill('Zorg en veiligheid: dreigt met geweld');
  await submit(page, 'AVE-fase opslaan');
  await expect(page.getByRole('status')).toContainText('Opgeslagen: AVE-fase.');
  const regie = page.getByRole('form', { name: 'Regie', exact: true });
  await regie.getByLabel('Casusregisseur').fill('J. de Vries, Sociaal team');
  await regie.getByLabel('Procesregisseur').fill('M. Bakker, Zorg- en Veiligheidshuis');
  await submit(page, 'Regie opslaan');
  await expect(page.getByText('Procesregisseur: M. Bakker, Zorg- en Veiligheidshuis').first()).toBeVisible();

  // An action, refused without what and who; then one due yesterday: overdue on the casus page, the list
  // and the start page (the queue), until it is done.
  await page.getByRole('region', { name: 'Acties' }).getByLabel('Uiterlijk').fill(addDays(amsterdamToday(), -1));
  expect((await submit(page, 'Actie toevoegen')).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Actie: Vul in wat er moet gebeuren');
  await expectNoAxeViolations(page, 'casus page, action refused');
  await page.getByRole('region', { name: 'Acties' }).getByLabel('Actie', { exact: true }).fill('Huisbezoek met de GGZ plannen');
  await page.getByRole('region', { name: 'Acties' }).getByLabel('Wie').fill('Sociaal team');
  await submit(page, 'Actie toevoegen');
  await expect(page.getByRole('region', { name: 'Acties' })).toContainText('Huisbezoek met de GGZ plannen (Sociaal team)');
  await expect(page.getByRole('region', { name: 'Acties' })).toContainText('Te laat.');
  await page.goto('/intern/triage');
  await expect(page.getByRole('region', { name: 'Acties te laat' }).getByRole('link', { name: new RegExp(`^Casus ${nummer}: actie uiterlijk`) })).toBeVisible();
  await expectNoAxeViolations(page, 'start page with overdue actions');
  await page.goto('/intern/casussen?te-laat=1');
  await expect(page.getByRole('row').filter({ hasText: caseName })).toContainText('1 open, 1 te laat');
  await page.goto(href);
  await submit(page, /^Afgerond/);
  await expect(page.getByRole('region', { name: 'Acties' })).toContainText('Afgerond.');

  // Back down after the house was cleaned.
  await page.getByRole('form', { name: 'AVE-fase', exact: true }).getByRole('radio', { name: 'AVE 2', exact: true }).check();
  await page.getByRole('form', { name: 'AVE-fase', exact: true }).getByLabel('Reden', { exact: true }).fill('Huis schoon, hulp loopt');
  await submit(page, 'AVE-fase opslaan');
  const items = page.getByRole('region', { name: 'Tijdlijn' }).getByRole('listitem');
  await expect(items.filter({ hasText: 'Afgeschaald: AVE 3 → AVE 2' })).toContainText('Reden: Huis schoon, hulp loopt');
  await expect(items.filter({ hasText: 'Opgeschaald: AVE 2 → AVE 3' })).toContainText('Reden: Zorg en veiligheid: dreigt met geweld');
  // Newest first: the de-escalation above the escalation.
  const texts = await items.allInnerTexts();
  expect(texts.findIndex((t) => t.includes('Afgeschaald'))).toBeLessThan(texts.findIndex((t) => t.includes('Opgeschaald')));

  // Each casus field is found by its label alone (no form or section named the same).
  for (const label of ['Naam of omschrijving', 'Wvggz', 'Casusregisseur', 'Procesregisseur', 'Behandelregie']) await expect(page.getByLabel(label)).toHaveCount(1);
  // The report page shows the casus's phase now.
  await openReport(page, first);
  await expect(page.getByRole('form', { name: 'Casus', exact: true })).toContainText('AVE-fase van de casus: AVE 2');
  await expect(page.locator('.mb-facts')).toContainText(`AVE-fase (casus ${nummer}): AVE 2.`);

  // The list.
  await page.goto('/intern/casussen');
  await expect(page.getByRole('row').filter({ hasText: caseName })).toContainText('AVE 2');
  await expectNoAxeViolations(page, 'casus list');
  await noSidewaysScroll(page, 'casus list');

  // The audit rows: every view and change; never a name.
  const actions = auditRows(main, { object_type: 'casus', object_id: nummer }).map((r) => `${r.action}:${r.result}`);
  for (const a of ['casus_aangemaakt:gelukt', 'casus_melding_toegevoegd:gelukt', 'casus_bekeken:gelukt', 'wijziging_casus_ave:geweigerd', 'casus_opgeschaald:gelukt', 'casus_regie_gewijzigd:gelukt', 'casus_afgeschaald:gelukt', 'wijziging_casus_add_action:geweigerd', 'casus_actie_toegevoegd:gelukt', 'casus_actie_afgerond:gelukt']) {
    expect(actions, a).toContain(a);
  }
  expect(auditRows(main, { object_type: 'melding', object_id: second, action: 'aan_casus_toegevoegd' })).toHaveLength(1);
  expect(JSON.stringify(auditRows(main, { object_type: 'casus', object_id: nummer }))).not.toContain(tag);
});

test('only the coordinator reaches the casus pages; the others get the "geen toegang" answer', async () => {
  for (const path of ['/intern/casussen', '/intern/casussen/1']) {
    for (const role of ['kcc', 'boa', 'admin'] as const) {
      const req = await staffRequest(main, role);
      const response = await req.get(path, { maxRedirects: 0 });
      expect(response.status(), `${role} ${path}`).toBe(403);
      expect(await response.text()).toContain('U heeft geen toegang tot deze pagina');
      await req.dispose();
    }
    const coordinator = await staffRequest(main, 'coordinator');
    expect([200, 404]).toContain((await coordinator.get(path, { maxRedirects: 0 })).status());
    await coordinator.dispose();
  }
});
