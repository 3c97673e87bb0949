// Bodies over the limit get 413 everywhere (issue 17), also without a declared length: a chunked body to
// a route that would answer without reading it (the final submit without a draft) is read and refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { freePort, startPortal } from '../support/processes.ts';

/** POSTs `bytes` of form data in chunks, without Content-Length; the status, or 0 when the connection was cut. */
function postChunked(port: number, path: string, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://localhost:${port}`, host: `localhost:${port}` } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const write = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

test('a chunked body over the limit gets 413 on the final submit, a step and the login; a small one goes through', async () => {
  const port = await freePort();
  const portal = await startPortal('limits', port, { PDOK_LOCATIESERVER_URL: 'off' });
  try {
    for (const path of ['/melden/controleren', '/melden/persoon', '/intern/inloggen']) {
      assert.equal(await postChunked(port, path, 3 * 1024 * 1024), 413, path);
    }
    // Without a draft the final submit sends the resident back to the start: not a refusal.
    assert.equal(await postChunked(port, '/melden/controleren', 10), 303);
  } finally {
    await portal.stop();
  }
});
