// Issue 9, the coordinator's first day: the queue is the open work, the search finds what people
// type, a save on the report page is confirmed and keeps what was typed elsewhere, and the staff
// pages fit a 375 px phone. Runs
// without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts); axe on each page.
import { dhrP, type Case } from '../../fixtures/cases.ts';
import { createAccount, expect, expectNoAxeViolations, loginAs, marker, submit, test, withWritableDb } from '../fixtures.ts';
import { main, openReport, queueReferences, reportRow, residentReport, triageChange, uniqueAddress } from './triage-utils.ts';

test.describe.configure({ timeout: 120_000 });

/** Dhr. P. at an address, street, village and name of his own, so filters and searches find him alone. */
function ownCase(tag: string, n: number): Case & { address: { postcode: string; houseNumber: string } } {
  const c = dhrP(tag);
  const address = uniqueAddress();
  return {
    ...c,
    person: { ...c.person, name: `Naam${tag}${n} de Vries`, postcode: address.postcode, houseNumber: address.houseNumber, addition: '', street: `Straat${tag}${n}laan`, place: `Dorp${tag}` },
    address,
  };
}

test('the default queue is the open work: closed, cancelled, merged and acute records are not in it', async ({ page }) => {
  const tag = marker('q');
  const req = page.request;
  // A colleague of their own: the "Toegewezen aan" filter narrows the queue to this test's reports.
  const colleague = createAccount(main, 'coordinator', { name: `Collega ${tag}` });
  await loginAs(page, main, 'coordinator');
  const [open, closed, cancelled, merged, acute] = await Promise.all([0, 1, 2, 3, 4].map((n) => residentReport(ownCase(tag, n))));
  for (const r of [open, closed, cancelled, merged, acute]) await triageChange(req, r!, { intent: 'assign', assignedTo: String(colleague.id) });
  await triageChange(req, closed!, { intent: 'status', status: 'in_behandeling' });
  await triageChange(req, closed!, { intent: 'status', status: 'afgesloten', outcome: 'bespreken_in_mdo' });
  await triageChange(req, cancelled!, { intent: 'status', status: 'geannuleerd', reason: 'Test' });
  await triageChange(req, merged!, { intent: 'status', status: 'samengevoegd', mergeInto: open! });
  // Set-up only: an acute record as the KCC's acute path leaves it (closed by nature).
  withWritableDb(main, (db) => db.prepare("UPDATE reports SET status = 'acuut_doorgezet', acute_danger = 1 WHERE reference = ?").run(acute));
  expect(reportRow(acute!)['status']).toBe('acuut_doorgezet');

  // The colleague filter narrows the queue to these five; the default is the open work.
  await page.goto('/intern/triage');
  await page.getByLabel('Toegewezen aan', { exact: true }).selectOption({ label: colleague.name });
  await page.getByRole('button', { name: 'Filteren', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`toegewezen=${colleague.id}`));
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('');
  expect(await queueReferences(page)).toEqual([open]);
  await expect(page.getByRole('status')).toContainText('1 melding in het open werk');
  await expectNoAxeViolations(page, 'queue, open work of one colleague');

  // "Alle statussen" shows the rest; a chosen status shows that status only.
  const mine = `toegewezen=${colleague.id}`;
  await page.goto(`/intern/triage?${mine}&status=alle`);
  expect((await queueReferences(page)).sort()).toEqual([open, closed, cancelled, merged, acute].sort());
  await page.goto(`/intern/triage?${mine}&status=afgesloten`);
  expect(await queueReferences(page)).toEqual([closed]);
  await page.goto(`/intern/triage?${mine}&status=alle&uitkomst=bespreken_in_mdo`);
  expect(await queueReferences(page)).toEqual([closed]);
});

test('the search finds a report by what people type: reference with or without MB-, postcode or street with or without number, the whole name', async ({ page }) => {
  const tag = marker('s');
  const c = ownCase(tag, 1);
  const neighbour = ownCase(tag, 2);
  // Next door: the same postcode, another number.
  neighbour.person.postcode = c.address.postcode;
  neighbour.person.houseNumber = String(Number(c.address.houseNumber) === 9999 ? 1000 : Number(c.address.houseNumber) + 1);
  const reference = await residentReport(c);
  const other = await residentReport(neighbour);
  const req = page.request;
  const colleague = createAccount(main, 'coordinator', { name: `Collega ${tag}` });
  await loginAs(page, main, 'coordinator');
  for (const r of [reference, other]) await triageChange(req, r, { intent: 'assign', assignedTo: String(colleague.id) });
  // Closed: a search looks in every status.
  await triageChange(req, reference, { intent: 'status', status: 'geannuleerd', reason: 'Dubbel' });
  const code = reference.slice(3);
  const pc = `${c.address.postcode.slice(0, 4)} ${c.address.postcode.slice(4).toLowerCase()}`;
  const searches: [string, string[]][] = [
    [reference, [reference]],
    [`mb ${code.toLowerCase()}`, [reference]],
    [code, [reference]],
    [`${code.slice(0, 4).toLowerCase()} ${code.slice(4).toLowerCase()}`, [reference]],
    [`${pc} ${c.address.houseNumber}`, [reference]],
    [`${c.person.street} ${c.address.houseNumber}`, [reference]],
    [`${c.person.street!.toLowerCase()}`, [reference]],
    [`NAAM${tag}1 DE VRIES`, [reference]],
    [`naam${tag}1 de vries`, [reference]],
    // Names and streets are encrypted at rest and found whole by a blind index: a start finds nothing.
    [`Naam${tag}1`, []],
  ];
  // Searched within this test's colleague, so that other reports at a random postcode stay out.
  await page.goto(`/intern/triage?toegewezen=${colleague.id}`);
  for (const [term, expected] of searches) {
    await page.getByLabel(/^Zoeken op referentienummer/).fill(term);
    const response = await submit(page, 'Zoeken', page.getByRole('search'));
    expect(response.request().method()).toBe('POST');
    // Posted, never in a URL.
    expect(page.url()).not.toContain(encodeURIComponent(term.split(' ')[0]!));
    expect(await queueReferences(page), term).toEqual(expected);
    await expect(page.getByRole('status')).toContainText('in alle statussen');
  }
  // The postcode without a number finds both reports at that postcode.
  await page.getByLabel(/^Zoeken op referentienummer/).fill(pc);
  await submit(page, 'Zoeken', page.getByRole('search'));
  expect((await queueReferences(page)).sort()).toEqual([reference, other].sort());
  await expectNoAxeViolations(page, 'queue, searched');
});

test('a save on the report page says what was saved and keeps what was typed elsewhere', async ({ page }) => {
  const tag = marker('r');
  const reference = await residentReport(ownCase(tag, 1));
  await loginAs(page, main, 'coordinator');
  await openReport(page, reference);
  const notes = page.getByRole('region', { name: 'Notities' });
  await notes.getByLabel('Notitie').fill(`Half getypt ${tag}`);
  const regie = page.getByRole('form', { name: 'Regie', exact: true });
  await regie.getByLabel('Casusregisseur (CR)').fill(`CR ${tag}`);
  // Saving the regie keeps the note typed below it, and warns that it is not saved yet.
  const first = await submit(page, 'Regie opslaan', regie);
  expect(first.status()).toBe(200);
  const status = page.getByRole('status').filter({ hasText: 'Opgeslagen' });
  await expect(status).toContainText('Opgeslagen: regie.');
  await expect(status).toContainText('nog niet opgeslagen: Notitie');
  await expect(page.getByRole('region', { name: 'Notities' }).getByLabel('Notitie')).toHaveValue(`Half getypt ${tag}`);
  expect(reportRow(reference)['case_director']).toBe(`CR ${tag}`);
  await expectNoAxeViolations(page, 'report page, saved with an unsaved note');
  // Then the note: a redirect, and the page after it says so.
  const second = await submit(page, 'Notitie toevoegen', page.getByRole('region', { name: 'Notities' }));
  expect(second.status()).toBe(303);
  expect(second.headers()['location']).toBe(`/intern/triage/${reference}#opgeslagen`);
  await expect(page).toHaveURL(new RegExp(`/intern/triage/${reference}#opgeslagen$`));
  await expect(page.getByRole('status')).toHaveText('Opgeslagen: notitie.');
  await expect(page.getByRole('status')).toBeFocused();
  await expect(page.getByRole('region', { name: 'Notities' }).locator('article')).toContainText(`Half getypt ${tag}`);
  await expect(page.getByRole('form', { name: 'Regie', exact: true }).getByLabel('Casusregisseur (CR)')).toHaveValue(`CR ${tag}`);
  // Read once: opened again, the page says nothing.
  await openReport(page, reference);
  await expect(page.getByRole('status').filter({ hasText: 'Opgeslagen' })).toHaveCount(0);
  // The access history in Dutch: no codes.
  const log = page.getByRole('region', { name: 'Inzage en wijzigingen (logboek)' });
  await expect(log.getByRole('cell', { name: 'Regie gewijzigd', exact: true })).toHaveCount(1);
  await expect(log.getByRole('cell', { name: 'OGGz-coördinator', exact: true }).first()).toBeVisible();
  // Role, action and result: labels, never the stored codes.
  const coded = await log.locator('tbody tr').evaluateAll((trs) => trs.flatMap((tr) => [...tr.querySelectorAll('td')].slice(2).map((td) => td.textContent ?? '')));
  expect(coded.length).toBeGreaterThan(10);
  for (const cell of coded) expect(cell).not.toMatch(/_|^(coordinator|inwoner|kcc|boa|admin|gelukt|geweigerd|mislukt)$/);
});

test('the queue, all reports and the monitor fit a 375 px phone: no sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await loginAs(page, main, 'coordinator');
  for (const path of ['/intern/triage', '/intern/triage?status=alle', '/intern/monitor']) {
    await page.goto(path);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
    await expectNoAxeViolations(page, `${path} at 375 px`);
  }
});

test('a report page with long texts and a long logboek fits a 375 px phone; its Wvggz deadline shows in the queue', async ({ page }) => {
  const tag = marker('w');
  const c = ownCase(tag, 1);
  const long = `${'Lange beschrijving met Hoofdstraatbewonersvereniging en https://voorbeeld.nl/een/heel/lang/pad/zonder/spaties '.repeat(40)}`.slice(0, 3990);
  const reference = await residentReport({ ...c, concerns: { ...c.concerns, description: long } });
  await page.setViewportSize({ width: 375, height: 800 });
  await loginAs(page, main, 'coordinator');
  const req = page.request;
  await triageChange(req, reference, { intent: 'status', status: 'in_behandeling' });
  await triageChange(req, reference, { intent: 'regie', caseDirector: 'Consulent sociaal domein, Sociaal Team Leek-Zuidhorn-Grootegast', processDirector: '', treatmentDirector: '' });
  await triageChange(req, reference, { intent: 'wvggz', wvggz: 'start' });
  await triageChange(req, reference, { intent: 'note', note: 'Huisarts gebeld en besproken. '.repeat(60) });
  // A long logboek: forty views.
  for (let i = 0; i < 40; i++) expect((await req.get(`/intern/triage/${reference}`)).status()).toBe(200);
  const path = `/intern/triage/${reference}`;
  await page.goto(path);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
  await expectNoAxeViolations(page, `${path} at 375 px`);
  // The Wvggz deadline as a marker in the queue.
  await page.goto('/intern/triage');
  await page.getByLabel(/^Zoeken op referentienummer/).fill(reference);
  await submit(page, 'Zoeken', page.getByRole('search'));
  await expect(page.locator('table.mb-queue tbody tr').first()).toContainText('Wvggz uiterlijk');
});

test('the monitor with a date that is not one (year 9999): a 400 with the form and the message, also from the CSV link', async ({ page }) => {
  await loginAs(page, main, 'coordinator');
  const response = await page.goto('/intern/monitor?van=9999-01-01&tot=9999-12-31');
  expect(response?.status()).toBe(400);
  await expect(page).toHaveTitle(/^Fout: /);
  const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Er is een probleem' }) });
  await expect(summary.getByRole('link', { name: 'Vul bij "Vanaf" een bestaande datum in tussen 2000 en 2999' })).toBeVisible();
  await expect(page.getByLabel('Vanaf', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expectNoAxeViolations(page, 'monitor with a wrong date');
  const csv = await page.request.get('/intern/monitor/export.csv?van=9999-01-01', { maxRedirects: 0 });
  expect(csv.status()).toBe(303);
  expect(csv.headers()['location']).toBe('/intern/monitor?van=9999-01-01');
});
