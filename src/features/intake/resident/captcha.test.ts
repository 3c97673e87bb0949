import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { useTempDatabase } from '#tests/support/unit-db.ts';

// A local stand-in for hCaptcha's siteverify. The answer depends on the token.
const requests: { method: string | undefined; url: string | undefined; form: URLSearchParams }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const form = new URLSearchParams(body);
    requests.push({ method: req.method, url: req.url, form });
    const json = (result: object, status = 200, r: ServerResponse = res) => {
      r.writeHead(status, { 'Content-Type': 'application/json' });
      r.end(JSON.stringify(result));
    };
    switch (form.get('response')) {
      case 'pass':
        return json({ success: true, hostname: 'meldpunt.voorbeeldstad.nl', challenge_ts: new Date().toISOString() });
      case 'fail':
        return json({ success: false, 'error-codes': ['invalid-input-response'] });
      case 'other-host':
        return json({ success: true, hostname: 'evil.example' });
      case 'no-host':
        return json({ success: true });
      case 'truthy':
        return json({ success: 'true', hostname: 'meldpunt.voorbeeldstad.nl' });
      case 'slow':
        return void setTimeout(() => json({ success: true, hostname: 'meldpunt.voorbeeldstad.nl' }), 6_000).unref();
      case 'server-error':
        return json({ error: 'internal' }, 500);
      case 'not-json':
        res.writeHead(200, { 'Content-Type': 'text/html' });
        return void res.end('<html>bad gateway</html>');
      default:
        return json({ success: false });
    }
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
after(() => {
  server.closeAllConnections();
  server.close();
});

// config() is read once per process: set everything before the first import.
useTempDatabase('captcha');
process.env['PUBLIC_URL'] = 'https://meldpunt.voorbeeldstad.nl';
process.env['HCAPTCHA_SITEKEY'] = 'site-key-for-tests';
process.env['HCAPTCHA_SECRET'] = 'secret-for-tests';
process.env['HCAPTCHA_VERIFY_URL'] = `http://127.0.0.1:${port}/siteverify`;
// Generous enough for a loaded CI machine running the test files in parallel.
process.env['HCAPTCHA_TIMEOUT_MS'] = '1500';
const { expectedHostname, verifyCaptcha } = await import('./captcha.server.ts');

describe('verifyCaptcha against a local siteverify', () => {
  test('the expected hostname is the public URL host', () => {
    assert.equal(expectedHostname(), 'meldpunt.voorbeeldstad.nl');
  });

  test('success for the right hostname → geslaagd, posting secret, token, site key and address', async () => {
    requests.length = 0;
    assert.equal(await verifyCaptcha('pass', '203.0.113.7'), 'geslaagd');
    assert.equal(requests.length, 1);
    const [request] = requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/siteverify');
    assert.equal(request?.form.get('secret'), 'secret-for-tests');
    assert.equal(request?.form.get('response'), 'pass');
    assert.equal(request?.form.get('sitekey'), 'site-key-for-tests');
    assert.equal(request?.form.get('remoteip'), '203.0.113.7');
  });

  test('without a client address no remoteip is sent', async () => {
    requests.length = 0;
    assert.equal(await verifyCaptcha('pass', undefined), 'geslaagd');
    assert.equal(requests[0]?.form.has('remoteip'), false);
  });

  test('success: false → mislukt', async () => {
    assert.equal(await verifyCaptcha('fail', '203.0.113.7'), 'mislukt');
    assert.equal(await verifyCaptcha('anything-else', '203.0.113.7'), 'mislukt');
  });

  test('success for another hostname → mislukt', async () => {
    assert.equal(await verifyCaptcha('other-host', '203.0.113.7'), 'mislukt');
    assert.equal(await verifyCaptcha('no-host', '203.0.113.7'), 'mislukt');
  });

  test('only a real true counts as success', async () => {
    assert.equal(await verifyCaptcha('truthy', '203.0.113.7'), 'mislukt');
  });

  test('no answer within the timeout → niet_gecontroleerd, promptly', async () => {
    const started = Date.now();
    assert.equal(await verifyCaptcha('slow', '203.0.113.7'), 'niet_gecontroleerd');
    const took = Date.now() - started;
    assert.ok(took >= 1_400 && took < 4_500, `took ${took} ms`);
  });

  test('a server error or an answer that is not JSON → niet_gecontroleerd', async () => {
    assert.equal(await verifyCaptcha('server-error', '203.0.113.7'), 'niet_gecontroleerd');
    assert.equal(await verifyCaptcha('not-json', '203.0.113.7'), 'niet_gecontroleerd');
  });

  test('no token (no JavaScript) → niet_gecontroleerd, without asking hCaptcha', async () => {
    requests.length = 0;
    assert.equal(await verifyCaptcha(undefined, '203.0.113.7'), 'niet_gecontroleerd');
    assert.equal(await verifyCaptcha('', '203.0.113.7'), 'niet_gecontroleerd');
    assert.equal(requests.length, 0);
  });
});
