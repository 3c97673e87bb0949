import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { parseCookies, type Lane, type LaneContext } from './lanes.ts';
import { guarded } from './server.ts';
import type { FormOutcome } from './http.ts';

/** The portal's server with a lane at /lane and a stand-in for Astro's handler, on a real socket. */

const clientDir = mkdtempSync(path.join(tmpdir(), 'mb-lanes-'));
after(() => rmSync(clientDir, { recursive: true, force: true }));

let seen: { form: Record<string, string>; cookie: string | undefined; address: string; method: string } | undefined;
let decide: (context: LaneContext) => Promise<FormOutcome<unknown>>;
let astro: { url: string | undefined; locals: App.Locals | undefined; body: string }[] = [];

let readsForm = true;
const lane: Lane = async (context) => {
  const form = readsForm ? await context.request.formData() : new FormData();
  seen = {
    form: Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])),
    cookie: context.cookies.get('mb_melding')?.value,
    address: context.clientAddress,
    method: context.request.method,
  };
  return decide(context);
};

const server = http.createServer(
  guarded(
    (req, res, locals) => {
      // Astro's handler: reads the body it is given (the request's, or the lane's empty one) and answers 200.
      const body = (req as { body?: AsyncIterable<Buffer> }).body ?? req;
      void (async () => {
        const chunks: Buffer[] = [];
        try {
          for await (const chunk of body) chunks.push(Buffer.from(chunk));
        } catch {
          // Past the route's limit (refusal.ts limitedBody): Astro's page answers 413 then.
          chunks.splice(0, chunks.length, Buffer.from('(over the limit)'));
        }
        astro.push({ url: req.url, locals, body: Buffer.concat(chunks).toString() });
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('astro');
      })();
    },
    clientDir,
    { production: false, stopping: () => false, lanes: new Map([['/lane', lane]]), origins: ['https://meldpunt.example'] },
  ),
);
let origin = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());
beforeEach(() => {
  readsForm = true;
  seen = undefined;
  astro = [];
  decide = async () => ({ kind: 'redirect', location: '/bedankt' });
});

const post = (headers: Record<string, string> = {}, body: BodyInit = 'website=&naam=J.+de+Vries') =>
  fetch(`${origin}/lane`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded', cookie: 'a=1; mb_melding=token%2Done; mb_melding=second', ...headers },
    body,
  });

describe('fast lanes', () => {
  test('a redirect is answered by the server itself: 303, Location, the headers of every dynamic answer, no Astro', async () => {
    const response = await post();
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/bedankt');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await response.text(), '');
    assert.deepEqual(astro, []);
    assert.deepEqual(seen, { form: { website: '', naam: 'J. de Vries' }, cookie: 'token-one', address: '127.0.0.1', method: 'POST' });
  });

  test('any other outcome goes to Astro with the outcome in locals.answered, the body already read', async () => {
    const page: FormOutcome<unknown> = { kind: 'render', status: 400, view: { formError: 'Laat het veld leeg' } };
    decide = async () => page;
    const response = await post();
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'astro');
    assert.equal(astro.length, 1);
    assert.equal(astro[0]!.url, '/lane');
    assert.equal(astro[0]!.body, '');
    assert.deepEqual(await astro[0]!.locals?.answered, page);
  });

  test("an error in the lane's handler goes to Astro as a rejected outcome (its error page), never a lost answer", async () => {
    decide = async () => {
      throw new Error('disk full');
    };
    const response = await post();
    assert.equal(response.status, 200);
    await response.text();
    assert.equal(astro.length, 1);
    await assert.rejects(astro[0]!.locals!.answered!, /disk full/);
  });

  test('a handler that answers without reading the form (no draft, a rate limit) leaves the body to the server, and the connection goes on', async () => {
    readsForm = false;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number | undefined; location: string | undefined; socket: unknown }>((resolve, reject) => {
        const request = http.request(`${origin}/lane`, { method: 'POST', agent, headers: { origin, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode, location: response.headers.location, socket: request.socket }));
        });
        request.on('error', reject);
        request.end(body);
      });
    const first = await send(`website=&tekst=${'a'.repeat(200_000)}`);
    const second = await send('website=');
    agent.destroy();
    assert.deepEqual([first.status, first.location, second.status], [303, '/bedankt', 303]);
    assert.equal(first.socket, second.socket, 'one kept-alive connection');
    assert.deepEqual(astro, []);
  });

  test('the public origin is the portal’s own', async () => {
    const response = await post({ origin: 'https://meldpunt.example' });
    assert.equal(response.status, 303);
    assert.ok(seen);
  });

  for (const [what, headers, body] of [
    ['another origin', { origin: 'https://elders.example' }, undefined],
    ['no origin', { origin: '' }, undefined],
    ['a multipart form', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--'],
    ['a text body', { 'content-type': 'text/plain' }, undefined],
    ['a body over the route’s limit', {}, `website=${'a'.repeat(1024 * 1024 + 10)}`],
  ] as const) {
    test(`${what} goes to Astro unread, which decides as before`, async () => {
      const response = await post(headers, body);
      assert.equal(response.status, 200);
      await response.text();
      assert.equal(seen, undefined);
      assert.equal(astro.length, 1);
      assert.equal(astro[0]!.locals, undefined);
    });
  }

  test('a chunked body (no declared length) goes to Astro unread', async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('website='));
        controller.close();
      },
    });
    const response = await fetch(`${origin}/lane`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(response.status, 200);
    await response.text();
    assert.equal(seen, undefined);
    assert.equal(astro[0]!.body, 'website=');
  });

  test('other paths and methods are not a lane', async () => {
    const response = await fetch(`${origin}/lane`, { headers: { origin } });
    assert.equal(response.status, 200);
    await response.text();
    const other = await fetch(`${origin}/other`, { method: 'POST', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    await other.text();
    assert.equal(seen, undefined);
    assert.equal(astro.length, 2);
  });
});

describe('parseCookies', () => {
  test('the first of a name wins, values are decoded, quotes removed, junk skipped', () => {
    const cookies = parseCookies(' a=1; b="two"; c=%E2%82%AC; a=3; junk; =x; d=%zz');
    assert.deepEqual([...cookies], [
      ['a', '1'],
      ['b', 'two'],
      ['c', '€'],
      ['d', '%zz'],
    ]);
    assert.equal(parseCookies(undefined).size, 0);
  });
});
