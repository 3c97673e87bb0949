// What a resident sees (issue 9): a checked radio shows a dot, checkboxes as large as radios, real
// bullets, phone numbers that do not break, and every public page fits a 320 px screen without
// sideways scrolling, with long answers too. Runs without JavaScript (no script on these pages: tests/e2e/scripted-pages.ts).
import type { Page } from '@playwright/test';
import { dhrP } from '../../fixtures/cases.ts';
import { expect, marker, option, Q, test } from '../fixtures.ts';
import { answerStepsBefore } from './resident-utils.ts';

/** One pixel at the centre of `selector`'s box, as PNG bytes: equal bytes, equal colour. */
async function centrePixel(page: Page, locator: ReturnType<Page['locator']>): Promise<Buffer> {
  const box = (await locator.boundingBox())!;
  return page.screenshot({ clip: { x: Math.floor(box.x + box.width / 2), y: Math.floor(box.y + box.height / 2), width: 1, height: 1 } });
}

async function expectNoSidewaysScroll(page: Page, width: number, what: string): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${what}: scrollWidth at ${width} px`).toBeLessThanOrEqual(width);
}

/** Long but valid answers: a long name, a 4,000-character description of long words and text. */
function longCase() {
  const c = dhrP(marker('breed'));
  const words = 'Verwaarlozingssituatie'.repeat(8);
  const description = `${words} ${'lange tekst '.repeat(400)}`.slice(0, 4000);
  return {
    ...c,
    person: { ...c.person, name: `Mevrouw Annemarie Wilhelmina van der Scheltema-Bosgraaf ${'Achternaamdeel'.repeat(6)}` },
    concerns: { ...c.concerns, description },
  };
}

test.describe('what was chosen is visible', () => {
  test.use({ viewport: { width: 320, height: 800 } });

  test('a checked radio has a dot: its centre pixel differs from an unchecked one', async ({ page }) => {
    await page.goto('/melden');
    const yes = option(page, Q.acute, 'Ja');
    const no = option(page, Q.acute, 'Nee');
    const before = await centrePixel(page, no);
    expect(await centrePixel(page, yes)).toEqual(before);
    await no.check();
    await page.mouse.move(0, 0);
    await page.locator('h1').click();
    const checked = await centrePixel(page, no);
    expect(checked.equals(await centrePixel(page, yes)), 'checked and unchecked centres differ').toBe(false);
  });

  test('checkboxes are as large as radios; bulleted lists have bullets, not numbers', async ({ page }) => {
    await answerStepsBefore(page, 3, dhrP(marker('maat')));
    await page.goto('/melden/zorgen');
    const checkbox = (await page.getByRole('checkbox').first().boundingBox())!;
    const radio = (await page.getByRole('radio').first().boundingBox())!;
    expect(Math.abs(checkbox.width - radio.width)).toBeLessThanOrEqual(2);
    expect(Math.abs(checkbox.height - radio.height)).toBeLessThanOrEqual(2);

    await page.goto('/');
    const styles = await page.locator('ul.utrecht-unordered-list').evaluateAll((lists) => lists.map((l) => getComputedStyle(l).listStyleType));
    expect(styles.length).toBeGreaterThan(0);
    for (const style of styles) expect(style).toBe('disc');
  });
});

test.describe('every public page fits 320 px', () => {
  test.use({ viewport: { width: 320, height: 800 } });

  test('information pages, the 112 and limit pages, the 404 page; phone numbers stay on one line', async ({ page }) => {
    for (const path of ['/', '/privacy', '/toegankelijkheid', '/melden', '/melden/bel-112', '/melden/te-veel', '/bestaat-niet']) {
      await page.goto(path);
      await expectNoSidewaysScroll(page, 320, path);
    }
    await page.goto('/');
    for (const phone of await page.locator('.mb-call a[href^="tel:"]').all()) {
      const box = (await phone.boundingBox())!;
      const lineHeight = await phone.evaluate((a) => parseFloat(getComputedStyle(a).lineHeight));
      expect(box.height, await phone.innerText()).toBeLessThan(lineHeight * 1.5);
    }
  });

  test('every step with its errors, and the check page with long answers: the Wijzigen links stay inside', async ({ page }) => {
    const c = longCase();
    // Each step refused first (nothing answered): the error pages fit too.
    await page.goto('/melden');
    await page.getByRole('button', { name: 'Volgende stap' }).click();
    await expectNoSidewaysScroll(page, 320, 'step 1 with an error');
    for (const [step, path] of [[2, '/melden/persoon'], [3, '/melden/zorgen'], [4, '/melden/over-u']] as const) {
      await page.context().clearCookies();
      await answerStepsBefore(page, step, c);
      await page.goto(path);
      await page.getByRole('button', { name: 'Volgende stap' }).click();
      await expectNoSidewaysScroll(page, 320, `step ${step} with errors`);
    }
    await page.context().clearCookies();
    await answerStepsBefore(page, 5, c);
    await page.goto('/melden/controleren');
    await expect(page.getByText(c.person.name!)).toBeVisible();
    await expectNoSidewaysScroll(page, 320, 'check page');
    for (const link of await page.getByRole('link', { name: /^Wijzigen/ }).all()) {
      const box = (await link.boundingBox())!;
      expect(box.x + box.width, 'Wijzigen inside the screen').toBeLessThanOrEqual(320);
    }
    // The label and its Wijzigen link do not overlap.
    const row = page.locator('.utrecht-data-list__item').first();
    const key = (await row.locator('dt').boundingBox())!;
    const change = (await row.getByRole('link').boundingBox())!;
    expect(change.y >= key.y + key.height || change.x >= key.x + key.width).toBe(true);

    await page.getByRole('button', { name: 'Melding versturen' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Bedankt voor uw melding' })).toBeVisible();
    await expectNoSidewaysScroll(page, 320, 'confirmation page');
  });
});

test.describe('the confirmation page speaks to the reporter it has', () => {
  test('anonymous: no contact back, no e-mail', async ({ page }) => {
    const c = dhrP(marker('anoniem'));
    const anonymous = { ...c, reporter: { ...c.reporter, anonymous: true, name: undefined, phone: undefined, email: undefined } };
    await answerStepsBefore(page, 5, anonymous);
    await page.goto('/melden/controleren');
    await page.getByRole('button', { name: 'Melding versturen' }).click();
    await expect(page.getByText('U heeft anoniem gemeld.', { exact: false })).toBeVisible();
    await expect(page.getByText('Misschien nemen wij contact met u op', { exact: false })).toHaveCount(0);
    await expect(page.getByText('U krijgt een bevestiging per e-mail', { exact: false })).toHaveCount(0);
  });
});
