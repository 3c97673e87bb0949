// Compression on the built portal (README "Compression"): every text answer — pages, the refusal page, the
// stylesheets and scripts under /_astro, the theme — carries Content-Encoding (brotli or gzip, as accepted)
// and Vary: Accept-Encoding, and decodes to exactly the bytes sent without compression. A first visit to
// /melden (the page and everything it loads) transfers under 20 KB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { freePort, startPortal } from '../support/processes.ts';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as they came over the wire. */
  body: Buffer;
}

function request(url: string, acceptEncoding: string | undefined, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded(r: Raw): Buffer {
  const encoding = r.headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(r.body);
  if (encoding === 'gzip') return zlib.gunzipSync(r.body);
  assert.equal(encoding, undefined, `unknown encoding ${encoding}`);
  return r.body;
}

/** What a page loads from this site: stylesheets and scripts. */
function assetsOf(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)) found.add(m[1]!);
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) found.add(m[1]!);
  return [...found].filter((u) => u.startsWith('/'));
}

test('every text answer is compressed by Accept-Encoding and decodes to the same bytes', async () => {
  const portal = await startPortal('compression', await freePort());
  try {
    const built = readdirSync(path.resolve('dist/client/_astro')).filter((f) => /\.(css|js)$/.test(f) && !/\.(br|gz)$/.test(f));
    const paths = ['/', '/melden', '/privacy', '/toegankelijkheid', '/theme.css', '/bestaat-niet', '/health', ...built.map((f) => `/_astro/${f}`)];
    for (const p of paths) {
      const plain = await request(portal.base + p, undefined);
      assert.equal(plain.headers['content-encoding'], undefined, `${p}: not compressed when not asked`);
      const type = String(plain.headers['content-type']);
      const worthIt = plain.body.length >= 512;
      for (const [accept, expected] of [['gzip, deflate, br, zstd', 'br'], ['gzip, deflate', 'gzip']] as const) {
        const r = await request(portal.base + p, accept);
        assert.equal(r.status, plain.status, p);
        assert.equal(r.headers['content-type'], type, p);
        assert.match(String(r.headers['vary']), /Accept-Encoding/i, `${p}: Vary`);
        if (worthIt) assert.equal(r.headers['content-encoding'], expected, `${p} (${type}, ${plain.body.length} bytes) with ${accept}`);
        if (r.headers['content-encoding']) assert.ok(r.body.length < plain.body.length, `${p}: smaller compressed`);
        assert.equal(decoded(r).toString('latin1'), plain.body.toString('latin1'), `${p}: the same bytes decoded (${accept})`);
      }
    }
    // The refusal page (a method no page answers) is compressed too.
    const refused = await request(`${portal.base}/melden`, 'br', 'DELETE');
    assert.equal(refused.status, 405);
    assert.equal(refused.headers['content-encoding'], 'br');
    assert.match(decoded(refused).toString(), /<html/);
  } finally {
    await portal.stop();
  }
});

test('a first visit to /melden transfers under 20 KB; a tiny file is sent as it is', async () => {
  const portal = await startPortal('compression-weight', await freePort());
  try {
    const accept = 'gzip, deflate, br, zstd';
    const page = await request(`${portal.base}/melden`, accept);
    assert.equal(page.status, 200);
    const assets = assetsOf(decoded(page).toString());
    assert.ok(assets.some((a) => a.endsWith('.css')), 'the page loads its stylesheet');
    let bytes = page.body.length;
    let uncompressed = (await request(`${portal.base}/melden`, undefined)).body.length;
    for (const asset of assets) {
      const r = await request(portal.base + asset, accept);
      assert.equal(r.status, 200, asset);
      bytes += r.body.length;
      uncompressed += (await request(portal.base + asset, undefined)).body.length;
    }
    assert.ok(bytes < 20 * 1024, `first visit to /melden: ${bytes} bytes on the wire (${uncompressed} without compression)`);
    // The icon is smaller than what compression would save: sent as it is, with its validator.
    const icon = await request(`${portal.base}/favicon.svg`, accept);
    assert.equal(icon.status, 200);
    assert.equal(icon.headers['content-encoding'], undefined);
  } finally {
    await portal.stop();
  }
});
