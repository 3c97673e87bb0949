import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clientIp, LOOPBACK_PROXIES, readForm, trustedProxies, redirectTo, render, respond, rewriteTo, type Responder } from './http.ts';

const withForwarded = (value: string): Request =>
  new Request('http://localhost/melden', { headers: { 'X-Forwarded-For': value } });

describe('clientIp', () => {
  const loopback = trustedProxies(LOOPBACK_PROXIES);

  test('without proxy trust: the socket address, whatever X-Forwarded-For says', () => {
    assert.equal(clientIp(withForwarded('198.51.100.9'), '203.0.113.7', false), '203.0.113.7');
    assert.equal(clientIp(new Request('http://localhost/'), undefined, false), 'unknown');
  });

  test('from a trusted proxy: the last X-Forwarded-For hop (the one the proxy added)', () => {
    assert.equal(clientIp(withForwarded('10.9.9.9, 198.51.100.9'), '127.0.0.1', loopback), '198.51.100.9');
    assert.equal(clientIp(withForwarded(' 198.51.100.9 '), '::ffff:127.0.0.1', loopback), '198.51.100.9');
    assert.equal(clientIp(withForwarded('2001:db8::1,'), '::1', loopback), '2001:db8::1');
  });

  test('a peer that is not a trusted proxy cannot choose its address with X-Forwarded-For', () => {
    // The port reached directly: a fresh header per request must not make a fresh client.
    assert.equal(clientIp(withForwarded('198.51.100.9'), '203.0.113.7', loopback), '203.0.113.7');
    assert.equal(clientIp(withForwarded('198.51.100.9'), '::ffff:203.0.113.7', loopback), '203.0.113.7');
    const proxy = trustedProxies(['192.0.2.10']);
    assert.equal(clientIp(withForwarded('198.51.100.9'), '127.0.0.1', proxy), '127.0.0.1');
    assert.equal(clientIp(withForwarded('198.51.100.9'), '192.0.2.10', proxy), '198.51.100.9');
  });

  test('a chain of trusted proxies is skipped from the right; what the client wrote itself is not believed', () => {
    const proxies = trustedProxies(['10.0.0.0/8', '127.0.0.1']);
    // The client sent "X-Forwarded-For: 1.2.3.4"; the outer proxy appended the real address, the inner one its own.
    assert.equal(clientIp(withForwarded('1.2.3.4, 198.51.100.9, 10.0.0.2'), '127.0.0.1', proxies), '198.51.100.9');
    // Only proxies in the chain: the leftmost.
    assert.equal(clientIp(withForwarded('10.0.0.3, 10.0.0.2'), '127.0.0.1', proxies), '10.0.0.3');
    // Garbage where the proxy would have written an address: the peer.
    assert.equal(clientIp(withForwarded('<script>'), '127.0.0.1', proxies), '127.0.0.1');
  });

  test('from a trusted proxy without the header: the socket address', () => {
    assert.equal(clientIp(new Request('http://localhost/'), '127.0.0.1', loopback), '127.0.0.1');
    assert.equal(clientIp(withForwarded(' , '), '127.0.0.1', loopback), '127.0.0.1');
  });
});

describe('readForm', () => {
  const post = (body: BodyInit, headers: Record<string, string>): Request =>
    new Request('http://localhost/melden', { method: 'POST', body, headers });

  test('a urlencoded form is read', async () => {
    const result = await readForm(post('a=1&b=twee', { 'Content-Type': 'application/x-www-form-urlencoded' }), 1024);
    assert.ok(result.ok);
    assert.equal(result.form.get('b'), 'twee');
  });

  test('a Content-Length over the limit → 413, without reading', async () => {
    const result = await readForm(post('a=1', { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '2048' }), 1024);
    assert.deepEqual(result, { ok: false, status: 413 });
  });

  test('not a form → 400', async () => {
    assert.deepEqual(await readForm(post('{"a":1}', { 'Content-Type': 'application/json' }), 1024), { ok: false, status: 400 });
    assert.deepEqual(await readForm(post('a=1', {}), 1024), { ok: false, status: 400 });
    assert.deepEqual(
      await readForm(post('not multipart', { 'Content-Type': 'multipart/form-data; boundary=x' }), 1024),
      { ok: false, status: 400 },
    );
  });
});

describe('respond', () => {
  const astro = (): Responder & { rewritten: string[] } => {
    const rewritten: string[] = [];
    return {
      rewritten,
      response: {},
      rewrite: async (path: string) => {
        rewritten.push(path);
        return new Response('rewritten', { status: 429 });
      },
    };
  };

  test('redirect → 303 See Other with the location', async () => {
    const a = astro();
    const result = await respond(a, redirectTo('/melden/controleren'));
    assert.ok(result instanceof Response);
    assert.equal(result.status, 303);
    assert.equal(result.headers.get('Location'), '/melden/controleren');
    assert.equal(a.response.status, undefined);
  });

  test('rewrite → the other route answers', async () => {
    const a = astro();
    const result = await respond(a, rewriteTo('/melden/te-veel'));
    assert.ok(result instanceof Response);
    assert.equal(result.status, 429);
    assert.deepEqual(a.rewritten, ['/melden/te-veel']);
  });

  test('render → the view, with the status set on the page', async () => {
    const a = astro();
    assert.deepEqual(await respond(a, render({ errors: 1 }, 400)), { view: { errors: 1 } });
    assert.equal(a.response.status, 400);
    const b = astro();
    assert.deepEqual(await respond(b, render('ok')), { view: 'ok' });
    assert.equal(b.response.status, 200);
  });
});
