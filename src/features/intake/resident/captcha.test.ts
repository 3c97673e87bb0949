import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { loadConfig } from '#platform/config.ts';
import { captchaSettings, expectedHostname, verifyCaptcha, type CaptchaSettings } from './captcha.server.ts';

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

// A port that was free a moment ago and has nobody listening: the connection is refused.
const probe = createTcpServer();
await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
const { port: closedPort } = probe.address() as AddressInfo;
await new Promise<void>((resolve) => probe.close(() => resolve()));

/** The environment of a portal with hCaptcha on, asking the local stub. */
const captchaEnv = {
  PUBLIC_URL: 'https://meldpunt.voorbeeldstad.nl',
  HCAPTCHA_SITEKEY: 'site-key-for-tests',
  HCAPTCHA_SECRET: 'secret-for-tests',
  HCAPTCHA_VERIFY_URL: `http://127.0.0.1:${port}/siteverify`,
  // Generous enough for a loaded CI machine running the test files in parallel.
  HCAPTCHA_TIMEOUT_MS: '1500',
};
const configured = captchaSettings(loadConfig(captchaEnv));
assert.ok(configured, 'hCaptcha is on with a site key and a secret');
const settings: CaptchaSettings = configured;

describe('captchaSettings from the configuration', () => {
  test('site key, secret, verify URL and timeout come from the environment', () => {
    assert.deepEqual(settings, {
      siteKey: 'site-key-for-tests',
      secret: 'secret-for-tests',
      verifyUrl: `http://127.0.0.1:${port}/siteverify`,
      timeoutMs: 1500,
      expectedHostname: 'meldpunt.voorbeeldstad.nl',
    });
  });

  test('the expected hostname is the public URL host', () => {
    assert.equal(settings.expectedHostname, 'meldpunt.voorbeeldstad.nl');
    assert.equal(expectedHostname('https://meldpunt.voorbeeldstad.nl'), 'meldpunt.voorbeeldstad.nl');
  });
});

describe('verifyCaptcha against a local siteverify', () => {
  test('success for the right hostname → geslaagd, posting secret, token, site key and address', async () => {
    requests.length = 0;
    assert.equal(await verifyCaptcha(settings, 'pass', '203.0.113.7'), 'geslaagd');
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
    assert.equal(await verifyCaptcha(settings, 'pass', undefined), 'geslaagd');
    assert.equal(requests[0]?.form.has('remoteip'), false);
  });

  test('success: false → mislukt', async () => {
    assert.equal(await verifyCaptcha(settings, 'fail', '203.0.113.7'), 'mislukt');
    assert.equal(await verifyCaptcha(settings, 'anything-else', '203.0.113.7'), 'mislukt');
  });

  test('success for another hostname or none → niet_gecontroleerd: accepted and marked, never lost, never passed', async () => {
    assert.equal(await verifyCaptcha(settings, 'other-host', '203.0.113.7'), 'niet_gecontroleerd');
    assert.equal(await verifyCaptcha(settings, 'no-host', '203.0.113.7'), 'niet_gecontroleerd');
  });

  test('the hostname checked is the one in the settings (in any case)', async () => {
    assert.equal(await verifyCaptcha({ ...settings, expectedHostname: 'evil.example' }, 'other-host', '203.0.113.7'), 'geslaagd');
    assert.equal(await verifyCaptcha({ ...settings, expectedHostname: 'EVIL.example' }, 'other-host', '203.0.113.7'), 'geslaagd');
    assert.equal(await verifyCaptcha({ ...settings, expectedHostname: 'evil.example' }, 'pass', '203.0.113.7'), 'niet_gecontroleerd');
  });

  test('only a real true counts as success', async () => {
    assert.equal(await verifyCaptcha(settings, 'truthy', '203.0.113.7'), 'mislukt');
  });

  test('no answer within the timeout → niet_gecontroleerd, promptly', async () => {
    const started = Date.now();
    assert.equal(await verifyCaptcha(settings, 'slow', '203.0.113.7'), 'niet_gecontroleerd');
    const took = Date.now() - started;
    assert.ok(took >= 1_400 && took < 4_500, `took ${took} ms`);
  });

  test('a server error or an answer that is not JSON → niet_gecontroleerd', async () => {
    assert.equal(await verifyCaptcha(settings, 'server-error', '203.0.113.7'), 'niet_gecontroleerd');
    assert.equal(await verifyCaptcha(settings, 'not-json', '203.0.113.7'), 'niet_gecontroleerd');
  });

  test('no token (no JavaScript) → niet_gecontroleerd, without asking hCaptcha', async () => {
    requests.length = 0;
    assert.equal(await verifyCaptcha(settings, undefined, '203.0.113.7'), 'niet_gecontroleerd');
    assert.equal(await verifyCaptcha(settings, '', '203.0.113.7'), 'niet_gecontroleerd');
    assert.equal(requests.length, 0);
  });
});

describe('verifyCaptcha when hCaptcha cannot be reached', () => {
  const unreachable = captchaSettings(
    loadConfig({ ...captchaEnv, HCAPTCHA_VERIFY_URL: `http://127.0.0.1:${closedPort}/siteverify`, HCAPTCHA_TIMEOUT_MS: '2000' }),
  );

  test('a refused connection → niet_gecontroleerd (the report is still accepted)', async () => {
    assert.equal(await verifyCaptcha(unreachable, 'pass', '203.0.113.7'), 'niet_gecontroleerd');
  });

  test('no token → niet_gecontroleerd', async () => {
    assert.equal(await verifyCaptcha(unreachable, undefined, undefined), 'niet_gecontroleerd');
  });
});

describe('verifyCaptcha when hCaptcha is not configured', () => {
  // No site key and secret: hCaptcha is off. A verify URL that would fail proves nothing is asked.
  const off = loadConfig({ HCAPTCHA_VERIFY_URL: 'http://127.0.0.1:9/never' });

  test('config has no hCaptcha', () => {
    assert.equal(off.hcaptcha, undefined);
    assert.equal(captchaSettings(off), undefined);
  });

  test('any token, or none → niet_van_toepassing', async () => {
    requests.length = 0;
    assert.equal(await verifyCaptcha(captchaSettings(off), 'pass', '203.0.113.7'), 'niet_van_toepassing');
    assert.equal(await verifyCaptcha(captchaSettings(off), undefined, undefined), 'niet_van_toepassing');
    assert.equal(await verifyCaptcha(captchaSettings(off), '', '203.0.113.7'), 'niet_van_toepassing');
    assert.equal(requests.length, 0);
  });

  test('the expected hostname defaults to localhost', () => {
    assert.equal(expectedHostname(off.publicUrl), 'localhost');
  });
});
