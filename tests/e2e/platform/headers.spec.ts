// Security headers on the pages, and no cookie for a resident who only reads.
import { dhrP, residentSteps } from '../../fixtures/cases.ts';
import { expect, marker, postForm, postRefused, postResidentSteps, servers, test } from '../fixtures.ts';
import { PUBLIC_PAGES, expectSecurityHeaders, setCookies } from './platform-utils.ts';

test.describe('security headers', () => {
  test('every public page: CSP without unsafe-inline, nosniff, Referrer-Policy same-origin', async ({ request }) => {
    for (const path of [...PUBLIC_PAGES, '/bestaat-niet']) {
      const response = await request.get(path, { failOnStatusCode: false });
      expect(response.status(), path).toBe(path === '/bestaat-niet' ? 404 : 200);
      expectSecurityHeaders(response, path);
    }
    // The form and 112 pages are never cached.
    for (const path of ['/melden', '/melden/bel-112']) {
      expect((await request.get(path)).headers()['cache-control'], path).toBe('no-store');
    }
  });

  test('pages with answers: no-store on every step, the check page, the confirmation and error pages', async ({ request }) => {
    const origin = servers.main.origin;
    const tag = marker();
    await postResidentSteps(request, origin, residentSteps(dhrP(tag)));
    for (const path of ['/melden', '/melden/persoon', '/melden/zorgen', '/melden/over-u', '/melden/controleren']) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(200);
      expect(await response.text(), path).toContain('Meldpunt Bezorgd');
      expectSecurityHeaders(response, path);
      expect(response.headers()['cache-control'], path).toBe('no-store');
    }
    const refused = await postRefused(request, `${origin}/melden/zorgen`, { description: tag }, { origin });
    expect(refused.status()).toBe(400);
    expect(refused.headers()['cache-control']).toBe('no-store');
    expectSecurityHeaders(refused, 'refused step');
    const sent = await postForm(request, `${origin}/melden/controleren`, {}, { origin });
    expect(sent.status()).toBe(303);
    const thanks = await request.get('/melden/bedankt');
    expect(await thanks.text()).toContain('Bedankt voor uw melding');
    expectSecurityHeaders(thanks, '/melden/bedankt');
    expect(thanks.headers()['cache-control']).toBe('no-store');
  });

  test('hCaptcha sources are allowed on the check page only', async ({ request }) => {
    const origin = servers.captcha.origin;
    await postResidentSteps(request, origin, residentSteps(dhrP(marker())));
    expectSecurityHeaders(await request.get(`${origin}/melden`), 'captcha /melden');
    const check = await request.get(`${origin}/melden/controleren`, { maxRedirects: 0 });
    expect(check.status()).toBe(200);
    expectSecurityHeaders(check, 'captcha check page', { hcaptcha: true });
    expect(check.headers()['cache-control']).toBe('no-store');
  });
});

test.describe('no cookie for reading', () => {
  test('static files carry the headers too, served by the portal itself: nosniff, Referrer-Policy, a CSP of their own', async ({ request }) => {
    const html = await (await request.get('/melden')).text();
    const assets = [...html.matchAll(/(?:href|src)="(\/_astro\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const path of ['/favicon.svg', ...new Set(assets)]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      const h = response.headers();
      expect(h['x-content-type-options'], path).toBe('nosniff');
      expect(h['referrer-policy'], path).toBe('same-origin');
      expect(h['x-frame-options'], path).toBe('DENY');
      expect(h['cross-origin-resource-policy'], path).toBe('same-origin');
      const csp = h['content-security-policy'] ?? '';
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain('script-src');
    }
    // Files under /_astro/ keep their long cache; the favicon is revalidated.
    expect((await request.get(assets[0]!)).headers()['cache-control']).toContain('immutable');
  });

  test('public pages send no Set-Cookie', async ({ request }) => {
    for (const path of [...PUBLIC_PAGES, '/melden/persoon', '/melden/controleren', '/melden/bedankt', '/bestaat-niet']) {
      const response = await request.get(path, { maxRedirects: 0, failOnStatusCode: false });
      expect(response.status(), path).toBeLessThan(500);
      expect(setCookies(response), path).toEqual([]);
    }
  });

  test('a resident who reads and clicks around has no cookie in the browser', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Privacy', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Privacyverklaring');
    await page.getByRole('link', { name: 'Toegankelijkheid', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Toegankelijkheid');
    await page.getByRole('link', { name: 'Zorgen melden' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Direct gevaar');
    await page.goto('/');
    await page.getByRole('link', { name: 'Start melding' }).click();
    await expect(page).toHaveURL(/\/melden$/);
    expect(await page.context().cookies()).toEqual([]);
    // The first answer is what starts the (only) cookie.
    const answered = await postForm(page.request, `${servers.main.origin}/melden`, { acuteDanger: 'nee' });
    expect(answered.status()).toBe(303);
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => [c.name, c.path, c.httpOnly, c.sameSite])).toEqual([['mb_melding', '/melden', true, 'Strict']]);
  });
});
