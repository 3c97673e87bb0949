// Bodies over the limit get 413 everywhere (issue 17), also without a declared length: a chunked body to
// a route that would answer without reading it (the final submit without a draft) is read and refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { freePort, startPortal } from '../support/processes.ts';

/**
 * POSTs `bytes` of form data in chunks, without Content-Length, on a raw socket (as a script would), and
 * reads the status line of whatever the server answers before it closes (0: none).
 */
function postChunked(port: number, path: string, bytes: number): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: localhost:${port}\r\nOrigin: http://localhost:${port}\r\n` +
        'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
    );
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const write = (): void => {
      while (sent < bytes && !socket.destroyed) {
        sent += chunk.length;
        socket.write(`${chunk.length.toString(16)}\r\n`);
        socket.write(chunk);
        if (!socket.write('\r\n')) return void socket.once('drain', write);
      }
      // The last chunk, without closing our side: the server answers, then closes (Connection: close).
      if (!socket.destroyed) socket.write('0\r\n\r\n');
    };
    write();
  });
}

test('a chunked body over the limit gets 413 on the final submit, a step and the login; a small one goes through', async () => {
  const port = await freePort();
  const portal = await startPortal('body-limits', port, { PDOK_LOCATIESERVER_URL: 'off' });
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
