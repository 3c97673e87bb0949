// axe (WCAG 2.0/2.1 A and AA) on the triage pages, in their normal and their error states,
// without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts); the scan runs in a JavaScript-enabled copy of each page.
import { dhrP, mevrB } from '../../fixtures/cases.ts';
import { expect, expectNoAxeViolations, loginAs, marker, submit, test } from '../fixtures.ts';
import { main, openReport, residentReport, triageChange, uniqueAddress } from './triage-utils.ts';

test.describe.configure({ timeout: 120_000 });

test('the queue: whole, filtered, empty, searched, paged', async ({ page }) => {
  await residentReport(mevrB(marker()));
  await loginAs(page, main, 'coordinator');
  await page.goto('/intern/triage');
  await expect(page.locator('table.mb-queue tbody tr').first()).toBeVisible();
  await expectNoAxeViolations(page, 'queue');
  await page.goto('/intern/triage?status=nieuw&kanaal=inwoner&urgentie=normaal&te-laat=1&mij=1&volgorde=oud');
  await expectNoAxeViolations(page, 'queue, filtered to nothing');
  await page.goto('/intern/triage?pagina=2');
  await expectNoAxeViolations(page, 'queue, page 2');
  await page.getByLabel('Zoeken op referentienummer, straat of postcode').fill(`Nergens ${marker()}`);
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('0 meldingen gevonden');
  await expectNoAxeViolations(page, 'queue, search without results');
});

test('the report page: full, revealed, and with each kind of error', async ({ page }) => {
  const tag = marker();
  const address = uniqueAddress();
  const persoon = { ...address, personAge: 'jonger_dan_16', childrenInHome: 'ja', street: 'Kerkstraat' };
  const overU = { anonymous: 'nee', reporterName: `Melder ${tag}`, reporterPhone: '06 12345678', reporterEmail: `melder.${tag}@example.nl` };
  const earlier = await residentReport(dhrP(`${tag}a`), { persoon: { ...persoon, postcode: '1012AB' } });
  const reference = await residentReport(dhrP(tag), { persoon: { ...persoon, postcode: '1012 ab' }, overU, zorgen: { concerns: ['zelfdoding', 'verslaving'], dangerToSelf: 'ja' } });
  await loginAs(page, main, 'coordinator');
  const req = page.request;
  await triageChange(req, reference, { intent: 'status', status: 'in_behandeling' });
  await triageChange(req, reference, { intent: 'urgency_ave', urgency: 'direct', avePhase: 'ave3', aveReason: 'Zorg en veiligheid' });
  await triageChange(req, reference, { intent: 'regie', caseDirector: 'Sociaal team', processDirector: 'Zorg- en Veiligheidshuis', treatmentDirector: '' });
  await triageChange(req, reference, { intent: 'note', note: 'Eerste contact gelegd.' });
  await triageChange(req, reference, { intent: 'wvggz', wvggz: 'start' });
  await triageChange(req, reference, { intent: 'assign', assignedTo: 'mij' });
  await triageChange(req, reference, { intent: 'link', other: earlier });

  await openReport(page, reference);
  await expect(page.getByRole('list', { name: 'Let op' })).toBeVisible();
  await expectNoAxeViolations(page, 'report page');
  await submit(page, 'Toon gegevens melder', page.getByRole('region', { name: 'Melder' }));
  await expect(page.getByText(`Melder ${tag}`, { exact: true })).toBeVisible();
  await expectNoAxeViolations(page, 'report page, reporter shown');

  // Errors: a new AVE phase without a reason.
  const triage = page.getByRole('form', { name: 'Urgentie en AVE-fase', exact: true });
  await triage.getByRole('group', { name: 'AVE-fase', exact: true }).getByLabel('AVE 4', { exact: true }).check();
  expect((await submit(page, 'Urgentie en AVE-fase opslaan', triage)).status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'Er is een probleem' })).toBeVisible();
  await expectNoAxeViolations(page, 'report page, AVE reason missing');

  // Errors: Uitgezet without an outcome (the outcome radios in error), Geannuleerd without a reason.
  const status = page.getByRole('form', { name: 'Status wijzigen', exact: true });
  await status.getByLabel('Nieuwe status').selectOption({ label: 'Uitgezet' });
  expect((await submit(page, 'Status opslaan', status)).status()).toBe(400);
  await expect(page.getByRole('alert').getByRole('link', { name: 'Uitkomst: Kies de uitkomst' })).toBeVisible();
  await expectNoAxeViolations(page, 'report page, outcome missing');
  await page.getByRole('form', { name: 'Status wijzigen', exact: true }).getByLabel('Nieuwe status').selectOption({ label: 'Geannuleerd' });
  expect((await submit(page, 'Status opslaan', page.getByRole('form', { name: 'Status wijzigen', exact: true }))).status()).toBe(400);
  await expectNoAxeViolations(page, 'report page, reason missing');
  await page.getByRole('form', { name: 'Status wijzigen', exact: true }).getByLabel('Nieuwe status').selectOption({ label: 'Samengevoegd' });
  expect((await submit(page, 'Status opslaan', page.getByRole('form', { name: 'Status wijzigen', exact: true }))).status()).toBe(400);
  await expectNoAxeViolations(page, 'report page, merge target missing');

  // Errors: an empty note.
  expect((await submit(page, 'Notitie toevoegen', page.getByRole('region', { name: 'Notities' }))).status()).toBe(400);
  await expect(page.getByRole('heading', { name: 'Er is een probleem' })).toBeVisible();
  await expectNoAxeViolations(page, 'report page, empty note');

  // A closed report: no status choice left but reopening.
  await triageChange(req, reference, { intent: 'status', status: 'afgesloten', outcome: 'bespreken_in_mdo' });
  await openReport(page, reference);
  await expectNoAxeViolations(page, 'report page, closed');
});
