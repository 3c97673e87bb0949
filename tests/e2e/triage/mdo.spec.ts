// Issue 12, the MDO: the coordinator follows Dhr. P. from two reports in one casus, up to AVE 3 with
// procesregie, onto the agenda of an MDO with a question, to an agreement and an action there (overdue on
// her start page), a printed agenda with shortened names, and back down to AVE 2 — the MDO with its
// agreements on the casus timeline, the audit rows it writes. Runs
// without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts); axe on each new page, normal and with an error; only the coordinator reaches the MDO routes.
import { dhrP } from '../../fixtures/cases.ts';
import { auditRows, expect, expectNoAxeViolations, loginAs, marker, staffRequest, submit, test, withDb } from '../fixtures.ts';
import { addDays, amsterdamToday, dutchDate, main, openReport, residentReport, triageChange, uniqueAddress } from './triage-utils.ts';

test.describe.configure({ timeout: 240_000 });

async function noSidewaysScroll(page: import('@playwright/test').Page, what: string): Promise<void> {
  await page.setViewportSize({ width: 320, height: 800 });
  const widths = await page.locator('html').evaluate((html) => ({ scroll: html.scrollWidth, client: html.clientWidth }));
  expect(widths.scroll, `${what} at 320 px`).toBeLessThanOrEqual(widths.client);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('Dhr. P.: one casus, AVE 2 → 3 with procesregie, on the agenda of an MDO, an agreement and an action, the printed agenda with shortened names, back to AVE 2', async ({ page }) => {
  const tag = marker('mdo');
  const c = dhrP(tag);
  const address = uniqueAddress();
  const person = { ...c.person, postcode: address.postcode, houseNumber: address.houseNumber, addition: '' };
  const first = await residentReport({ ...c, person });
  const second = await residentReport({ ...c, person });
  await loginAs(page, main, 'coordinator');
  await triageChange(page.request, first, { intent: 'urgency_ave', urgency: 'hoog', avePhase: 'ave2', aveReason: 'Meerdere zorgen, hulpverlening nodig' });

  // Two reports into one casus (the report page's forms, as casus.spec.ts drives them by hand).
  const caseName = `Dhr. P. ${tag}, Hoofdstraat`;
  await triageChange(page.request, first, { intent: 'case_create', caseName });
  const nummer = withDb(main, (db) => db.prepare('SELECT cr.case_id FROM case_reports cr JOIN reports r ON r.id = cr.report_id WHERE r.reference = ?').pluck().get(first)) as number;
  await triageChange(page.request, second, { intent: 'case_add', caseNumber: `casus-${nummer}` });

  // AVE 2 → 3 with a reason, and procesregie, on the casus page.
  await page.goto(`/intern/casussen/${nummer}`);
  const ave = page.getByRole('form', { name: 'AVE-fase', exact: true });
  await ave.getByRole('radio', { name: 'AVE 3', exact: true }).check();
  await ave.getByLabel('Reden', { exact: true }).fill('Zorg en veiligheid: dreigt met geweld');
  await submit(page, 'AVE-fase opslaan');
  const regie = page.getByRole('form', { name: 'Regie', exact: true });
  await regie.getByLabel('Casusregisseur').fill('J. de Vries, Sociaal team');
  await regie.getByLabel('Procesregisseur').fill('M. Bakker, Zorg- en Veiligheidshuis');
  await submit(page, 'Regie opslaan');

  // The report page shows the casus's phase and regisseurs, not its own fields.
  await openReport(page, first);
  const urgency = page.getByRole('form', { name: 'Urgentie', exact: true });
  await expect(urgency).toContainText(`AVE-fase van casus ${nummer}: AVE 3`);
  await expect(urgency.getByRole('radio', { name: 'AVE 3', exact: true })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Regie', exact: true })).toContainText('Procesregisseur: M. Bakker, Zorg- en Veiligheidshuis');
  await expect(page.getByLabel('Procesregisseur', { exact: true })).toHaveCount(0);

  // Overleg plannen: refused with a date written the other way round (every answer kept), then planned for today.
  const today = amsterdamToday();
  await page.goto('/intern/overleggen');
  await expectNoAxeViolations(page, 'overleggen');
  const plan = page.getByRole('form', { name: 'Overleg plannen' });
  const [year, month, day] = today.split('-');
  await plan.getByLabel('Datum').fill(`${day}-${month}-${year}`);
  await plan.getByRole('radio', { name: 'MDO', exact: true }).check();
  await plan.getByLabel('Deelnemers').fill('GGZ Noord, sociaal team, Zorg- en Veiligheidshuis');
  expect((await submit(page, 'Overleg plannen')).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Datum: Vul een datum in als 2026-12-15');
  await expect(page.getByLabel('Datum')).toHaveValue(`${day}-${month}-${year}`);
  await expect(page.getByRole('radio', { name: 'MDO', exact: true })).toBeChecked();
  await expect(page.getByLabel('Deelnemers')).toHaveValue('GGZ Noord, sociaal team, Zorg- en Veiligheidshuis');
  await expectNoAxeViolations(page, 'overleggen, plan refused');
  await page.getByLabel('Datum').fill(today);
  await submit(page, 'Overleg plannen');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`MDO op ${dutchDate(today)}`);
  const overleg = new URL(page.url()).pathname.split('/').at(-1)!;

  // Op agenda zetten from the casus page: the question is needed.
  await page.goto(`/intern/casussen/${nummer}`);
  const agenda = page.getByRole('form', { name: 'Op agenda zetten' });
  await agenda.getByLabel('Overleg', { exact: true }).selectOption({ label: `Overleg ${overleg}: MDO op ${dutchDate(today)}` });
  expect((await submit(page, 'Op agenda zetten')).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Vraag aan het overleg: Vul de vraag aan het overleg in');
  await expectNoAxeViolations(page, 'casus page, agenda refused');
  await page.getByLabel('Vraag aan het overleg').fill('Opschalen is gebeurd: wie neemt welke rol?');
  await submit(page, 'Op agenda zetten');
  await expect(page.getByRole('status')).toContainText('Opgeslagen: op de agenda gezet.');
  await expect(page.getByRole('region', { name: 'Overleg', exact: true }).getByRole('link', { name: `Overleg ${overleg}: MDO op ${dutchDate(today)}` })).toBeVisible();

  // The casus list: the next MDO.
  await page.goto('/intern/casussen');
  await expect(page.getByRole('row').filter({ hasText: caseName })).toContainText(dutchDate(today));

  // The overleg: the casus on its agenda with phase and question; agreements refused empty, then saved; an action due yesterday.
  await page.goto(`/intern/overleggen/${overleg}`);
  const agendaRegion = page.getByRole('region', { name: 'Agenda' });
  await expect(agendaRegion).toContainText(`Casus ${nummer}: ${caseName}`);
  await expect(agendaRegion).toContainText('AVE-fase: AVE 3');
  await expect(agendaRegion).toContainText('Vraag aan het overleg: Opschalen is gebeurd: wie neemt welke rol?');
  await expectNoAxeViolations(page, 'overleg page');
  await noSidewaysScroll(page, 'overleg page');
  const discussion = page.getByRole('region', { name: `Bespreking casus ${nummer}: ${caseName}` });
  expect((await submit(page, 'Afspraken opslaan')).status()).toBe(400);
  await expect(page.getByRole('alert')).toContainText('Afspraken: Vul de afspraken in');
  await expectNoAxeViolations(page, 'overleg page, agreements refused');
  await discussion.getByLabel('Afspraken', { exact: true }).fill('ZVH neemt de procesregie; GGZ legt contact via de huisarts.');
  await submit(page, 'Afspraken opslaan');
  await expect(page.getByRole('status')).toContainText('Opgeslagen: afspraken.');
  await discussion.getByLabel('Actie', { exact: true }).fill('Huisbezoek met de wijkagent');
  await discussion.getByLabel('Wie').fill('Sociaal team');
  await discussion.getByLabel('Uiterlijk').fill(addDays(today, -1));
  await submit(page, 'Actie toevoegen');
  await expect(discussion).toContainText('Huisbezoek met de wijkagent (Sociaal team)');
  await expect(discussion).toContainText('Te laat.');

  // The start page: Mijn acties and Acties te laat.
  await page.goto('/intern/triage');
  await expect(page.getByRole('region', { name: 'Mijn acties' }).getByRole('link', { name: new RegExp(`^Casus ${nummer}: actie uiterlijk .*\\(overleg ${overleg}\\)`) })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Acties te laat' }).getByRole('link', { name: new RegExp(`^Casus ${nummer}: actie uiterlijk`) }).first()).toBeVisible();
  await expectNoAxeViolations(page, 'start page with Mijn acties');

  // The printed agenda with shortened names: initials, the phase and the question; no navigation, no report text.
  await page.goto(`/intern/overleggen/${overleg}`);
  await page.getByLabel('Namen afkorten').check();
  await page.getByRole('button', { name: 'Agenda afdrukken' }).click();
  await expect(page).toHaveURL(new RegExp(`/intern/overleggen/${overleg}/agenda\\?afkorten=1$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Agenda MDO op ${dutchDate(today)}`);
  const printed = await page.locator('main').innerText();
  expect(printed).toContain(`Casus ${nummer}: D. P. M. H.`);
  expect(printed).toContain('AVE-fase: AVE 3');
  expect(printed).toContain('Vraag aan het overleg: Opschalen is gebeurd: wie neemt welke rol?');
  expect(printed).toContain('Procesregisseur: M. B., Zorg- en Veiligheidshuis');
  expect(printed).not.toContain(tag.slice(3));
  expect(printed).not.toContain('Bakker');
  expect(printed).not.toContain('gasleidingen');
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expectNoAxeViolations(page, 'printed agenda');
  await noSidewaysScroll(page, 'printed agenda');
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('link', { name: 'Terug naar het overleg' })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  // The report: agreements and the action, full names.
  await page.goto(`/intern/overleggen/${overleg}/verslag`);
  const report = await page.locator('main').innerText();
  expect(report).toContain(caseName);
  expect(report).toContain('Afspraken: ZVH neemt de procesregie; GGZ legt contact via de huisarts.');
  expect(report).toContain('Huisbezoek met de wijkagent');
  expect(report).toContain('Sociaal team');
  expect(report).not.toContain('gasleidingen');
  await expectNoAxeViolations(page, 'printed report');
  // Shortened, the action's `Wie` is initials too.
  await page.goto(`/intern/overleggen/${overleg}/verslag?afkorten=1`);
  await expect(page.getByRole('row').filter({ hasText: 'Huisbezoek met de wijkagent' }).getByRole('cell')).toHaveText(['Huisbezoek met de wijkagent', 'S. T.', dutchDate(addDays(today, -1)), 'Te laat']);
  expect(await page.locator('main').innerText()).not.toContain(caseName);

  // Back down: AVE 2; the timeline has the MDO with its agreements and the action noting the overleg.
  await page.goto(`/intern/casussen/${nummer}`);
  await page.getByRole('form', { name: 'AVE-fase', exact: true }).getByRole('radio', { name: 'AVE 2', exact: true }).check();
  await page.getByRole('form', { name: 'AVE-fase', exact: true }).getByLabel('Reden', { exact: true }).fill('Afspraken uit het MDO lopen, geen dreiging meer');
  await submit(page, 'AVE-fase opslaan');
  const items = page.getByRole('region', { name: 'Tijdlijn' }).getByRole('listitem');
  await expect(items.filter({ hasText: `Besproken in MDO op ${dutchDate(today)}` })).toContainText('Afspraken: ZVH neemt de procesregie; GGZ legt contact via de huisarts.');
  await expect(items.filter({ hasText: `Actie uit MDO op ${dutchDate(today)}: Huisbezoek met de wijkagent` })).toHaveCount(1);
  await expect(items.filter({ hasText: 'Afgeschaald: AVE 3 → AVE 2' })).toHaveCount(1);
  await expectNoAxeViolations(page, 'casus page with an MDO');
  await noSidewaysScroll(page, 'casus page with an MDO');

  // The action done in the overleg.
  await page.goto(`/intern/overleggen/${overleg}?casus=${nummer}`);
  await submit(page, /^Afgerond/);
  await expect(page.getByRole('region', { name: `Bespreking casus ${nummer}: ${caseName}` })).toContainText('Afgerond.');

  // The audit rows: on the overleg and on the casus; never a name or a text.
  const onOverleg = auditRows(main, { object_type: 'overleg', object_id: overleg }).map((r) => `${r.action}:${r.result}:${r.detail ?? ''}`);
  for (const a of ['overleg_gepland:gelukt:mdo', `overleg_casus_geagendeerd:gelukt:casus ${nummer}`, 'overleg_bekeken:gelukt:', 'wijziging_overleg_agreements:geweigerd:agreements', `overleg_afspraken_vastgelegd:gelukt:casus ${nummer}`, 'agenda_afgedrukt:gelukt:namen afgekort', 'verslag_afgedrukt:gelukt:volledige namen']) {
    expect(onOverleg, a).toContain(a);
  }
  const onCase = auditRows(main, { object_type: 'casus', object_id: String(nummer) }).map((r) => `${r.action}:${r.result}`);
  for (const a of ['casus_opgeschaald:gelukt', 'casus_regie_gewijzigd:gelukt', 'casus_agenderen:geweigerd', 'casus_geagendeerd:gelukt', 'casus_bekeken_in_overleg:gelukt', 'casus_afspraken_vastgelegd:gelukt', 'casus_actie_toegevoegd:gelukt', 'casus_agenda_afgedrukt:gelukt', 'casus_verslag_afgedrukt:gelukt', 'casus_afgeschaald:gelukt', 'casus_actie_afgerond:gelukt']) {
    expect(onCase, a).toContain(a);
  }
  expect(auditRows(main, { action: 'overleg_plannen', result: 'geweigerd' }).length).toBeGreaterThan(0);
  const audited = JSON.stringify([...auditRows(main, { object_type: 'overleg', object_id: overleg }), ...auditRows(main, { object_type: 'casus', object_id: String(nummer) })]);
  expect(audited).not.toContain(tag);
  expect(audited).not.toContain('Huisbezoek');
});

test('only the coordinator reaches the MDO pages; the others get the "geen toegang" answer; an unknown overleg is not found', async ({ page }) => {
  const paths = ['/intern/overleggen', '/intern/overleggen/1', '/intern/overleggen/1/agenda', '/intern/overleggen/1/verslag'];
  for (const path of paths) {
    for (const role of ['kcc', 'boa', 'admin'] as const) {
      const req = await staffRequest(main, role);
      const response = await req.get(path, { maxRedirects: 0 });
      expect(response.status(), `${role} ${path}`).toBe(403);
      expect(await response.text()).toContain('U heeft geen toegang tot deze pagina');
      const posted = await req.post(path, { form: { intent: 'agreements', agreements: 'x' }, headers: { origin: main.origin }, maxRedirects: 0 });
      expect(posted.status(), `${role} POST ${path}`).toBe(403);
      await req.dispose();
    }
    const coordinator = await staffRequest(main, 'coordinator');
    expect([200, 404]).toContain((await coordinator.get(path, { maxRedirects: 0 })).status());
    await coordinator.dispose();
  }
  await loginAs(page, main, 'coordinator');
  for (const path of ['/intern/overleggen/999999', '/intern/overleggen/999999/agenda', '/intern/overleggen/abc']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
  }
  await expectNoAxeViolations(page, 'an unknown overleg');
});
