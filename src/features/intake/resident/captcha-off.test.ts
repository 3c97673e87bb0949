import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

// No HCAPTCHA_SITEKEY / HCAPTCHA_SECRET (useTempDatabase removes them): hCaptcha is off. A verify URL
// that would fail proves nothing is asked.
useTempDatabase('captcha-off');
process.env['HCAPTCHA_VERIFY_URL'] = 'http://127.0.0.1:9/never';
const { expectedHostname, verifyCaptcha } = await import('./captcha.server.ts');
const { config } = await import('#platform/config.ts');

describe('verifyCaptcha when hCaptcha is not configured', () => {
  test('config has no hCaptcha', () => {
    assert.equal(config().hcaptcha, undefined);
  });

  test('any token, or none → niet_van_toepassing', async () => {
    assert.equal(await verifyCaptcha('pass', '203.0.113.7'), 'niet_van_toepassing');
    assert.equal(await verifyCaptcha(undefined, undefined), 'niet_van_toepassing');
    assert.equal(await verifyCaptcha('', '203.0.113.7'), 'niet_van_toepassing');
  });

  test('the expected hostname defaults to localhost', () => {
    assert.equal(expectedHostname(), 'localhost');
  });
});
