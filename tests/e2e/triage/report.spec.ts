// The report page /intern/triage/{reference}: everything reported, the reporter hidden until asked
// (and that logged), the triage fields, the status path with its required inputs, forged posts
// that the server refuses, and one audit row for every view and every action.
import type { Locator } from '@playwright/test';
import { dhrE, dhrK, dhrP, mevrB } from '../../fixtures/cases.ts';
import { OPTION, expect, loginAs, marker, submit, test } from '../fixtures.ts';
import { sendReport, walkToCheck } from '../resident/resident-utils.ts';
import { actions, auditOf, eventsOf, form, main, openReport, reportRow, residentReport, summary, triagePost } from './triage-utils.ts';

test.describe.configure({ timeout: 90_000 });

const radio = (scope: Locator, legend: string, label: string): Locator =>
  scope.getByRole('group', { name: legend, exact: true }).getByLabel(label, { exact: true });

test.describe('report page', () => {
  test('shows everything reported; the reporter only after "Toon gegevens melder", which is logged', async ({ page }) => {
    const tag = marker();
    const answers = dhrP(tag);
    await walkToCheck(page, answers);
    const reference = await sendReport(page);
    const coordinator = await loginAs(page, main, 'coordinator');
    await openReport(page, reference);

    const persoon = page.getByRole('region', { name: 'Over de persoon' });
    for (const text of [answers.person.name!, '18 jaar of ouder', 'Op een adres', '9351AB', '12', 'B', 'Hoofdstraat', 'Leek', 'Nee']) {
      await expect(persoon.getByText(text, { exact: true }).first(), text).toBeVisible();
    }
    const zorgen = page.getByRole('region', { name: 'Zorgen' });
    for (const text of [...answers.concerns.concerns.map((c) => OPTION.concerns[c]), 'Een paar maanden', 'Politie', 'Woningcorporatie']) {
      await expect(zorgen.getByText(text).first(), text).toBeVisible();
    }
    await expect(zorgen).toContainText(answers.concerns.description);
    await expect(summary(page)).toContainText('via Inwoner');
    await expect(summary(page)).toContainText('Urgentie: Hoog (voorgesteld: Hoog)');
    const melder = page.getByRole('region', { name: 'Melder' });
    await expect(melder).toContainText('Relatie tot de persoon: Buurman of buurvrouw');

    // Hidden: not merely invisible, not in the page at all.
    const html = await page.content();
    for (const secret of [answers.reporter.name!, answers.reporter.email!, answers.reporter.phone!]) expect(html).not.toContain(secret);
    expect(actions(auditOf(reference))).toEqual(['melding_aangemaakt', 'melding_bekeken']);

    expect((await submit(page, 'Toon gegevens melder', melder)).status()).toBe(200);
    await expect(melder.getByText(answers.reporter.name!, { exact: true })).toBeVisible();
    await expect(melder.getByText(answers.reporter.phone!, { exact: true })).toBeVisible();
    await expect(melder.getByText(answers.reporter.email!, { exact: true })).toBeVisible();
    const audit = auditOf(reference);
    expect(actions(audit)).toEqual(['melding_aangemaakt', 'melding_bekeken', 'melder_getoond']);
    expect(audit[2]).toMatchObject({ actor_id: coordinator.id, actor_role: 'coordinator', result: 'gelukt' });
    // The log records that it was shown, never what.
    expect(JSON.stringify(audit)).not.toContain(answers.reporter.name!);

    // Opened again: hidden again, and the page's own access history shows both.
    await openReport(page, reference);
    expect(await page.content()).not.toContain(answers.reporter.email!);
    const inzage = page.getByRole('region', { name: 'Inzage en wijzigingen (logboek)' });
    await expect(inzage.getByRole('cell', { name: 'Gegevens melder bekeken' })).toHaveCount(1);
    await expect(inzage.getByRole('cell', { name: 'Melding bekeken' })).toHaveCount(2);
    expect(actions(auditOf(reference))).toEqual(['melding_aangemaakt', 'melding_bekeken', 'melder_getoond', 'melding_bekeken']);
  });

  test('an anonymous report has nothing to reveal', async ({ page }) => {
    const reference = await residentReport(mevrB(marker()), { overU: { anonymous: 'ja' } });
    await loginAs(page, main, 'coordinator');
    await openReport(page, reference);
    const melder = page.getByRole('region', { name: 'Melder' });
    await expect(melder).toContainText('De melder is anoniem.');
    await expect(melder.getByRole('button', { name: 'Toon gegevens melder' })).toHaveCount(0);
  });

  test('triage step by step: urgency, AVE with a reason, regie, a note, the status path and a reopening; one audit row each', async ({ page }) => {
    const tag = marker();
    const reference = await residentReport(dhrE(tag), { zorgen: { concerns: ['verward_gedrag'] } });
    const coordinator = await loginAs(page, main, 'coordinator');
    const expected = ['melding_aangemaakt'];
    const expectAudit = async () => {
      // The page the browser shows is complete: its own view row is written.
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Melding ${reference}`);
      expect(actions(auditOf(reference))).toEqual(expected);
    };
    await openReport(page, reference);
    expected.push('melding_bekeken');
    await expectAudit();
    await expect(summary(page)).toContainText('Status: Nieuw');

    // Urgency and AVE phase: a new phase needs a reason.
    const triage = form(page, 'Urgentie en AVE-fase');
    await radio(triage, 'Urgentie', 'Direct').check();
    await radio(triage, 'AVE-fase', 'AVE 2').check();
    const before = reportRow(reference);
    expect((await submit(page, 'Urgentie en AVE-fase opslaan', triage)).status()).toBe(400);
    await expect(page).toHaveTitle(/^Fout: /);
    const problems = page.getByRole('alert').filter({ hasText: 'Er is een probleem' });
    await expect(problems.getByRole('link', { name: /^Reden: Vul de reden in/ })).toHaveAttribute('href', '#f-aveReason');
    await expect(radio(triage, 'AVE-fase', 'AVE 2')).toBeChecked();
    await expect(radio(triage, 'Urgentie', 'Direct')).toBeChecked();
    expect(reportRow(reference)).toEqual(before);
    expected.push('wijziging_urgency_ave (geweigerd)');
    await expectAudit();
    await triage.getByLabel('Reden voor de AVE-fase').fill('Vraag en probleem; meerdere hulpverleners betrokken');
    expect((await submit(page, 'Urgentie en AVE-fase opslaan', triage)).status()).toBe(303);
    await expect(summary(page)).toContainText('Urgentie: Direct');
    await expect(summary(page)).toContainText('AVE-fase: AVE 2');
    expect(reportRow(reference)).toMatchObject({ urgency: 'direct', ave_phase: 'ave2' });
    expected.push('triage_gewijzigd', 'melding_bekeken');
    await expectAudit();

    // Regie.
    const regie = form(page, 'Regie');
    await regie.getByLabel('Casusregisseur (CR)').fill('J. Jansen, Sociaal team');
    await regie.getByLabel('Procesregisseur (PR)').fill('PR Zorg en Veiligheid');
    await regie.getByLabel('Behandelregie (BR)').fill('Lentis, GGZ');
    expect((await submit(page, 'Regie opslaan', regie)).status()).toBe(303);
    await expect(form(page, 'Regie').getByLabel('Procesregisseur (PR)')).toHaveValue('PR Zorg en Veiligheid');
    expect(reportRow(reference)).toMatchObject({ case_director: 'J. Jansen, Sociaal team', process_director: 'PR Zorg en Veiligheid', treatment_director: 'Lentis, GGZ' });
    expected.push('regie_gewijzigd', 'melding_bekeken');
    await expectAudit();

    // A note, with its author.
    const notes = page.getByRole('region', { name: 'Notities' });
    await notes.getByLabel('Notitie').fill(`Huisarts gebeld, komt langs. ${tag}`);
    expect((await submit(page, 'Notitie toevoegen', notes)).status()).toBe(303);
    await expect(page.getByRole('region', { name: 'Notities' }).locator('article')).toContainText(`Huisarts gebeld, komt langs. ${tag}`);
    await expect(page.getByRole('region', { name: 'Notities' }).locator('article')).toContainText(coordinator.name);
    expected.push('notitie_toegevoegd', 'melding_bekeken');
    await expectAudit();

    // Status: In behandeling.
    const status = () => form(page, 'Status wijzigen');
    await status().getByLabel('Nieuwe status').selectOption({ label: 'In behandeling' });
    expect((await submit(page, 'Status opslaan', status())).status()).toBe(303);
    await expect(summary(page)).toContainText('Status: In behandeling');
    expected.push('status_gewijzigd', 'melding_bekeken');
    await expectAudit();

    // Uitgezet needs an outcome.
    await status().getByLabel('Nieuwe status').selectOption({ label: 'Uitgezet' });
    expect((await submit(page, 'Status opslaan', status())).status()).toBe(400);
    await expect(page.getByRole('alert').getByRole('link', { name: 'Uitkomst: Kies de uitkomst' })).toBeVisible();
    expect(reportRow(reference)['status']).toBe('in_behandeling');
    expected.push('wijziging_status (geweigerd)');
    await expectAudit();
    await expect(status().getByLabel('Nieuwe status')).toHaveValue('uitgezet');
    await radio(status(), 'Uitkomst', 'Bemoeizorg').check();
    expect((await submit(page, 'Status opslaan', status())).status()).toBe(303);
    await expect(summary(page)).toContainText('Status: Uitgezet');
    await expect(summary(page)).toContainText('Uitkomst: Bemoeizorg');
    expected.push('status_gewijzigd', 'melding_bekeken');
    await expectAudit();

    // Afgesloten: the only way on from Uitgezet.
    const options = await status().getByLabel('Nieuwe status').locator('option').allTextContents();
    expect(options).toEqual(['Kies een status', 'Afgesloten']);
    await status().getByLabel('Nieuwe status').selectOption({ label: 'Afgesloten' });
    expect((await submit(page, 'Status opslaan', status())).status()).toBe(303);
    await expect(summary(page)).toContainText('Status: Afgesloten');
    expect(reportRow(reference)['closed_at']).not.toBeNull();
    expected.push('status_gewijzigd', 'melding_bekeken');
    await expectAudit();

    // Reopening needs a reason.
    await status().getByLabel('Nieuwe status').selectOption({ label: 'In behandeling' });
    expect((await submit(page, 'Status opslaan', status())).status()).toBe(400);
    await expect(page.getByRole('alert').getByRole('link', { name: /^Reden: Vul in waarom u de melding weer opent/ })).toHaveAttribute('href', '#f-reason');
    expected.push('wijziging_status (geweigerd)');
    await expectAudit();
    await status().getByLabel('Reden', { exact: true }).fill('De buren melden nieuwe incidenten');
    expect((await submit(page, 'Status opslaan', status())).status()).toBe(303);
    await expect(summary(page)).toContainText('Status: In behandeling');
    expected.push('status_gewijzigd', 'melding_bekeken');
    await expectAudit();
    expect(reportRow(reference)).toMatchObject({ status: 'in_behandeling', closed_at: null, outcome: 'bemoeizorg' });

    // The history shows each change with its reason.
    const history = page.getByRole('region', { name: 'Geschiedenis' });
    await expect(history).toContainText('AVE-fase Onbekend → AVE 2. Reden: Vraag en probleem; meerdere hulpverleners betrokken');
    await expect(history).toContainText('Status Afgesloten → In behandeling. Reden: De buren melden nieuwe incidenten');
    await expect(history).toContainText('Uitkomst geen → Bemoeizorg');
    expect(eventsOf(reference).map((e) => `${e['kind']} ${e['to_value']}`)).toEqual([
      'urgentie direct',
      'ave_fase ave2',
      'regie CR: J. Jansen, Sociaal team',
      'regie PR: PR Zorg en Veiligheid',
      'regie BR: Lentis, GGZ',
      'status in_behandeling',
      'status uitgezet',
      'uitkomst bemoeizorg',
      'status afgesloten',
      'status in_behandeling',
    ]);
    // The page's access history lists every row of the audit log about this report.
    const inzage = page.getByRole('region', { name: 'Inzage en wijzigingen (logboek)' });
    await expect(inzage.locator('tbody tr')).toHaveCount(expected.length);
    await expect(inzage.locator('tbody tr').filter({ hasText: 'geweigerd' })).toHaveCount(3);
    // Every row is this coordinator's, apart from the resident's report itself.
    expect(auditOf(reference).slice(1).every((r) => r['actor_id'] === coordinator.id)).toBe(true);
  });

  test('forged posts: a refused transition or an unknown status gets a 4xx and changes nothing', async ({ page }) => {
    const reference = await residentReport(dhrK(marker()));
    await loginAs(page, main, 'coordinator');
    const before = reportRow(reference);
    const forged: Record<string, string>[] = [
      { intent: 'status', status: 'afgesloten', outcome: 'geen_actie' },
      { intent: 'status', status: 'uitgezet', outcome: 'bemoeizorg' },
      { intent: 'status', status: 'wacht_op_info' },
      { intent: 'status', status: 'acuut_doorgezet' },
      { intent: 'status', status: 'nieuw' },
      { intent: 'status', status: 'gesloten' },
      { intent: 'status', status: '' },
      { intent: 'status', status: 'samengevoegd', mergeInto: reference },
      { intent: 'status', status: 'geannuleerd' },
      { intent: 'urgency_ave', urgency: 'superhoog', avePhase: 'ave1', aveReason: 'x' },
      { intent: 'wis_alles' },
    ];
    for (const fields of forged) {
      const response = await triagePost(page.request, reference, fields);
      expect(response.status(), JSON.stringify(fields)).toBeGreaterThanOrEqual(400);
      expect(response.status(), JSON.stringify(fields)).toBeLessThan(500);
    }
    expect(reportRow(reference)).toEqual(before);
    expect(eventsOf(reference)).toEqual([]);
    const refused = auditOf(reference).filter((r) => r['result'] === 'geweigerd');
    expect(refused).toHaveLength(forged.length);

    // Not from this site, or from no page at all: refused before it reaches the report.
    for (const origin of [null, 'https://elders.example']) {
      const response = await triagePost(page.request, reference, { intent: 'status', status: 'in_behandeling' }, origin);
      expect(response.status(), String(origin)).toBe(403);
    }
    // Not a coordinator: no access.
    await page.context().clearCookies();
    await loginAs(page, main, 'kcc');
    const kcc = await triagePost(page.request, reference, { intent: 'status', status: 'in_behandeling' });
    expect(kcc.status()).toBe(403);
    expect(await kcc.text()).not.toContain(reference);
    expect(reportRow(reference)).toEqual(before);
    expect(eventsOf(reference)).toEqual([]);
  });
});
