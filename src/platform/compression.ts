import type http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * Compression of every text answer the portal gives (HTML, CSS, JavaScript, CSV, SVG, JSON), by the
 * browser's `Accept-Encoding`: brotli where it is accepted, else gzip, else none. Two halves, both used by
 * the portal's HTTP server (server.ts), so pages, refusals, exports and static files are all covered:
 *
 * - static files: compressed once at build (`precompressStaticFiles`, run by the build's integration in
 *   astro.config.mjs), `name.br` and `name.gz` beside `name`, sent as they are (static-files.ts);
 * - everything else (pages, CSV): compressed while it is written (`compressWhileWriting`), flushed whenever
 *   the writer pauses, so an answer that streams keeps streaming.
 *
 * Images that are compressed already (JPEG, PNG, WebP, fonts in WOFF2) are never compressed again: only
 * the text types below are.
 */

export type Encoding = 'br' | 'gzip';

/** Answers smaller than this are sent as they are: compression would save less than its own headers. */
export const MIN_COMPRESS_BYTES = 512;

const TEXT_TYPES = /^(text\/|application\/(javascript|json|xml|manifest\+json|ld\+json)|image\/svg\+xml)/i;

/** Content types worth compressing: text. */
export function isCompressible(contentType: string | undefined): boolean {
  return contentType !== undefined && TEXT_TYPES.test(contentType.trim());
}

/**
 * The encoding to answer with for an `Accept-Encoding` header (RFC 9110 §12.5.3): brotli before gzip
 * when both are acceptable; `q=0` refuses one; `*` stands for any not named.
 */
export function negotiateEncoding(acceptEncoding: string | string[] | undefined): Encoding | undefined {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) q = Number(m[1]);
    }
    weights.set(name, Number.isFinite(q) ? q : 0);
  }
  const weight = (name: Encoding): number => weights.get(name) ?? (name === 'gzip' ? weights.get('x-gzip') : undefined) ?? weights.get('*') ?? 0;
  const br = weight('br');
  const gzip = weight('gzip');
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return undefined;
}

/** Adds `Accept-Encoding` to the response's `Vary` header (once). */
export function varyOnEncoding(res: http.ServerResponse): void {
  const current = res.getHeader('Vary');
  const list = (Array.isArray(current) ? current.join(',') : current === undefined ? '' : String(current))
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (list.includes('*') || list.some((v) => v.toLowerCase() === 'accept-encoding')) return;
  res.setHeader('Vary', [...list, 'Accept-Encoding'].join(', '));
}

/** A compressor for answers made while the request waits: fast settings (brotli 4 is smaller than gzip 6 and as quick). */
function compressor(encoding: Encoding): zlib.BrotliCompress | zlib.Gzip {
  return encoding === 'br'
    ? zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } })
    : zlib.createGzip({ level: 6 });
}

type Chunk = string | Uint8Array;
type Callback = (error?: Error | null) => void;

function headerValue(value: http.OutgoingHttpHeader | undefined): string | undefined {
  return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * Compresses what is written to `res` when the request accepts it and the answer is text: the decision is
 * taken when the head is written (by `writeHead` or implicitly by the first write), from the status, the
 * `Content-Type`, an existing `Content-Encoding` and a declared `Content-Length`. A compressed answer loses
 * its `Content-Length` (it is sent chunked) and gets `Content-Encoding` and `Vary: Accept-Encoding`. Written
 * chunks are flushed to the client as soon as the writer pauses (no waiting for a full compression block).
 */
export function compressWhileWriting(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method === 'HEAD') return;
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  const originalWriteHead = res.writeHead;
  const originalWrite = res.write;
  const originalEnd = res.end;
  let stream: zlib.BrotliCompress | zlib.Gzip | undefined;
  let decided = false;
  let flushScheduled = false;

  const decide = (status: number): void => {
    decided = true;
    const type = headerValue(res.getHeader('Content-Type'));
    if (status < 200 || status === 204 || status === 206 || status === 304 || !isCompressible(type)) return;
    varyOnEncoding(res);
    if (!encoding || res.getHeader('Content-Encoding') !== undefined) return;
    const length = Number(headerValue(res.getHeader('Content-Length')));
    if (Number.isFinite(length) && length < MIN_COMPRESS_BYTES) return;
    res.removeHeader('Content-Length');
    res.removeHeader('Accept-Ranges');
    // Another representation than the file's own: its validator must differ (a weak one, per encoding).
    const etag = headerValue(res.getHeader('ETag'));
    if (etag) res.setHeader('ETag', `W/${etag.replace(/^W\//, '').replace(/"$/, `-${encoding}"`)}`);
    res.setHeader('Content-Encoding', encoding);
    stream = compressor(encoding);
    stream.on('data', (data: Buffer) => (originalWrite as (chunk: Buffer) => boolean).call(res, data));
    stream.on('error', (error) => res.destroy(error));
    res.once('close', () => stream?.destroy());
  };

  res.writeHead = function writeHead(this: http.ServerResponse, status: number, ...rest: unknown[]) {
    // writeHead(status, [statusMessage], [headers]): set the headers first, so the decision sees them all.
    const message = typeof rest[0] === 'string' ? (rest.shift() as string) : undefined;
    const headers = rest[0] as http.OutgoingHttpHeaders | http.OutgoingHttpHeader[] | undefined;
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) res.setHeader(String(headers[i]), headers[i + 1] as string);
    } else if (headers) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
    }
    if (!decided) decide(status);
    const head = originalWriteHead as (status: number, message?: string) => http.ServerResponse;
    return message === undefined ? head.call(this, status) : head.call(this, status, message);
  } as typeof res.writeHead;

  const head = (): void => {
    if (!res.headersSent && !decided) res.writeHead(res.statusCode);
  };
  const scheduleFlush = (): void => {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      if (stream && !stream.writableEnded && !stream.destroyed) stream.flush();
    });
  };

  res.write = function write(this: http.ServerResponse, chunk: Chunk, ...rest: unknown[]): boolean {
    head();
    if (!stream) return (originalWrite as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    const callback = rest.find((r) => typeof r === 'function') as Callback | undefined;
    const encodingArg = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined;
    const written = stream.write(typeof chunk === 'string' ? Buffer.from(chunk, encodingArg ?? 'utf8') : chunk, callback);
    scheduleFlush();
    return written;
  } as typeof res.write;

  res.end = function end(this: http.ServerResponse, ...args: unknown[]): http.ServerResponse {
    const callback = typeof args.at(-1) === 'function' ? (args.pop() as () => void) : undefined;
    const chunk = args[0] as Chunk | undefined;
    const encodingArg = typeof args[1] === 'string' ? (args[1] as BufferEncoding) : undefined;
    if (!res.headersSent && !decided) {
      // The whole answer is known: its length decides whether compressing is worth it.
      if (chunk !== undefined && res.getHeader('Content-Length') === undefined) {
        res.setHeader('Content-Length', typeof chunk === 'string' ? Buffer.byteLength(chunk, encodingArg) : chunk.byteLength);
      }
      head();
    }
    if (!stream) return (originalEnd as (...a: unknown[]) => http.ServerResponse).call(this, ...args, ...(callback ? [callback] : []));
    const s = stream;
    s.once('end', () => (originalEnd as (cb?: () => void) => http.ServerResponse).call(res, callback));
    if (chunk !== undefined && (typeof chunk === 'string' ? chunk.length : chunk.byteLength) > 0) {
      s.end(typeof chunk === 'string' ? Buffer.from(chunk, encodingArg ?? 'utf8') : chunk);
    } else {
      s.end();
    }
    return this;
  } as typeof res.end;
}

// ------------------------------------------------------------------------------------------------
// Static files, compressed at build.

/** Static files compressed at build: text, by extension. */
export const PRECOMPRESSED_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml',
  '.csv': 'text/csv; charset=utf-8',
};

/**
 * Writes `name.br` (brotli, best quality) and `name.gz` (gzip -9) beside every text file of `dir` and its
 * folders, where that is smaller than the file; the build calls it on the client output. Returns what was
 * written, for the build's log.
 */
export async function precompressStaticFiles(dir: string): Promise<{ files: number; rawBytes: number; brotliBytes: number }> {
  const { readdir, readFile, writeFile } = await import('node:fs/promises');
  const totals = { files: 0, rawBytes: 0, brotliBytes: 0 };
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
        continue;
      }
      if (!entry.isFile() || !PRECOMPRESSED_TYPES[path.extname(entry.name).toLowerCase()]) continue;
      const raw = await readFile(full);
      if (raw.byteLength < MIN_COMPRESS_BYTES) continue;
      const br = zlib.brotliCompressSync(raw, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.byteLength,
        },
      });
      const gz = zlib.gzipSync(raw, { level: 9 });
      if (br.byteLength < raw.byteLength) await writeFile(`${full}.br`, br);
      if (gz.byteLength < raw.byteLength) await writeFile(`${full}.gz`, gz);
      totals.files++;
      totals.rawBytes += raw.byteLength;
      totals.brotliBytes += Math.min(br.byteLength, raw.byteLength);
    }
  };
  await walk(dir);
  return totals;
}
