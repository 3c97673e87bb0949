// The coordinator's queue /intern/triage: every channel in one list, filters in the URL that work
// without JavaScript, paging, and a search that is posted and never lands in a URL.
import type { Page } from '@playwright/test';
import { boaForm, dhrK, dhrP, kccForm, mevrB } from '../../fixtures/cases.ts';
import { auditText, createAccount, expect, loginAs, marker, submit, test } from '../fixtures.ts';
import { S, fillStaffForm, staffAnswers } from '../staff/staff-utils.ts';
import {
  backdateDue,
  concernsOf,
  logout,
  main,
  postStaffReport,
  queueReferences,
  queueRows,
  reportRow,
  reportRows,
  residentReport,
  triageChange,
  uniqueAddress,
} from './triage-utils.ts';

// Each test logs in fresh accounts (the user command hashes a password with argon2id): slow on a busy machine.
test.describe.configure({ timeout: 90_000 });

/**
 * Mevr. B. entered on the KCC or BOA form in the browser and saved; returns the reference shown.
 * Without a place, so that the queue shows the postcode area.
 */
async function enterMevrB(page: Page, channel: 'kcc' | 'boa', tag: string): Promise<string> {
  const answers = staffAnswers(mevrB(tag), channel);
  await page.goto(`/intern/${channel}/melding`);
  await fillStaffForm(page, { ...answers, person: { ...answers.person, place: undefined } });
  await submit(page, S.save);
  await expect(page).toHaveURL(new RegExp(`/intern/${channel}/opgeslagen/MB-[A-HJKMNP-Z2-9]{8}$`));
  return page.url().slice(-11);
}

test.describe('triage queue', () => {
  test('a coordinator sees the reports of all three channels in one queue', async ({ page }) => {
    const tag = marker();
    const resident = await residentReport(dhrP(tag), { zorgen: { dangerToSelf: 'ja' } });
    await loginAs(page, main, 'kcc');
    const kcc = await enterMevrB(page, 'kcc', tag);
    await logout(page);
    await loginAs(page, main, createAccount(main, 'boa', { serviceNumber: 'BOA-123' }));
    const boa = await enterMevrB(page, 'boa', tag);
    await logout(page);
    expect(reportRows([resident, kcc, boa]).map((r) => r['channel']).sort()).toEqual(['boa', 'inwoner', 'kcc']);

    // A fresh coordinator, so that "assigned to me" shows these three whatever else the shared server holds.
    await loginAs(page, main, createAccount(main, 'coordinator'));
    await page.goto('/intern');
    await expect(page).toHaveURL(/\/intern\/triage$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Meldingen' })).toBeVisible();
    for (const ref of [resident, kcc, boa]) await triageChange(page.request, ref, { intent: 'assign', assignedTo: 'mij' });
    await page.goto('/intern/triage?mij=1');
    const rows = await queueRows(page);
    expect(rows).toHaveLength(3);
    const byRef = new Map(rows.map((r) => [r.reference, r]));
    expect(byRef.get(resident)?.channel).toBe('Inwoner');
    expect(byRef.get(kcc)?.channel).toBe('KCC');
    expect(byRef.get(boa)?.channel).toBe('BOA');
    for (const ref of [resident, kcc, boa]) {
      const row = byRef.get(ref)!;
      expect(row.status).toBe('Nieuw');
      expect(row.urgency).toBe('Hoog'); // danger to self: suggested Hoog
      expect(row.ave).toBe('Onbekend');
    }
    // Areas are the villages of the address lookup (the PDOK stand-in knows the cases' addresses).
    expect(byRef.get(boa)?.area).toBe('Grootegast');
    expect(byRef.get(resident)?.area).toBe('Leek');
    // The open work (spec §5): overdue first, then by deadline, then most urgent. The three came in
    // today with the same urgency, so the same deadline: the first received stands first.
    const late = rows.map((r) => r.due.includes('Te laat'));
    expect(late.indexOf(false) === -1 || late.lastIndexOf(true) < late.indexOf(false)).toBe(true);
    const at = (ref: string) => rows.findIndex((r) => r.reference === ref);
    expect(at(resident)).toBeLessThan(at(kcc));
    expect(at(kcc)).toBeLessThan(at(boa));
    for (const r of rows) expect(['Nieuw', 'In behandeling', 'Wacht op informatie']).toContain(r.status);
    // Each reference opens its report.
    await page.getByRole('link', { name: kcc, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: `Melding ${kcc}` })).toBeVisible();
  });

  test('filters live in the URL and work without JavaScript', async ({ page }) => {
    const tag = marker();
    // A fresh coordinator: nothing was assigned to them before this test.
    const me = await loginAs(page, main, createAccount(main, 'coordinator'));
    const req = page.request;
    // A: KCC, dementia, in treatment, Direct, AVE 2, assigned to me.
    const a = await postStaffReport(req, 'kcc', kccForm(dhrK(tag), { concerns: ['dementie'] }));
    await triageChange(req, a, { intent: 'status', status: 'in_behandeling' });
    await triageChange(req, a, { intent: 'urgency_ave', urgency: 'direct', avePhase: 'ave2', aveReason: 'Meerdere hulpverleners betrokken' });
    await triageChange(req, a, { intent: 'assign', assignedTo: 'mij' });
    // B: resident, lonely, new, Direct, overdue.
    const b = await residentReport(dhrP(tag), { zorgen: { concerns: ['eenzaamheid'] } });
    await triageChange(req, b, { intent: 'urgency_ave', urgency: 'direct', avePhase: 'onbekend' });
    backdateDue(b);
    // C: BOA, talk of suicide, new, Hoog (suggested).
    const c = await postStaffReport(req, 'boa', boaForm(mevrB(tag), { concerns: ['zelfdoding'], dangerToSelf: 'nee', dangerToOthers: 'nee' }));
    expect(reportRow(c)['urgency']).toBe('hoog');
    const mine = [a, b, c];

    const filters = page.getByRole('form', { name: 'Filters' });
    /** Sets the filter form, submits it (a GET), and returns the references listed. */
    const filter = async (selects: Record<string, string>, checks: string[] = []): Promise<string[]> => {
      await page.goto('/intern/triage');
      for (const [label, value] of Object.entries(selects)) await filters.getByLabel(label, { exact: true }).selectOption({ label: value });
      for (const label of checks) await filters.getByLabel(label).check();
      await filters.getByRole('button', { name: 'Filteren' }).click();
      await page.waitForURL(/\/intern\/triage\?/);
      const refs = await queueReferences(page);
      expect(refs.length, `${JSON.stringify(selects)} ${checks} lists reports`).toBeGreaterThan(0);
      return refs;
    };
    const expectMine = (refs: string[], included: string[]) => {
      for (const r of mine) expect(refs.includes(r), `${r} ${included.includes(r) ? 'listed' : 'not listed'}`).toBe(included.includes(r));
    };

    let refs = await filter({ Status: 'In behandeling' });
    expect(new URL(page.url()).searchParams.get('status')).toBe('in_behandeling');
    expectMine(refs, [a]);
    expect(reportRows(refs).every((r) => r['status'] === 'in_behandeling')).toBe(true);
    expect((await queueRows(page)).every((r) => r.status === 'In behandeling')).toBe(true);
    // The form shows the filter that is on.
    await expect(filters.getByLabel('Status', { exact: true })).toHaveValue('in_behandeling');

    refs = await filter({ Kanaal: 'BOA' });
    expect(new URL(page.url()).searchParams.get('kanaal')).toBe('boa');
    expectMine(refs, [c]);
    expect(reportRows(refs).every((r) => r['channel'] === 'boa')).toBe(true);

    refs = await filter({ Urgentie: 'Direct' });
    expect(new URL(page.url()).searchParams.get('urgentie')).toBe('direct');
    expectMine(refs, [a, b]);
    expect(reportRows(refs).every((r) => r['urgency'] === 'direct')).toBe(true);

    refs = await filter({ 'AVE-fase': 'AVE 2' });
    expect(new URL(page.url()).searchParams.get('ave')).toBe('ave2');
    expectMine(refs, [a]);
    expect(reportRows(refs).every((r) => r['ave_phase'] === 'ave2')).toBe(true);

    refs = await filter({ 'Soort zorg': 'Vergeetachtigheid of dementie' });
    expect(new URL(page.url()).searchParams.get('zorg')).toBe('dementie');
    expectMine(refs, [a]);
    for (const r of refs) expect(concernsOf(r), r).toContain('dementie');

    refs = await filter({}, ['Alleen te laat']);
    expect(new URL(page.url()).searchParams.get('te-laat')).toBe('1');
    expectMine(refs, [b]);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
    for (const r of reportRows(refs)) expect([r['status'], String(r['due_on']) < today], String(r['reference'])).toEqual(['nieuw', true]);
    expect((await queueRows(page)).every((r) => r.due.endsWith('Te laat'))).toBe(true);

    refs = await filter({}, ['Alleen aan mij toegewezen']);
    expect(new URL(page.url()).searchParams.get('mij')).toBe('1');
    expect(refs).toEqual([a]); // a fresh coordinator: only what was assigned to them
    expect(reportRow(a)['assigned_to']).toBe(me.id);

    refs = await filter({ Status: 'Nieuw', Kanaal: 'BOA' });
    expectMine(refs, [c]);
    expect(reportRows(refs).every((r) => r['status'] === 'nieuw' && r['channel'] === 'boa')).toBe(true);

    // The same URL typed or bookmarked gives the same list.
    await page.goto('/intern/triage?status=in_behandeling&kanaal=kcc&zorg=dementie&mij=1');
    expect(await queueReferences(page)).toEqual([a]);
    // Unknown values are ignored, never an error.
    const odd = await page.goto('/intern/triage?status=bestaat_niet&kanaal=%3Cscript%3E&urgentie=&ave=ave9&pagina=-3');
    expect(odd?.status()).toBe(200);
    expect(await queueReferences(page)).toContain(b);
    // "Filters wissen" goes back to the whole queue.
    await page.goto('/intern/triage?status=in_behandeling');
    await page.getByRole('link', { name: 'Filters wissen' }).click();
    await expect(page).toHaveURL(/\/intern\/triage$/);
  });

  test('paging through a filtered queue, by links in the URL', async ({ page }, testInfo) => {
    test.setTimeout(150_000);
    await loginAs(page, main, 'coordinator');
    const req = page.request;
    // Reports only this test makes: waiting for information, AVE 4, Laag; one channel per project so
    // the two projects running side by side do not page through each other's reports.
    const channel = testInfo.project.name === 'js-off' ? 'boa' : 'kcc';
    const made: string[] = [];
    const tag = marker();
    for (let i = 0; i < 53; i++) {
      const fields = channel === 'kcc' ? kccForm(dhrK(`${tag}-${i}`)) : boaForm(mevrB(`${tag}-${i}`));
      const ref = await postStaffReport(req, channel, fields);
      await triageChange(req, ref, { intent: 'urgency_ave', urgency: 'laag', avePhase: 'ave4', aveReason: 'Openbare orde in het geding' });
      await triageChange(req, ref, { intent: 'status', status: 'in_behandeling' });
      await triageChange(req, ref, { intent: 'status', status: 'wacht_op_info' });
      made.push(ref);
    }
    const query = `status=wacht_op_info&kanaal=${channel}&ave=ave4`;
    await page.goto(`/intern/triage?${query}`);
    const status = page.getByRole('status');
    const total = Number(/^(\d+) meldingen/.exec((await status.innerText()).trim())?.[1]);
    expect(total).toBeGreaterThanOrEqual(53);
    const pages = Math.ceil(total / 50);
    const pager = page.getByRole('navigation', { name: "Pagina's" });
    await expect(pager).toContainText(`Pagina 1 van ${pages}`);
    await expect(pager.getByRole('link', { name: 'Vorige pagina' })).toHaveCount(0);
    const seen: string[] = [];
    for (let n = 1; n <= pages; n++) {
      const refs = await queueReferences(page);
      expect(refs.length).toBe(n < pages ? 50 : total - 50 * (pages - 1));
      seen.push(...refs);
      await expect(pager).toContainText(`Pagina ${n} van ${pages}`);
      const next = pager.getByRole('link', { name: 'Volgende pagina' });
      if (n === pages) {
        await expect(next).toHaveCount(0);
        break;
      }
      const href = await next.getAttribute('href');
      const url = new URL(href!, main.origin);
      expect(Object.fromEntries(url.searchParams)).toEqual({ status: 'wacht_op_info', kanaal: channel, ave: 'ave4', pagina: String(n + 1) });
      await next.click();
      await expect(page).toHaveURL(new RegExp(`pagina=${n + 1}$`));
    }
    expect(new Set(seen).size, 'no report on two pages').toBe(seen.length);
    for (const ref of made) expect(seen, ref).toContain(ref);
    expect(reportRows(seen).every((r) => r['status'] === 'wacht_op_info' && r['ave_phase'] === 'ave4' && r['channel'] === channel)).toBe(true);
    // Back to page 1: the link carries the filters and no page number.
    await expect(page.getByRole('link', { name: 'Vorige pagina' })).toHaveAttribute('href', pages === 2 ? `/intern/triage?${query}` : new RegExp(`pagina=${pages - 1}$`));
    // A page number past the end shows the last page.
    await page.goto(`/intern/triage?${query}&pagina=999`);
    await expect(pager).toContainText(`Pagina ${pages} van ${pages}`);

    // The same reports found by a posted search (their postcode) page by posted forms too.
    const postcode = reportRow(made[0]!)['postcode'] as string;
    await page.goto('/intern/triage');
    await page.getByLabel('Zoeken op referentienummer, straat of postcode').fill(postcode);
    await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await expect(status).toContainText(`gevonden voor "${postcode}"`);
    expect(await queueReferences(page)).toHaveLength(50);
    await pager.getByRole('button', { name: 'Volgende pagina' }).click();
    await expect(pager).toContainText(/Pagina 2 van \d+/);
    await expect(status).toContainText(`gevonden voor "${postcode}"`);
    expect(page.url()).toBe(`${main.origin}/intern/triage`);
    expect(reportRows(await queueReferences(page)).every((r) => r['postcode'] === postcode)).toBe(true);
  });

  test('the search is posted: the term is never in a URL, the audit log or a request line', async ({ page }) => {
    const tag = marker();
    const street = `Zoekstraat${tag}`;
    const address = uniqueAddress();
    const ref = await residentReport(dhrP(tag), { persoon: { street, ...address, houseAddition: 'a' } });
    const other = await residentReport(dhrP(`${tag}x`));
    await loginAs(page, main, 'coordinator');
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    page.on('framenavigated', (f) => urls.push(f.url()));
    const search = async (term: string): Promise<string[]> => {
      await page.goto('/intern/triage?kanaal=inwoner');
      await page.getByLabel('Zoeken op referentienummer, straat of postcode').fill(term);
      const [request] = await Promise.all([
        page.waitForRequest((r) => r.method() === 'POST' && r.resourceType() === 'document'),
        page.getByRole('button', { name: 'Zoeken', exact: true }).click(),
      ]);
      expect(request.postData() ?? '').toContain('zoek=');
      await expect(page.getByRole('status')).toContainText(`gevonden voor "${term}"`);
      // The search keeps the filters of the URL it was made from.
      expect(new URL(page.url()).searchParams.get('kanaal')).toBe('inwoner');
      return queueReferences(page);
    };

    // By street: the whole name, in any case. Streets are encrypted at rest and found by a blind index:
    // the start of a name alone finds nothing.
    let refs = await search(street.toLowerCase());
    expect(refs).toEqual([ref]);
    refs = await search(street.toUpperCase());
    expect(refs).toEqual([ref]);
    expect(await search(street.slice(0, -3))).toEqual([]);
    // By reference, in lower case.
    expect(await search(ref.toLowerCase())).toEqual([ref]);
    // By postcode, spaced and in lower case: every report found has it.
    const spaced = `${address.postcode.slice(0, 4)} ${address.postcode.slice(4).toLowerCase()}`;
    refs = await search(spaced);
    expect(refs).toContain(ref);
    expect(refs).not.toContain(other);
    expect(reportRows(refs).every((r) => r['postcode'] === address.postcode)).toBe(true);
    // Nothing found.
    refs = await search(`Nergensweg${tag}`);
    expect(refs).toEqual([]);
    await expect(page.getByRole('status')).toContainText('0 meldingen');
    // Clearing the search goes back to the filtered queue.
    await page.getByRole('link', { name: 'Zoekopdracht wissen' }).click();
    await expect(page).toHaveURL(/\/intern\/triage\?kanaal=inwoner$/);
    await expect(page.getByLabel('Zoeken op referentienummer, straat of postcode')).toHaveValue('');

    for (const term of [street, tag, spaced, `Nergensweg${tag}`]) {
      for (const url of urls) expect(decodeURIComponent(url).toLowerCase(), url).not.toContain(term.toLowerCase());
    }
    expect(urls.length).toBeGreaterThan(10);
    // The audit log records that a search was made, never what was searched for.
    expect(auditText().toLowerCase()).not.toContain(tag);
  });
});
