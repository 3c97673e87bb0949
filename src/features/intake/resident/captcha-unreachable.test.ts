import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

// A port that was free a moment ago and has nobody listening: the connection is refused.
const probe = createServer();
await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
const { port } = probe.address() as AddressInfo;
await new Promise<void>((resolve) => probe.close(() => resolve()));

useTempDatabase('captcha-unreachable');
process.env['HCAPTCHA_SITEKEY'] = 'site-key-for-tests';
process.env['HCAPTCHA_SECRET'] = 'secret-for-tests';
process.env['HCAPTCHA_VERIFY_URL'] = `http://127.0.0.1:${port}/siteverify`;
process.env['HCAPTCHA_TIMEOUT_MS'] = '2000';
const { verifyCaptcha } = await import('./captcha.server.ts');

describe('verifyCaptcha when hCaptcha cannot be reached', () => {
  test('a refused connection → niet_gecontroleerd (the report is still accepted)', async () => {
    assert.equal(await verifyCaptcha('pass', '203.0.113.7'), 'niet_gecontroleerd');
  });

  test('no token → niet_gecontroleerd', async () => {
    assert.equal(await verifyCaptcha(undefined, undefined), 'niet_gecontroleerd');
  });
});
