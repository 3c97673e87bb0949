// Callbacks at /intern/kcc/opzoeken (spec §3a): a caller phones back with the reference; the KCC agent
// types it as read out (lower case, without `MB-`) and sees reference, date and status in a caller's
// words only — never the description, a name or the outcome — and records what the caller adds. The
// coordinator sees the addition on the report page, the queue marks it `Nieuwe aanvulling` until then.
// Every lookup and addition is audited on behalf of a caller. Runs
// without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts).
import type { APIRequestContext } from '@playwright/test';
import { dhrK, kccForm } from '../../fixtures/cases.ts';
import {
  auditRows,
  createAccount,
  expect,
  expectNoAxeViolations,
  field,
  locationPath,
  loginAs,
  marker,
  postForm,
  servers,
  submit,
  test,
} from '../fixtures.ts';

const staff = servers.staff;
test.describe.configure({ timeout: 120_000 });

/** A KCC report of Dhr. K. (names and description carry `tag`), taken in hand and closed with an outcome. */
async function closedReport(coordinator: APIRequestContext, tag: string): Promise<string> {
  const saved = await postForm(coordinator, `${staff.origin}/intern/kcc/melding`, kccForm(dhrK(tag)), { origin: staff.origin });
  expect(saved.status()).toBe(303);
  const reference = /MB-[A-Z2-9]{8}$/.exec(locationPath(saved))![0];
  for (const change of [{ intent: 'status', status: 'in_behandeling' }, { intent: 'status', status: 'afgesloten', outcome: 'bemoeizorg' }]) {
    const response = await postForm(coordinator, `${staff.origin}/intern/triage/${reference}`, change, { origin: staff.origin });
    expect(response.status(), JSON.stringify(change)).toBe(303);
  }
  return reference;
}

test.describe('callbacks', () => {
  test('the reference as read out shows the status only; the caller\'s addition reaches the coordinator', async ({ page, browser, staffClient }) => {
    const tag = marker('cb');
    const reference = await closedReport(await staffClient(staff, 'coordinator'), tag);
    const kcc = await loginAs(page, staff, createAccount(staff, 'kcc'));
    await page.goto(`${staff.origin}/intern/kcc/opzoeken`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Melding opzoeken voor een beller');
    await expectNoAxeViolations(page, 'callback page');

    // Lower case, without MB-, with a space as read out.
    const spoken = `${reference.slice(3, 7)} ${reference.slice(7)}`.toLowerCase();
    await field(page, 'Referentienummer').fill(spoken);
    const looked = await submit(page, 'Opzoeken');
    expect(looked.status()).toBe(200);
    const found = page.getByRole('region', { name: `Melding ${reference}` });
    await expect(found).toContainText('Afgehandeld');
    await expect(found).toContainText('Ontvangen op');
    const html = await page.content();
    // No description, no names (person, caller), no outcome.
    for (const secret of [tag, 'Dhr. K.', 'Ineke', 'Bemoeizorg', 'Dorpsstraat', dhrK(tag).concerns.description.slice(0, 30)]) expect(html, secret).not.toContain(secret);
    await expectNoAxeViolations(page, 'callback page with a report found');

    // An addition too short: refused with the status still shown and the answers kept.
    const addition = `De beller zag hem gisteren weer ${marker('add')} op het dak.`;
    await field(page, 'Aanvulling').fill('Kort');
    await field(page, 'Naam beller').fill(`Beller ${tag}`);
    const refused = await submit(page, 'Aanvulling opslaan');
    expect(refused.status()).toBe(400);
    await expect(page.getByRole('link', { name: 'Schrijf minstens 10 tekens' })).toBeVisible();
    await expect(field(page, 'Naam beller')).toHaveValue(`Beller ${tag}`);
    await expect(page.getByRole('region', { name: `Melding ${reference}` })).toContainText('Afgehandeld');
    await expectNoAxeViolations(page, 'callback page, addition refused');

    await field(page, 'Aanvulling').fill(addition);
    await field(page, 'Telefoonnummer beller').fill('06 55554444');
    const saved = await submit(page, 'Aanvulling opslaan');
    expect(saved.status()).toBe(303);
    await expect(page.getByRole('status')).toContainText('De aanvulling is opgeslagen');
    expect(await page.content()).not.toContain(addition);

    // Audited on behalf of the caller: two lookups (the refused addition shows the status again) and the addition.
    const lookups = auditRows(staff, { actor_id: kcc.id, action: 'melding_opgezocht', object_id: reference });
    expect(lookups.length).toBeGreaterThanOrEqual(2);
    expect(lookups.every((r) => r.on_behalf_of === 'beller' && r.result === 'gelukt')).toBe(true);
    expect(auditRows(staff, { actor_id: kcc.id, action: 'aanvulling_toegevoegd', object_id: reference, on_behalf_of: 'beller' })).toHaveLength(1);

    // The coordinator: `Nieuwe aanvulling` in the queue until the report page is opened.
    const context = await browser.newContext({ javaScriptEnabled: test.info().project.use.javaScriptEnabled !== false, locale: 'nl-NL' });
    const coordinator = await context.newPage();
    await loginAs(coordinator, staff, 'coordinator');
    const marked = async () => {
      await coordinator.goto(`${staff.origin}/intern/triage`);
      await coordinator.getByLabel('Zoeken op referentienummer, straat of postcode').fill(reference);
      await submit(coordinator, 'Zoeken');
      return coordinator.locator('table.mb-queue tbody tr').filter({ hasText: reference }).getByText('Nieuwe aanvulling').count();
    };
    expect(await marked()).toBe(1);
    await coordinator.goto(`${staff.origin}/intern/triage/${reference}`);
    const additions = coordinator.getByRole('region', { name: 'Aanvullingen' });
    await expect(additions).toContainText(addition);
    await expect(additions).toContainText(`KCC namens beller (${kcc.name})`);
    // The caller's name and phone stay hidden until "Toon gegevens melder".
    await expect(additions).not.toContainText(`Beller ${tag}`);
    await expectNoAxeViolations(coordinator, 'report page with an addition');
    // One `Toon gegevens melder` on the page (the reporter's is hidden too): it shows the caller as well.
    await expect(coordinator.getByRole('button', { name: 'Toon gegevens melder' })).toHaveCount(1);
    await submit(coordinator, 'Toon gegevens melder');
    await expect(coordinator.getByRole('region', { name: 'Aanvullingen' })).toContainText(`Beller ${tag}`);
    expect(await marked()).toBe(0);
    await context.close();
  });

  test('an unknown reference is said plainly, audited, and shows nothing', async ({ page }) => {
    const kcc = await loginAs(page, staff, createAccount(staff, 'kcc'));
    await page.goto(`${staff.origin}/intern/kcc/opzoeken`);
    await field(page, 'Referentienummer').fill('mb-2222 2222');
    const response = await submit(page, 'Opzoeken');
    expect(response.status()).toBe(400);
    await expect(page).toHaveTitle(/^Fout: /);
    await expect(page.getByRole('link', { name: 'Dit referentienummer kennen wij niet. Controleer het nummer met de beller.' })).toBeVisible();
    await expect(field(page, 'Referentienummer')).toHaveValue('mb-2222 2222');
    await expect(page.getByRole('button', { name: 'Aanvulling opslaan' })).toHaveCount(0);
    await expectNoAxeViolations(page, 'callback page, unknown reference');
    const rows = auditRows(staff, { actor_id: kcc.id, action: 'melding_opgezocht' });
    expect(rows.map((r) => [r.result, r.on_behalf_of, r.object_id])).toEqual([['mislukt', 'beller', null]]);
  });
});
