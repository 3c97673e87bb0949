// hCaptcha on the check page, checked server-side against the local stub (tests/support/hcaptcha-stub.ts).
// The widget's answer is a hidden `h-captcha-response` field in the form; the tests put the stub's
// tokens there themselves (page.evaluate runs even when the page's own JavaScript is off).
// A report is never lost to a captcha: no token, a slow or an unreachable hCaptcha all let it through
// as `niet_gecontroleerd`; only a token hCaptcha refuses sends the resident back.
import type { Page } from '@playwright/test';
import { dhrP } from '../../fixtures/cases.ts';
import { expect, expectNoAxeViolations, marker, reportByReference, reportsContaining, servers, submit, test, type Server } from '../fixtures.ts';
import { SEND, answerStepsBefore, expectCheckPage, sendReport, walkToCheck } from './resident-utils.ts';

const CAPTCHA_FAILED = 'De controle of u een mens bent is niet gelukt. Doe de controle opnieuw en verstuur uw melding nog een keer.';

/** Puts hCaptcha's answer into the form, as the widget would. */
async function setCaptchaToken(page: Page, token: string): Promise<void> {
  await page.evaluate((value) => {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'h-captcha-response';
    input.value = value;
    document.getElementById('verzenden')!.append(input);
  }, token);
  await expect(page.locator('#verzenden input[name="h-captcha-response"]')).toHaveValue(token);
}

/** A complete draft (answered through the page's cookies), then the check page of that server. */
async function openCheckPage(page: Page, srv: Server, tag: string): Promise<void> {
  await answerStepsBefore(page, 5, dhrP(tag), srv);
  await page.goto(`${srv.origin}/melden/controleren`);
  await expectCheckPage(page);
}

/**
 * The widget is in the form, loaded by a small plain script (no island, no framework runtime); with
 * JavaScript the script ran under the CSP and said hCaptcha did not load.
 */
async function expectCaptchaIsland(page: Page): Promise<void> {
  await expect(page.locator('#verzenden .mb-captcha')).toHaveCount(1);
  await expect(page.locator('astro-island')).toHaveCount(0);
  await expect(page.locator('script[type="module"][src^="/_astro/"]')).toHaveCount(1);
  if (test.info().project.use.javaScriptEnabled !== false) {
    await expect(page.getByText('De controle of u een mens bent kon niet worden geladen. U kunt uw melding toch versturen.')).toBeVisible();
  }
}

const cspErrors: string[] = [];

test.beforeEach(async ({ page }) => {
  cspErrors.length = 0;
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
  // These machines cannot reach hCaptcha: its script fails to load at once instead of after a DNS timeout.
  await page.route(/^https:\/\/([a-z0-9-]+\.)?hcaptcha\.com\//, (route) => route.abort('internetdisconnected'));
});

test.afterEach(() => {
  expect(cspErrors, 'no CSP violations in the console').toEqual([]);
});

test.describe('hCaptcha', () => {
  test('the check page shows the widget; a token hCaptcha accepts stores the report as geslaagd', async ({ page }) => {
    const tag = marker('pass');
    await walkToCheck(page, dhrP(tag), servers.captcha.origin);
    await expectCaptchaIsland(page);
    await setCaptchaToken(page, 'pass');
    const reference = await sendReport(page);
    const row = reportByReference(servers.captcha, reference);
    expect(row).toMatchObject({ captcha_status: 'geslaagd', description: dhrP(tag).concerns.description, suggested_urgency: 'hoog' });
  });

  for (const token of ['fail']) {
    test(`a token hCaptcha refuses (${token}) shows the check page again with an error; nothing is stored`, async ({ page }) => {
      const tag = marker(token.replace('-', ''));
      await openCheckPage(page, servers.captcha, tag);
      await setCaptchaToken(page, token);
      const response = await submit(page, SEND);
      expect(response.status()).toBe(400);
      await expectCheckPage(page);
      await expect(page).toHaveTitle(/^Fout: Controleren/);
      const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Er is een probleem' }) });
      await expect(summary.getByRole('link', { name: CAPTCHA_FAILED })).toHaveAttribute('href', '#verzenden');
      // The answers are all still there.
      await expect(page.getByText(dhrP(tag).concerns.description)).toBeVisible();
      await expect(page.getByText(`Dhr. P. ${tag}`)).toBeVisible();
      await expectCaptchaIsland(page);
      await expectNoAxeViolations(page, `check page with a refused captcha (${token})`);
      expect(reportsContaining(servers.captcha, tag)).toEqual([]);

      // The draft is intact: loaded again, and sent with a good token, it goes through.
      await page.goto(`${servers.captcha.origin}/melden/controleren`);
      await expect(page.getByText(dhrP(tag).concerns.description)).toBeVisible();
      await setCaptchaToken(page, 'pass');
      const reference = await sendReport(page);
      expect(reportByReference(servers.captcha, reference)).toMatchObject({ captcha_status: 'geslaagd', person_name: `Dhr. P. ${tag}` });
    });
  }

  test('hCaptcha answering too slowly: accepted after the portal\'s timeout, marked niet_gecontroleerd', async ({ page }) => {
    const tag = marker('slow');
    await openCheckPage(page, servers.captcha, tag);
    await setCaptchaToken(page, 'slow');
    const started = Date.now();
    const reference = await sendReport(page);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1_400); // waited for the 1.5 s timeout…
    expect(took).toBeLessThan(8_000); // …not for the stub's 10 s
    expect(reportByReference(servers.captcha, reference)).toMatchObject({ captcha_status: 'niet_gecontroleerd', person_name: `Dhr. P. ${tag}` });
  });

  test('a token solved on another host: accepted, marked niet_gecontroleerd (a report is never lost to a captcha)', async ({ page }) => {
    const tag = marker('otherhost');
    await openCheckPage(page, servers.captcha, tag);
    await setCaptchaToken(page, 'other-host');
    const reference = await sendReport(page);
    expect(reportByReference(servers.captcha, reference)).toMatchObject({ captcha_status: 'niet_gecontroleerd', person_name: `Dhr. P. ${tag}` });
  });

  test('no token (no JavaScript, or the widget did not load): accepted, marked niet_gecontroleerd', async ({ page }) => {
    const tag = marker('none');
    await openCheckPage(page, servers.captcha, tag);
    await expectCaptchaIsland(page);
    await expect(page.locator('input[name="h-captcha-response"], textarea[name="h-captcha-response"]')).toHaveCount(0);
    const reference = await sendReport(page);
    expect(reportByReference(servers.captcha, reference)).toMatchObject({ captcha_status: 'niet_gecontroleerd', person_name: `Dhr. P. ${tag}` });
  });

  test('hCaptcha unreachable (connection refused): accepted, marked niet_gecontroleerd', async ({ page }) => {
    const tag = marker('down');
    await openCheckPage(page, servers.captchaDown, tag);
    await expectCaptchaIsland(page);
    await setCaptchaToken(page, 'pass');
    const reference = await sendReport(page);
    expect(reportByReference(servers.captchaDown, reference)).toMatchObject({ captcha_status: 'niet_gecontroleerd', person_name: `Dhr. P. ${tag}` });
  });

  test('without hCaptcha configured there is no widget and the report is niet_van_toepassing', async ({ page }) => {
    const tag = marker('geen');
    await openCheckPage(page, servers.main, tag);
    await expect(page.locator('astro-island')).toHaveCount(0);
    await expect(page.locator('.mb-captcha')).toHaveCount(0);
    await expect(page.locator('script')).toHaveCount(0);
    const reference = await sendReport(page);
    expect(reportByReference(servers.main, reference)).toMatchObject({ captcha_status: 'niet_van_toepassing' });
  });
});
