// Step 1 "Ja": the resident is sent to 112 and nothing is stored (spec §2, step 1).
import type { Page } from '@playwright/test';
import { dhrP } from '../../fixtures/cases.ts';
import { Q, draftsContaining, expect, fillPerson, marker, option, reportsContaining, servers, submit, test } from '../fixtures.ts';
import { NEXT, draftCookie, expectStep, fillAcute } from './resident-utils.ts';

async function expect112Page(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/melden\/bel-112$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bel nu 112');
  await expect(page.getByRole('alert')).toContainText('Is er direct gevaar? Bel nu 112.');
  await expect(page.getByRole('link', { name: '112', exact: true }).first()).toHaveAttribute('href', 'tel:112');
  await expect(page.getByText('Wij hebben niets van wat u heeft ingevuld bewaard.')).toBeVisible();
  // Like every public page (spec §1): the call notice with 112 and the free number.
  const notice = page.getByRole('complementary', { name: 'Bellen' });
  await expect(notice).toContainText('Is er direct gevaar? Bel 112.');
  await expect(notice).toContainText('Liever bellen? Bel 0800-1205 (gratis)');
}

test.describe('step 1: acute danger', () => {
  test('Ja on a fresh form leads to the 112 page without a cookie or a draft', async ({ page }) => {
    await page.goto('/melden');
    await fillAcute(page, 'ja');
    const response = await submit(page, NEXT);
    expect(response.status()).toBe(303);
    // No cookie is set (at most an old one is cleared).
    const setCookie = (await response.headerValue('set-cookie')) ?? '';
    expect(setCookie === '' || /Expires=Thu, 01 Jan 1970|Max-Age=0/i.test(setCookie), setCookie).toBe(true);
    await expect112Page(page);
    expect(await page.context().cookies()).toEqual([]);
  });

  test('Ja after answers were kept removes the draft and the cookie; no report is stored', async ({ page }) => {
    const tag = marker('acuut');
    await page.goto('/melden');
    await fillAcute(page, 'nee');
    await submit(page, NEXT);
    await expectStep(page, 2);
    await fillPerson(page, dhrP(tag).person);
    await submit(page, NEXT);
    await expectStep(page, 3);
    // The draft exists now, holding what was typed.
    expect(await draftCookie(page)).toBeTruthy();
    expect(draftsContaining(servers.main, tag)).toBe(1);

    // The situation escalates: back to step 1, and now there is direct danger.
    await page.goto('/melden');
    await expect(option(page, Q.acute, 'Nee')).toBeChecked();
    await fillAcute(page, 'ja');
    await submit(page, NEXT);
    await expect112Page(page);

    expect(draftsContaining(servers.main, tag)).toBe(0);
    expect(reportsContaining(servers.main, tag)).toEqual([]);
    expect(await draftCookie(page)).toBeUndefined();
    // Starting again, nothing of before is there.
    await page.goto('/melden/persoon');
    await expect(page).toHaveURL(/\/melden$/);
    await expect(page.getByRole('radio', { checked: true })).toHaveCount(0);
  });
});
