// The limits server allows two reports per hour per address (REPORTS_PER_HOUR_PER_IP=2) and takes the
// address from X-Forwarded-For (TRUST_PROXY=1), so every test is its own computer.
import { dhrP, residentSteps } from '../../fixtures/cases.ts';
import { expect, expectNoAxeViolations, marker, postForm, postResidentSteps, reportsContaining, servers, submit, test, uniqueIp } from '../fixtures.ts';
import { SEND, answerStepsBefore, expectCheckPage } from './resident-utils.ts';

const { origin } = servers.limits;

test.describe('rate limit', () => {
  test('the third report within the hour gets 429 and a Dutch page with the phone numbers', async ({ page }) => {
    const ip = uniqueIp();
    await page.context().setExtraHTTPHeaders({ 'X-Forwarded-For': ip });
    const tags = [marker('een'), marker('twee'), marker('drie')];

    // Two reports go through.
    for (const tag of tags.slice(0, 2)) {
      await answerStepsBefore(page, 5, dhrP(tag), servers.limits);
      const sent = await postForm(page.request, `${origin}/melden/controleren`, {}, { origin });
      expect(sent.status()).toBe(303);
      expect(sent.headers()['location']).toBe('/melden/bedankt');
      expect(reportsContaining(servers.limits, tag)).toHaveLength(1);
    }

    // The third, in the browser, is refused.
    await answerStepsBefore(page, 5, dhrP(tags[2]!), servers.limits);
    await page.goto(`${origin}/melden/controleren`);
    await expectCheckPage(page);
    const response = await submit(page, SEND);
    expect(response.status()).toBe(429);
    expect(await response.headerValue('retry-after')).toBe('3600');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Er zijn te veel meldingen verstuurd');
    await expect(page).toHaveTitle(/^Te veel meldingen/);
    const main = page.getByRole('main');
    await expect(main).toContainText('Probeer het over een uur opnieuw.');
    await expect(main).toContainText('Bel dan 0800-1205 (gratis)');
    await expect(main).toContainText('Is er direct gevaar? Bel 112.');
    await expect(page.getByRole('link', { name: '0800-1205' }).first()).toHaveAttribute('href', 'tel:08001205');
    await expectNoAxeViolations(page, 'rate-limit page');
    expect(reportsContaining(servers.limits, tags[2]!)).toEqual([]);

    // What was typed is kept: the check page still shows it.
    await page.goto(`${origin}/melden/controleren`);
    await expect(page.getByText(dhrP(tags[2]!).concerns.description)).toBeVisible();
  });

  test('the limit is per address: another computer can still send', async ({ request }) => {
    const busy = { 'X-Forwarded-For': uniqueIp() };
    for (let i = 0; i < 2; i++) {
      await postResidentSteps(request, origin, residentSteps(dhrP(marker())), busy);
      expect((await postForm(request, `${origin}/melden/controleren`, {}, { origin, headers: busy })).status()).toBe(303);
    }
    await postResidentSteps(request, origin, residentSteps(dhrP(marker())), busy);
    const refused = await postForm(request, `${origin}/melden/controleren`, {}, { origin, headers: busy });
    expect(refused.status()).toBe(429);
    expect(await refused.text()).toContain('0800-1205');

    const other = { 'X-Forwarded-For': uniqueIp() };
    const tag = marker('ander');
    await postResidentSteps(request, origin, residentSteps(dhrP(tag)), other);
    expect((await postForm(request, `${origin}/melden/controleren`, {}, { origin, headers: other })).status()).toBe(303);
    expect(reportsContaining(servers.limits, tag)).toHaveLength(1);
  });
});
