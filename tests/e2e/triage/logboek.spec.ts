// The admin's audit log /intern/beheer/logboek after a coordinator worked on a report: who, role,
// what, which report, when, result — filterable — and never anything of the report's content.
import type { Page } from '@playwright/test';
import { dhrK } from '../../fixtures/cases.ts';
import { auditText, createAccount, expect, expectNoAxeViolations, loginAs, marker, submit, test } from '../fixtures.ts';
import { auditOf, logout, main, openReport, residentReport, triageChange } from './triage-utils.ts';
import { auditActionLabel, auditResultLabel, auditRoleLabel } from '#features/audit/audit.schema.ts';

test.describe.configure({ timeout: 90_000 });

/** The logboek rows as [wie, rol, handeling, object, resultaat]. */
async function logRows(page: Page): Promise<string[][]> {
  return page.locator('table.mb-queue tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].slice(1, 6).map((td) => (td.textContent ?? '').trim())),
  );
}

test('the admin sees the metadata of every view and change, filterable, and none of the content', async ({ page }) => {
  const secret = marker('geheim');
  const reference = await residentReport(dhrK(secret), {
    persoon: { personName: `Dhr. ${secret}`, street: `Straat${secret}` },
    zorgen: { description: `Beschrijving met ${secret} erin.` },
    overU: { anonymous: 'nee', reporterName: `Melder ${secret}`, reporterPhone: '06 12345678', reporterEmail: `${secret}@example.nl` },
  });
  const coordinator = await loginAs(page, main, createAccount(main, 'coordinator', { name: `Coördinator ${marker('naam')}` }));
  await openReport(page, reference);
  await submit(page, 'Toon gegevens melder', page.getByRole('region', { name: 'Melder' }));
  await expect(page.getByText(`Melder ${secret}`)).toBeVisible();
  const req = page.request;
  await triageChange(req, reference, { intent: 'note', note: `Notitie over ${secret}` });
  await triageChange(req, reference, { intent: 'urgency_ave', urgency: 'hoog', avePhase: 'ave2', aveReason: `Reden ${secret}` });
  await triageChange(req, reference, { intent: 'regie', caseDirector: `CR ${secret}`, processDirector: '', treatmentDirector: '' });
  await triageChange(req, reference, { intent: 'status', status: 'doorgestuurd', forwardedTo: `Gemeente ${secret}` });
  const refused = await req.post(`/intern/triage/${reference}`, {
    form: { intent: 'status', status: 'afgesloten', outcome: 'geen_actie', reason: secret },
    headers: { Origin: new URL(page.url()).origin },
    maxRedirects: 0,
    failOnStatusCode: false,
  });
  expect(refused.status()).toBe(409);
  await page.goto('/intern/triage');
  await page.getByLabel('Zoeken op referentienummer, straat of postcode').fill(`Straat${secret}`);
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await expect(page.getByRole('link', { name: reference })).toBeVisible();
  await logout(page);

  await loginAs(page, main, 'admin');
  await page.goto('/intern/beheer/logboek');
  await expect(page.getByRole('heading', { level: 1, name: 'Logboek' })).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  // Filter by the report.
  const filters = page.getByRole('form', { name: 'Filters' });
  await filters.getByLabel('Object (referentienummer of account)').fill(reference);
  await filters.getByRole('button', { name: 'Filteren' }).click();
  await expect(page).toHaveURL(new RegExp(`object=${reference}`));
  const rows = await logRows(page);
  const expected = auditOf(reference);
  expect(rows).toHaveLength(expected.length);
  // Newest first: who, role, what, which report, result — in words, never the codes.
  expect(rows.map((r) => [r[1], r[2], r[3], r[4]])).toEqual(
    expected.reverse().map((a) => [auditRoleLabel(String(a['actor_role'])), auditActionLabel(String(a['action'])), `Melding ${reference}`, auditResultLabel(String(a['result']))]),
  );
  for (const action of ['Melding gedaan', 'Melding bekeken', 'Gegevens melder bekeken', 'Notitie toegevoegd', 'Urgentie of AVE-fase gewijzigd', 'Regie gewijzigd', 'Status gewijzigd', 'Status wijzigen']) {
    expect(rows.some((r) => r[2] === action), action).toBe(true);
  }
  expect(rows.map((r) => r.join(' ')).join('\n')).not.toMatch(/_|\bcoordinator\b|\binwoner\b|\bgelukt\b|\burgency\b/);
  expect(rows.filter((r) => r[1] === 'OGGz-coördinator').every((r) => r[0] === coordinator.name)).toBe(true);
  expect(rows.find((r) => r[2] === 'Melding gedaan')).toEqual(['-', 'Inwoner', 'Melding gedaan', `Melding ${reference}`, 'Gelukt']);
  expect(rows.find((r) => r[2] === 'Status wijzigen')?.[4]).toBe('Geweigerd');
  expect(await page.content()).not.toContain(secret);
  await expectNoAxeViolations(page, 'logboek filtered by a report');

  // And by action, role and result, together with the report.
  await filters.getByLabel('Handeling').selectOption({ label: 'Gegevens melder bekeken' });
  await filters.getByRole('button', { name: 'Filteren' }).click();
  await expect(page).toHaveURL(/actie=melder_getoond/);
  expect(await logRows(page)).toEqual([[coordinator.name, 'OGGz-coördinator', 'Gegevens melder bekeken', `Melding ${reference}`, 'Gelukt']]);
  await page.goto(`/intern/beheer/logboek?object=${reference}&resultaat=geweigerd`);
  expect((await logRows(page)).map((r) => r[2])).toEqual(['Status wijzigen']);
  await page.goto(`/intern/beheer/logboek?object=${reference}&rol=inwoner`);
  expect((await logRows(page)).map((r) => r[2])).toEqual(['Melding gedaan']);
  // The search was logged as a search, without its term or a report.
  await page.goto('/intern/beheer/logboek?actie=meldingen_gezocht&rol=coordinator');
  expect((await logRows(page)).some((r) => r[0] === coordinator.name && r[3] === '-')).toBe(true);

  // Nowhere in the whole log, nor in what the admin can page through.
  expect(auditText()).not.toContain(secret);
  await page.goto('/intern/beheer/logboek');
  expect(await page.content()).not.toContain(secret);
  // The admin cannot open the report itself.
  const denied = await page.goto(`/intern/triage/${reference}`);
  expect(denied?.status()).toBe(403);
  expect(await page.content()).not.toContain(secret);
});
