import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { compressWhileWriting, isCompressible, negotiateEncoding, precompressStaticFiles } from './compression.ts';
import { readStaticTree, serveStaticFile, staticEntry } from './static-files.ts';

test('negotiateEncoding: brotli before gzip, q=0 refuses, * stands for the rest', () => {
  assert.equal(negotiateEncoding('gzip, deflate, br, zstd'), 'br');
  assert.equal(negotiateEncoding('gzip, deflate'), 'gzip');
  assert.equal(negotiateEncoding('br;q=0, gzip'), 'gzip');
  assert.equal(negotiateEncoding('gzip;q=1, br;q=0.5'), 'gzip');
  assert.equal(negotiateEncoding('identity'), undefined);
  assert.equal(negotiateEncoding(''), undefined);
  assert.equal(negotiateEncoding(undefined), undefined);
  assert.equal(negotiateEncoding('*'), 'br');
  assert.equal(negotiateEncoding('*;q=0'), undefined);
  assert.equal(negotiateEncoding('x-gzip'), 'gzip');
});

test('isCompressible: text yes, images and fonts that are compressed already no', () => {
  for (const type of ['text/html; charset=utf-8', 'text/css', 'text/javascript', 'application/javascript', 'text/csv; charset=utf-8', 'image/svg+xml', 'application/json']) {
    assert.equal(isCompressible(type), true, type);
  }
  for (const type of ['image/jpeg', 'image/png', 'image/webp', 'font/woff2', 'application/octet-stream', 'application/zip', undefined]) {
    assert.equal(isCompressible(type), false, String(type));
  }
});

/** A server whose every answer goes through compressWhileWriting, and a raw client (no decoding). */
async function withServer(handler: http.RequestListener, run: (origin: string) => Promise<void>): Promise<void> {
  const server = http.createServer((req, res) => {
    compressWhileWriting(req, res);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  try {
    await run(`http://127.0.0.1:${address.port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(r: Raw): Buffer {
  const encoding = r.headers['content-encoding'];
  return encoding === 'br' ? zlib.brotliDecompressSync(r.body) : encoding === 'gzip' ? zlib.gunzipSync(r.body) : r.body;
}

const PAGE = `<!doctype html><html lang="nl"><body>${'<p class="utrecht-paragraph">Meldpunt Bezorgd</p>'.repeat(200)}</body></html>`;

test('a page written with writeHead, write and end: brotli, gzip or none by Accept-Encoding, the same bytes decoded', async () => {
  await withServer(
    (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.write(PAGE.slice(0, 1000));
      res.end(PAGE.slice(1000));
    },
    async (origin) => {
      const plain = await get(origin, {});
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.body.toString(), PAGE);
      assert.match(String(plain.headers['vary']), /Accept-Encoding/);
      for (const [accept, expected] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip']] as const) {
        const r = await get(origin, { 'Accept-Encoding': accept });
        assert.equal(r.headers['content-encoding'], expected);
        assert.equal(r.headers['content-length'], undefined);
        assert.match(String(r.headers['vary']), /Accept-Encoding/);
        assert.ok(r.body.length < PAGE.length / 5, `${expected}: ${r.body.length} bytes`);
        assert.equal(decode(r).toString(), PAGE);
      }
    },
  );
});

test('a whole answer given to end() with its Content-Length set implicitly is compressed too', async () => {
  await withServer(
    (_req, res) => {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.end(PAGE);
    },
    async (origin) => {
      const r = await get(origin, { 'Accept-Encoding': 'br' });
      assert.equal(r.headers['content-encoding'], 'br');
      assert.equal(decode(r).toString(), PAGE);
    },
  );
});

test('images, tiny answers, HEAD, 304 and answers already encoded are left alone', async () => {
  const jpeg = Buffer.alloc(4000, 7);
  await withServer(
    (req, res) => {
      if (req.url === '/foto') {
        res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': jpeg.length });
        res.end(jpeg);
      } else if (req.url === '/klein') {
        res.setHeader('Content-Type', 'text/plain');
        res.end('ok');
      } else if (req.url === '/niet-gewijzigd') {
        res.writeHead(304, { 'Content-Type': 'text/html' });
        res.end();
      } else if (req.url === '/al') {
        res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' });
        res.end(zlib.gzipSync(PAGE));
      } else {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(req.method === 'HEAD' ? undefined : PAGE);
      }
    },
    async (origin) => {
      const accept = { 'Accept-Encoding': 'br, gzip' };
      const foto = await get(`${origin}/foto`, accept);
      assert.equal(foto.headers['content-encoding'], undefined);
      assert.deepEqual(foto.body, jpeg);
      const klein = await get(`${origin}/klein`, accept);
      assert.equal(klein.headers['content-encoding'], undefined);
      assert.equal(klein.body.toString(), 'ok');
      const head = await get(`${origin}/pagina`, accept, 'HEAD');
      assert.equal(head.headers['content-encoding'], undefined);
      const same = await get(`${origin}/niet-gewijzigd`, accept);
      assert.equal(same.status, 304);
      assert.equal(same.headers['content-encoding'], undefined);
      const already = await get(`${origin}/al`, accept);
      assert.equal(already.headers['content-encoding'], 'gzip');
      assert.equal(zlib.gunzipSync(already.body).toString(), PAGE);
    },
  );
});

test('a streamed answer keeps streaming: the first part arrives, decodable, before the rest is written', async () => {
  let release!: () => void;
  const rest = new Promise<void>((resolve) => (release = resolve));
  await withServer(
    (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8' });
      res.write('referentie;datum\n'.repeat(100));
      void rest.then(() => res.end('MB-TEST;2026-01-01\n'));
    },
    async (origin) => {
      for (const encoding of ['br', 'gzip'] as const) {
        const received = await new Promise<string>((resolve, reject) => {
          const decoder = encoding === 'br' ? zlib.createBrotliDecompress() : zlib.createGunzip();
          let text = '';
          let first = true;
          decoder.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (first && text.length >= 1700) {
              first = false;
              // Only now may the server finish: the first part came through on its own.
              release();
            }
          });
          decoder.on('end', () => resolve(text));
          decoder.on('error', reject);
          http.get(origin, { headers: { 'Accept-Encoding': encoding } }, (res) => {
            assert.equal(res.headers['content-encoding'], encoding);
            res.pipe(decoder);
          });
        });
        assert.equal(received, `${'referentie;datum\n'.repeat(100)}MB-TEST;2026-01-01\n`);
      }
    },
  );
});

test('static files: compressed at build beside the file, sent when accepted, with a validator per encoding', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mb-precompress-'));
  try {
    mkdirSync(path.join(dir, '_astro'));
    const css = `.utrecht-button{color:red}\n`.repeat(300);
    writeFileSync(path.join(dir, '_astro', 'Page.css'), css);
    writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
    writeFileSync(path.join(dir, 'foto.png'), Buffer.alloc(2000, 1));
    const totals = await precompressStaticFiles(dir);
    assert.equal(totals.files, 1);
    assert.equal(zlib.brotliDecompressSync(readFileSync(path.join(dir, '_astro', 'Page.css.br'))).toString(), css);
    assert.equal(zlib.gunzipSync(readFileSync(path.join(dir, '_astro', 'Page.css.gz'))).toString(), css);
    assert.equal(existsSync(path.join(dir, 'favicon.svg.br')), false, 'too small to gain');
    assert.equal(existsSync(path.join(dir, 'foto.png.br')), false, 'not text');

    // Read once; a request is answered from the tree without a file-system lookup.
    const root = path.resolve(dir);
    const tree = readStaticTree(root);
    assert.equal(staticEntry(tree, root, '/_astro')?.entry.kind, 'directory');
    assert.equal(staticEntry(tree, root, '/melden'), undefined);
    assert.equal(staticEntry(tree, root, '/../etc/passwd'), undefined);
    assert.equal(staticEntry(tree, root, '/_astro/../favicon.svg')?.entry.kind, 'file');
    await withServer(
      (req, res) => {
        const found = staticEntry(tree, root, req.url!);
        if (found?.entry.kind !== 'file') {
          res.writeHead(404);
          res.end();
          return;
        }
        serveStaticFile(req, res, tree, found.file, found.entry, req.url!.startsWith('/_astro/'));
      },
      async (origin) => {
        const br = await get(`${origin}/_astro/Page.css`, { 'Accept-Encoding': 'gzip, br' });
        assert.equal(br.headers['content-encoding'], 'br');
        assert.equal(br.headers['content-type'], 'text/css; charset=utf-8');
        assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.equal(Number(br.headers['content-length']), br.body.length);
        assert.equal(decode(br).toString(), css);
        const gz = await get(`${origin}/_astro/Page.css`, { 'Accept-Encoding': 'gzip' });
        assert.equal(gz.headers['content-encoding'], 'gzip');
        assert.equal(decode(gz).toString(), css);
        assert.notEqual(gz.headers['etag'], br.headers['etag']);
        const again = await get(`${origin}/_astro/Page.css`, { 'Accept-Encoding': 'br', 'If-None-Match': String(br.headers['etag']) });
        assert.equal(again.status, 304);
        const plain = await get(`${origin}/_astro/Page.css`, {});
        assert.equal(plain.headers['content-encoding'], undefined);
        assert.equal(plain.body.toString(), css);
        assert.notEqual(plain.headers['etag'], br.headers['etag']);
        // Files without a compressed copy go as they are, revalidated outside /_astro/.
        const icon = await get(`${origin}/favicon.svg`, { 'Accept-Encoding': 'br' });
        assert.deepEqual([icon.status, icon.headers['content-encoding'], icon.headers['content-type'], icon.headers['cache-control'], icon.body.toString()], [200, undefined, 'image/svg+xml', 'public, max-age=0', '<svg/>']);
        assert.equal(icon.headers['vary'], 'Accept-Encoding');
        const photo = await get(`${origin}/foto.png`, { 'Accept-Encoding': 'br' });
        assert.deepEqual([photo.headers['content-type'], photo.headers['content-encoding'], photo.body.length], ['image/png', undefined, 2000]);
        assert.equal((await get(`${origin}/foto.png`, { 'If-None-Match': String(photo.headers['etag']) })).status, 304);
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
