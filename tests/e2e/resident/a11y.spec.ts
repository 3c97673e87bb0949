// axe (WCAG 2.0/2.1 A and AA) finds nothing on any public page, normal and in its error state.
// The check page in its error state and the rate-limit page are scanned in captcha.spec.ts and
// rate-limit.spec.ts, where those states are made.
import { dhrP } from '../../fixtures/cases.ts';
import { expect, expectNoAxeViolations, marker, submit, submitRefused, test } from '../fixtures.ts';
import { NEXT, answerStepsBefore, expectStep, fillAcute, sendReport, walkToCheck } from './resident-utils.ts';

// Each test scans several pages, each in a fresh browser context: like the staff scans, allow two minutes.
test.describe.configure({ timeout: 120_000 });

test.describe('accessibility (axe)', () => {
  test('information pages and the 404 page', async ({ page }) => {
    for (const path of ['/', '/privacy', '/toegankelijkheid']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expectNoAxeViolations(page, path);
    }
    const missing = await page.goto('/bestaat-niet');
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Deze pagina bestaat niet');
    await expectNoAxeViolations(page, '404');
  });

  test('step 1, normal and with an error, and the 112 page', async ({ page }) => {
    await page.goto('/melden');
    await expectNoAxeViolations(page, 'step 1');
    expect((await submitRefused(page, NEXT)).status()).toBe(400);
    await expectNoAxeViolations(page, 'step 1 with an error');
    await fillAcute(page, 'ja');
    await submit(page, NEXT);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bel nu 112');
    await expectNoAxeViolations(page, '112 page');
  });

  for (const [n, path] of [
    [2, '/melden/persoon'],
    [3, '/melden/zorgen'],
    [4, '/melden/over-u'],
  ] as const) {
    test(`step ${n}, normal and with errors`, async ({ page }) => {
      await answerStepsBefore(page, n, dhrP(marker()));
      await page.goto(path);
      await expectStep(page, n);
      await expectNoAxeViolations(page, `step ${n}`);
      expect((await submitRefused(page, NEXT)).status()).toBe(400);
      await expect(page).toHaveTitle(/^Fout:/);
      await expectNoAxeViolations(page, `step ${n} with errors`);
    });
  }

  test('check page and confirmation', async ({ page }) => {
    await walkToCheck(page, dhrP(marker()));
    await expectNoAxeViolations(page, 'check page');
    await sendReport(page);
    await expectNoAxeViolations(page, 'confirmation');
  });
});
