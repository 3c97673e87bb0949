// The seed scenario (Bijlage 1 of the Westerkwartier OGGz chain approach): Dhr. P. shouts drunk from
// his balcony, threatens the neighbours and plans to saw through the gas pipes. The coordinator
// triages him to AVE 3 with procesregie, links a second report about his address, and hands the
// case to the MDO; the audit log shows every step.
import type { Page } from '@playwright/test';
import { dhrP, kccForm } from '../../fixtures/cases.ts';
import { expect, loginAs, marker, submit, test } from '../fixtures.ts';
import { sendReport, walkToCheck } from '../resident/resident-utils.ts';
import { actions, auditOf, eventsOf, form, main, openReport, postStaffReport, queueRows, reportRow, summary } from './triage-utils.ts';

test.describe.configure({ timeout: 90_000 });

const statusForm = (page: Page) => form(page, 'Status wijzigen');

test('Dhr. P.: triaged to AVE 3 with procesregie, a second report linked, out to the MDO; every step in the audit log', async ({ page }) => {
  const tag = marker();
  // A neighbour reports him on the public form.
  await walkToCheck(page, dhrP(tag));
  const reference = await sendReport(page);
  const coordinator = await loginAs(page, main, 'coordinator');
  // Another neighbour calls the KCC about the same address, spelled their own way.
  const second = await postStaffReport(
    page.request,
    'kcc',
    kccForm(dhrP(`${tag}-2`), {
      personName: 'meneer P.',
      postcode: '9351AB',
      houseAddition: 'b',
      concerns: ['overlast_agressie', 'verslaving'],
      description: 'Hij schreeuwt weer de hele avond vanaf zijn balkon en gooide een fles naar beneden.',
    }),
  );
  const expected = ['melding_aangemaakt'];

  await openReport(page, reference);
  expected.push('melding_bekeken');
  await expect(summary(page)).toContainText('Urgentie: Hoog (voorgesteld: Hoog)');
  await expect(page.getByRole('region', { name: 'Zorgen' })).toContainText('gasleidingen');

  // In behandeling.
  await statusForm(page).getByLabel('Nieuwe status').selectOption({ label: 'In behandeling' });
  expect((await submit(page, 'Status opslaan', statusForm(page))).status()).toBe(303);
  expected.push('status_gewijzigd', 'melding_bekeken');
  await expect(summary(page)).toContainText('Status: In behandeling');

  // AVE 3: complex problems on several domains, care and safety.
  const triage = page.getByRole('form', { name: 'Urgentie en AVE-fase', exact: true });
  await triage.getByRole('group', { name: 'AVE-fase', exact: true }).getByLabel('AVE 3', { exact: true }).check();
  await triage.getByLabel('Reden voor de AVE-fase').fill('Psychische problemen en dreiging met een gasexplosie: zorg en veiligheid (OOV)');
  expect((await submit(page, 'Urgentie en AVE-fase opslaan', triage)).status()).toBe(303);
  expected.push('triage_gewijzigd', 'melding_bekeken');
  await expect(summary(page)).toContainText('AVE-fase: AVE 3');

  // Regie: casusregie continues, procesregie by the Zorg- en Veiligheidshuis.
  const regie = page.getByRole('form', { name: 'Regie', exact: true });
  await regie.getByLabel('Casusregisseur (CR)').fill('Consulent sociaal domein, Sociaal Team Leek');
  await regie.getByLabel('Procesregisseur (PR)').fill('PR Zorg en Veiligheid, Zorg- en Veiligheidshuis');
  expect((await submit(page, 'Regie opslaan', regie)).status()).toBe(303);
  expected.push('regie_gewijzigd', 'melding_bekeken');

  // The second report about his address is listed, and linked.
  const related = page.getByRole('region', { name: 'Eerdere meldingen' });
  const row = related.locator('tbody tr').filter({ has: page.getByRole('link', { name: second, exact: true }) });
  await expect(row).toContainText('Zelfde adres');
  expect((await submit(page, `Koppelen met ${second}`, row)).status()).toBe(303);
  expected.push('gekoppeld', 'melding_bekeken');
  await expect(page.getByRole('region', { name: 'Eerdere meldingen' }).locator('tbody tr').filter({ has: page.getByRole('link', { name: second, exact: true }) })).toContainText('Gekoppeld');

  // Out to the MDO.
  await statusForm(page).getByLabel('Nieuwe status').selectOption({ label: 'Uitgezet' });
  await statusForm(page).getByRole('group', { name: 'Uitkomst', exact: true }).getByLabel('Bespreken in MDO', { exact: true }).check();
  expect((await submit(page, 'Status opslaan', statusForm(page))).status()).toBe(303);
  expected.push('status_gewijzigd', 'melding_bekeken');
  await expect(summary(page)).toContainText('Status: Uitgezet');
  await expect(summary(page)).toContainText('Uitkomst: Bespreken in MDO.');

  // What the database holds.
  expect(reportRow(reference)).toMatchObject({
    status: 'uitgezet',
    urgency: 'hoog',
    ave_phase: 'ave3',
    outcome: 'bespreken_in_mdo',
    case_director: 'Consulent sociaal domein, Sociaal Team Leek',
    process_director: 'PR Zorg en Veiligheid, Zorg- en Veiligheidshuis',
  });
  expect(eventsOf(reference).map((e) => [e['kind'], e['from_value'], e['to_value']])).toEqual([
    ['status', 'nieuw', 'in_behandeling'],
    ['ave_fase', 'onbekend', 'ave3'],
    ['regie', null, 'CR: Consulent sociaal domein, Sociaal Team Leek'],
    ['regie', null, 'PR: PR Zorg en Veiligheid, Zorg- en Veiligheidshuis'],
    ['koppeling', null, second],
    ['status', 'in_behandeling', 'uitgezet'],
    ['uitkomst', null, 'bespreken_in_mdo'],
  ]);

  // The audit log: each view and each step, by this coordinator, in order.
  const audit = auditOf(reference);
  expect(actions(audit)).toEqual(expected);
  expect(audit.slice(1).every((r) => r['actor_id'] === coordinator.id && r['actor_role'] === 'coordinator')).toBe(true);
  expect(audit.find((r) => r['action'] === 'gekoppeld')?.['detail']).toBe(`met ${second}`);
  expect(actions(auditOf(second))).toEqual(['melding_aangemaakt', 'gekoppeld']);
  // And the page's own access history shows the same steps.
  const inzage = page.getByRole('region', { name: 'Inzage en wijzigingen (logboek)' });
  await expect(inzage.locator('tbody tr')).toHaveCount(expected.length);
  const shown = (await inzage.locator('tbody tr td:nth-child(4)').allTextContents()).reverse();
  // In words, never the codes (src/features/audit/audit.schema.ts).
  const words: Record<string, string> = {
    melding_aangemaakt: 'Melding gedaan',
    melding_bekeken: 'Melding bekeken',
    status_gewijzigd: 'Status gewijzigd',
    triage_gewijzigd: 'Urgentie of AVE-fase gewijzigd',
    regie_gewijzigd: 'Regie gewijzigd',
    gekoppeld: 'Gekoppeld aan een andere melding',
  };
  expect(shown).toEqual(expected.map((a) => words[a]));
  const history = page.getByRole('region', { name: 'Geschiedenis' });
  await expect(history).toContainText('AVE-fase Onbekend → AVE 3. Reden: Psychische problemen en dreiging met een gasexplosie');
  await expect(history).toContainText(`Gekoppeld aan ${second}`);
  await expect(history).toContainText('Uitkomst geen → Bespreken in MDO');

  // In the queue: AVE 3, Uitgezet.
  await page.goto('/intern/triage?ave=ave3&status=uitgezet');
  const listed = (await queueRows(page)).find((r) => r.reference === reference);
  expect(listed).toMatchObject({ channel: 'Inwoner', urgency: 'Hoog', status: 'Uitgezet', ave: 'AVE 3', area: 'Leek' });
});
