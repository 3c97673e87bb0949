// Additions by residents at /melden/aanvullen (spec §2 "Aanvullen"): without login or JavaScript, the
// reference as written down, nothing of the report revealed (not even its status), unknown references
// answered plainly, rate-limited like the form. Runs
// without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts).
import { request } from '@playwright/test';
import { dhrP, residentSteps } from '../../fixtures/cases.ts';
import { keyringOfDatabase, openValue } from '../../support/keys.ts';
import {
  auditRows,
  expect,
  expectNoAxeViolations,
  field,
  marker,
  postForm,
  postResidentSteps,
  sendDraft,
  servers,
  submit,
  test,
  uniqueIp,
  withDb,
  type Server,
} from '../fixtures.ts';

const { main, limits } = servers;
const REFERENCE_LABEL = 'Referentienummer';
const TEXT_LABEL = 'Wat wilt u aanvullen?';
const SEND = 'Aanvulling versturen';
const UNKNOWN = 'We kennen dit referentienummer niet. Controleer het nummer of bel ons.';

/** A resident report of Dhr. P. (its texts carry `tag`) on `srv`; its reference. */
async function report(srv: Server, tag: string, headers: Record<string, string> = {}): Promise<string> {
  const req = await request.newContext({ baseURL: srv.origin });
  try {
    await postResidentSteps(req, srv.origin, residentSteps(dhrP(tag)), headers);
    return await sendDraft(req, srv.origin, headers);
  } finally {
    await req.dispose();
  }
}

/** The additions to a report, opened with the portal's key. */
function additionsOf(srv: Server, reference: string): { source: string; body: string | null }[] {
  const ring = keyringOfDatabase(srv.dbPath);
  const rows = withDb(srv, (db) =>
    db.prepare('SELECT a.id, a.source, a.body FROM report_additions a JOIN reports r ON r.id = a.report_id WHERE r.reference = ? ORDER BY a.id').all(reference) as { id: number; source: string; body: string }[],
  );
  return rows.map((r) => ({ source: r.source, body: openValue(ring, 'report_additions', 'body', r.id, r.body) }));
}

test.describe('additions by residents', () => {
  test('the reference as written down adds to the report; the thanks show nothing of it', async ({ page }) => {
    const tag = marker('aanv');
    const reference = await report(main, tag);
    await page.goto('/melden/aanvullen');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Uw melding aanvullen');
    await expect(page.getByText('Is er direct gevaar? Bel 112.').first()).toBeVisible();
    await expectNoAxeViolations(page, 'addition form');

    const text = `Gisteren stond hij weer op het balkon te schreeuwen, ${marker('txt')}.`;
    await field(page, REFERENCE_LABEL).fill(` ${reference.slice(3).toLowerCase()} `);
    await field(page, TEXT_LABEL).fill(text);
    const sent = await submit(page, SEND);
    expect(sent.status()).toBe(303);
    await expect(page).toHaveURL(/\/melden\/aanvullen\/ontvangen$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bedankt, uw aanvulling is ontvangen');
    const html = await page.content();
    for (const secret of [tag, reference, 'Dhr. P.', 'Nieuw', 'In behandeling', 'Afgehandeld']) expect(html, secret).not.toContain(secret);
    await expectNoAxeViolations(page, 'addition received');

    expect(additionsOf(main, reference)).toEqual([{ source: 'inwoner', body: text }]);
    expect(auditRows(main, { action: 'aanvulling_toegevoegd', object_id: reference })).toMatchObject([{ actor_role: 'inwoner', result: 'gelukt', on_behalf_of: null }]);
  });

  test('an unknown reference and too little text: 400, the messages at the fields, the answers kept', async ({ page }) => {
    await page.goto('/melden/aanvullen');
    await field(page, REFERENCE_LABEL).fill('MB-2222 2223');
    await field(page, TEXT_LABEL).fill('Te kort');
    const refused = await submit(page, SEND);
    expect(refused.status()).toBe(400);
    await expect(page).toHaveTitle(/^Fout: /);
    await expect(page.getByRole('link', { name: 'Schrijf minstens 10 tekens' })).toBeVisible();
    await expect(field(page, TEXT_LABEL)).toHaveValue('Te kort');
    await expectNoAxeViolations(page, 'addition form with errors');

    const text = 'Hij heeft nu ook de ramen dichtgetimmerd.';
    await field(page, TEXT_LABEL).fill(text);
    const unknown = await submit(page, SEND);
    expect(unknown.status()).toBe(400);
    await expect(page.getByRole('link', { name: UNKNOWN })).toBeVisible();
    await expect(field(page, REFERENCE_LABEL)).toHaveValue('MB-2222 2223');
    await expect(field(page, TEXT_LABEL)).toHaveValue(text);
    await expectNoAxeViolations(page, 'addition form, unknown reference');
  });

  test('rate-limited per address like the form: the third post within the hour gets 429', async ({ page }) => {
    const ip = uniqueIp();
    const headers = { 'X-Forwarded-For': ip };
    // The report itself from another address, so the limit is the additions' own.
    const reference = await report(limits, marker('lim'), { 'X-Forwarded-For': uniqueIp() });
    const form = { reference, addition: 'Ik zag hem vanochtend zonder jas buiten.' };
    for (let i = 0; i < 2; i++) {
      const response = await postForm(page.request, `${limits.origin}/melden/aanvullen`, form, { origin: limits.origin, headers });
      expect(response.status()).toBe(303);
    }
    await page.context().setExtraHTTPHeaders(headers);
    await page.goto(`${limits.origin}/melden/aanvullen`);
    await field(page, REFERENCE_LABEL).fill(reference);
    await field(page, TEXT_LABEL).fill('Nog een keer iets gezien bij het huis.');
    const refused = await submit(page, SEND);
    expect(refused.status()).toBe(429);
    expect(await refused.headerValue('retry-after')).toBe('3600');
    await expect(page.getByRole('alert')).toContainText('te veel aanvullingen');
    await expect(field(page, TEXT_LABEL)).toHaveValue('Nog een keer iets gezien bij het huis.');
    await expect(page.getByRole('main')).toContainText('0800-1205');
    await expectNoAxeViolations(page, 'addition form, rate-limited');
    expect(additionsOf(limits, reference)).toHaveLength(2);

    // Another address still gets through.
    const other = await postForm(page.request, `${limits.origin}/melden/aanvullen`, form, { origin: limits.origin, headers: { 'X-Forwarded-For': uniqueIp() } });
    expect(other.status()).toBe(303);
  });
});
