// The resident form /melden (spec §2): filling each step by its exact Dutch labels, the step pages,
// walking to the check page, sending, and answering earlier steps over HTTP.
import type { Page } from '@playwright/test';
import { residentSteps, type Case, type Reporter } from '../../fixtures/cases.ts';
import { OPTION, Q, REFERENCE, expect, fillConcerns, fillPerson, fillText, option, postForm, residentPosts, servers, submit, type Server, type Some } from '../fixtures.ts';

export const NEXT = 'Volgende stap';
export const SEND = 'Melding versturen';

export const STEP_TITLES = {
  1: 'Direct gevaar',
  2: 'Over de persoon',
  3: 'Uw zorgen',
  4: 'Over u',
} as const;

export async function fillAcute(page: Page, answer: 'ja' | 'nee'): Promise<void> {
  await option(page, Q.acute, OPTION.yesNo[answer]).check();
}

export async function fillReporter(page: Page, r: Some<Reporter>): Promise<void> {
  if (r.relation) await option(page, Q.relation, OPTION.relation[r.relation]).check();
  if (r.anonymous !== undefined) await option(page, Q.anonymous, OPTION.anonymity[r.anonymous ? 'ja' : 'nee']).check();
  await fillText(page, Q.reporterName, r.name);
  await fillText(page, Q.phone, r.phone);
  await fillText(page, Q.email, r.email);
}

/** Asserts the page is question step `n`: its heading, its indicator and its title. */
export async function expectStep(page: Page, n: 1 | 2 | 3 | 4): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(STEP_TITLES[n]);
  await expect(page.getByText(`Stap ${n} van 5`, { exact: true })).toBeVisible();
  await expect(page).toHaveTitle(new RegExp(`^${STEP_TITLES[n]} \\(stap ${n} van 5\\)`));
}

export async function expectCheckPage(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Controleer uw melding');
  await expect(page.getByText('Stap 5 van 5', { exact: true })).toBeVisible();
  await expect(page).toHaveURL(/\/melden\/controleren$/);
}

/** Walks steps 1–4 from /melden with the answers of `c` and stops on the check page. */
export async function walkToCheck(page: Page, c: Case, origin = ''): Promise<void> {
  await page.goto(`${origin}/melden`);
  await expectStep(page, 1);
  await fillAcute(page, 'nee');
  expect((await submit(page, NEXT)).status()).toBe(303);
  await expectStep(page, 2);
  await fillPerson(page, c.person);
  expect((await submit(page, NEXT)).status()).toBe(303);
  await expectStep(page, 3);
  await fillConcerns(page, c.concerns);
  expect((await submit(page, NEXT)).status()).toBe(303);
  await expectStep(page, 4);
  await fillReporter(page, c.reporter);
  expect((await submit(page, NEXT)).status()).toBe(303);
  await expectCheckPage(page);
}

/** Sends the report from the check page and returns the reference the confirmation shows. */
export async function sendReport(page: Page): Promise<string> {
  const response = await submit(page, SEND);
  expect(response.status()).toBe(303);
  await expect(page.getByRole('heading', { level: 1, name: 'Bedankt voor uw melding' })).toBeVisible();
  await expect(page).toHaveURL(/\/melden\/bedankt$/);
  const reference = (await page.locator('#referentienummer').innerText()).trim();
  expect(reference).toMatch(REFERENCE);
  return reference;
}

/** Reads the browser's draft cookie (the only cookie the form sets). */
export async function draftCookie(page: Page): Promise<string | undefined> {
  return (await page.context().cookies()).find((c) => c.name === 'mb_melding')?.value;
}

/**
 * Answers the steps before `step` with the answers of `c` through the page's own request context,
 * which shares the browser's cookies: a quick way to open a later step with a draft behind it.
 */
export async function answerStepsBefore(page: Page, step: 2 | 3 | 4 | 5, c: Case, srv: Server = servers.main): Promise<void> {
  for (const [path, fields] of residentPosts(residentSteps(c)).slice(0, step - 1)) {
    const response = await postForm(page.request, `${srv.origin}${path}`, fields, { origin: srv.origin });
    expect(response.status(), path).toBe(303);
  }
}
