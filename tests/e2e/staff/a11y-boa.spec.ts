// axe (WCAG 2.0/2.1 A and AA) on the BOA form, normal and with errors, and its saved page. The form
// carries a script (the photo preview), so this spec runs with JavaScript on and off
// (tests/e2e/scripted-pages.ts).
import { amsterdamLocal, mevrB } from '../../fixtures/cases.ts';
import { createAccount, expect, expectNoAxeViolations, loginAs, marker, servers, submit, submitRefused, test } from '../fixtures.ts';
import { S, fillStaffForm, savedReference, staffAnswers } from './staff-utils.ts';

const staff = servers.staff;
// Three scans; axe takes a few seconds per page on a busy machine.
test.describe.configure({ timeout: 90_000 });

test.describe('accessibility of the BOA form', () => {
  test('BOA form on a phone: empty, with errors; the saved page', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await loginAs(page, staff, createAccount(staff, 'boa', { serviceNumber: 'BOA-0042' }));
    await page.goto(`${staff.origin}/intern/boa/melding`);
    await expectNoAxeViolations(page, 'BOA form');

    const answers = staffAnswers(mevrB(marker()), 'boa');
    await fillStaffForm(page, { ...answers, observation: { ...answers.observation, observedAt: amsterdamLocal(new Date(Date.now() + 86_400_000)) } });
    expect((await submitRefused(page, S.save)).status()).toBe(400);
    await expect(page.getByText('Fout: De datum en tijd mogen niet in de toekomst liggen', { exact: true })).toBeVisible();
    await expectNoAxeViolations(page, 'BOA form with errors');

    await page.getByLabel(S.observedAt).fill(amsterdamLocal(new Date(Date.now() - 3_600_000)));
    expect((await submit(page, S.save)).status()).toBe(303);
    await savedReference(page, 'boa');
    await expectNoAxeViolations(page, 'BOA saved page');
  });
});
