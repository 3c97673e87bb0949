import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { AstroCookies } from 'astro';
import { useTempDatabase } from '#tests/support/unit-db.ts';

// The handler reads config() (once per process) and the one clock, now(): a temporary database, and a
// test clock file that this test moves (now() reads TEST_CLOCK_FILE on every call).
const dir = path.dirname(useTempDatabase('resident-handler'));
const clockFile = path.join(dir, 'clock.txt');
process.env['TEST_CLOCK_FILE'] = clockFile;
const moveClock = (ms: number): void => writeFileSync(clockFile, String(ms));
moveClock(0);

const { DRAFT_COOKIE, handleStep, handleThanks } = await import('./resident.handler.server.ts');
const { stepById } = await import('./resident-steps.schema.ts');

const HOUR = 3_600_000;

/** A browser's cookie jar, as much of AstroCookies as the handler uses. */
function browser() {
  const jar = new Map<string, string>();
  const cookies = {
    get: (name: string) => (jar.has(name) ? { value: jar.get(name)! } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  } as unknown as AstroCookies;
  const get = (url: string) => ({ request: new Request(`http://localhost${url}`), cookies, clientAddress: '203.0.113.7' });
  const post = (url: string, fields: Record<string, string>) => ({
    request: new Request(`http://localhost${url}`, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }),
    cookies,
    clientAddress: '203.0.113.7',
  });
  return { jar, get, post };
}

describe('the resident handler follows the one clock', () => {
  test('a draft lives 24 hours on the test clock, then the form starts over', async () => {
    moveClock(0);
    const b = browser();
    const gevaar = stepById('gevaar')!;
    const persoon = stepById('persoon')!;
    assert.deepEqual(await handleStep(b.post('/melden', { acuteDanger: 'nee' }), gevaar), { kind: 'redirect', location: '/melden/persoon' });
    assert.ok(b.jar.get(DRAFT_COOKIE), 'the draft cookie is set');

    moveClock(24 * HOUR - 60_000);
    const shown = await handleStep(b.get('/melden/persoon'), persoon);
    assert.equal(shown.kind, 'render', 'a minute before its expiry the draft still holds step 1');

    moveClock(24 * HOUR);
    assert.deepEqual(await handleStep(b.get('/melden/persoon'), persoon), { kind: 'redirect', location: '/melden' });
  });

  test('without a sent report the thanks page sends the browser to the start', () => {
    moveClock(0);
    assert.deepEqual(handleThanks(browser().get('/melden/bedankt')), { kind: 'redirect', location: '/melden' });
  });
});

describe('a refused step is answered with Post/Redirect/Get too (Back never resubmits)', () => {
  test('the POST answers 303 to the step; its GET shows the answers and messages once, with a 400', async () => {
    moveClock(0);
    const b = browser();
    const gevaar = stepById('gevaar')!;
    const persoon = stepById('persoon')!;
    assert.deepEqual(await handleStep(b.post('/melden', {}), gevaar), { kind: 'redirect', location: '/melden' });
    const refused = await handleStep(b.get('/melden'), gevaar);
    assert.equal(refused.kind, 'render');
    assert.equal(refused.kind === 'render' && refused.status, 400);
    assert.ok(refused.kind === 'render' && refused.view.errors['acuteDanger']);
    const again = await handleStep(b.get('/melden'), gevaar);
    assert.deepEqual(again.kind === 'render' && [again.status, again.view.errors], [200, {}], 'shown once, then cleared');

    assert.deepEqual(await handleStep(b.post('/melden', { acuteDanger: 'nee' }), gevaar), { kind: 'redirect', location: '/melden/persoon' });
    const typed = { personName: 'Jan de Vries', personAge: '', locationKind: 'adres', postcode: '9351 AB', houseNumber: '' };
    assert.deepEqual(await handleStep(b.post('/melden/persoon', typed), persoon), { kind: 'redirect', location: '/melden/persoon' });
    const shown = await handleStep(b.get('/melden/persoon'), persoon);
    assert.ok(shown.kind === 'render');
    assert.equal(shown.status, 400);
    assert.equal(shown.view.values['personName'], 'Jan de Vries');
    assert.equal(shown.view.values['postcode'], '9351 AB');
    assert.ok(shown.view.errors['personAge'] && shown.view.errors['houseNumber']);
    // The accepted first step is untouched: the form goes on from step 2.
    const first = await handleStep(b.get('/melden'), gevaar);
    assert.ok(first.kind === 'render' && first.view.values['acuteDanger'] === 'nee');
  });
});
