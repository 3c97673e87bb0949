// Page weight: the HTML of each public page and every stylesheet, script and font it loads, each
// compressed with gzip -9 as a server or CDN would send it; and the bytes the portal itself puts on the
// wire for them, asked without compression and as a browser asks (brotli or gzip).
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { CALL_112_PATH, CHECK_PATH, SEND_BODY, STEP_POSTS, THANKS_PATH, Visitor, formBody } from './form-flow.ts';

export type AssetKind = 'css' | 'js' | 'font' | 'other';

export interface Asset {
  url: string;
  kind: AssetKind;
  status: number;
  rawBytes: number;
  gzipBytes: number;
  /** Bytes of the body as the portal sent it, with and without compression asked for. */
  wire: Wire;
}

/** A body as it crossed the wire: asked without `Accept-Encoding`, and as a browser asks (brotli, gzip). */
export interface Wire {
  plainBytes: number;
  compressedBytes: number;
  /** The Content-Encoding of the compressed answer ('' for none). */
  encoding: string;
}

/** What browsers send (Chrome, Firefox, Safari all offer br and gzip). */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

export interface PageWeight {
  label: string;
  path: string;
  status: number;
  formPage: boolean;
  html: { rawBytes: number; gzipBytes: number };
  /** Inline <script> blocks (already inside the HTML bytes), gzipped on their own. */
  inlineJsGzipBytes: number;
  gzipBytes: { html: number; css: number; js: number; font: number; total: number };
  assets: Asset[];
  /** Assets from other origins, not fetched. */
  external: string[];
  /** The page and everything it loads on the wire, without and with compression (a first visit: nothing cached). */
  wire: { plainBytes: number; compressedBytes: number; html: Wire };
}

const gz = (data: Buffer | string): number => gzipSync(data, { level: 9 }).length;

/** A GET's body bytes as received (not decoded), and its Content-Encoding. */
function received(url: string, headers: Record<string, string>): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, timeout: 15_000 }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? '') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer within 15 s`)));
    req.on('error', reject);
  });
}

/** The bytes of `url` on the wire, without and with compression asked for (`cookie`: the visitor's, for a form page). */
export async function wireBytes(url: string, cookie = ''): Promise<Wire> {
  const base = cookie ? { cookie } : {};
  const plain = await received(url, base);
  const compressed = await received(url, { ...base, 'accept-encoding': BROWSER_ACCEPT_ENCODING });
  return { plainBytes: plain.bytes, compressedBytes: compressed.bytes, encoding: compressed.encoding };
}

const decodeAttribute = (v: string): string =>
  v.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    found.set(m[1]!.toLowerCase(), decodeAttribute(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return found;
}

/** What an HTML page loads: stylesheets, scripts, module preloads, preloaded fonts, island code. */
function htmlReferences(html: string): { url: string; kind: AssetKind }[] {
  const found: { url: string; kind: AssetKind }[] = [];
  for (const m of html.matchAll(/<(link|script|astro-island)\b[^>]*>/gi)) {
    const tag = m[1]!.toLowerCase();
    const attrs = attributes(m[0].slice(tag.length + 1, -1));
    if (tag === 'link') {
      const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
      const href = attrs.get('href');
      if (!href) continue;
      if (rel.includes('stylesheet')) found.push({ url: href, kind: 'css' });
      else if (rel.includes('modulepreload')) found.push({ url: href, kind: 'js' });
      else if (rel.includes('preload')) {
        const as = attrs.get('as');
        found.push({ url: href, kind: as === 'style' ? 'css' : as === 'script' ? 'js' : as === 'font' ? 'font' : 'other' });
      }
    } else if (tag === 'script') {
      const src = attrs.get('src');
      if (src) found.push({ url: src, kind: 'js' });
    } else {
      for (const name of ['component-url', 'renderer-url', 'before-hydration-url']) {
        const url = attrs.get(name);
        if (url) found.push({ url, kind: 'js' });
      }
    }
  }
  return found;
}

function inlineScripts(html: string): string {
  let text = '';
  for (const m of html.matchAll(/<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)) text += m[1] ?? '';
  return text;
}

function kindByName(url: string): AssetKind {
  const p = new URL(url).pathname.toLowerCase();
  if (/\.css$/.test(p)) return 'css';
  if (/\.m?js$/.test(p)) return 'js';
  if (/\.(woff2?|ttf|otf|eot)$/.test(p)) return 'font';
  return 'other';
}

/** @import and url() of a stylesheet. */
function cssReferences(css: string): string[] {
  const found: string[] = [];
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of text.matchAll(/@import\s+(?:url\(\s*)?["']?([^"')\s;]+)["']?/gi)) found.push(m[1]!);
  for (const m of text.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/gi)) found.push(m[1] ?? m[2] ?? m[3] ?? '');
  return found.filter((u) => u && !u.startsWith('data:') && !u.startsWith('#'));
}

/** Static and dynamic imports of an ES module (relative or root paths only). */
function jsReferences(js: string): string[] {
  const found: string[] = [];
  for (const m of js.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'`]((?:\.{1,2}\/|\/)[^"'`]+)["'`]/g)) found.push(m[1]!);
  return found;
}

/** Fetches a page's assets, and theirs, once each. */
async function collectAssets(pageUrl: string, html: string): Promise<{ assets: Asset[]; external: string[] }> {
  const origin = new URL(pageUrl).origin;
  const seen = new Set<string>();
  const assets: Asset[] = [];
  const external: string[] = [];
  const queue: { url: string; kind: AssetKind }[] = [];
  const add = (ref: string, base: string, kind: AssetKind) => {
    const url = new URL(ref, base);
    url.hash = '';
    const href = url.href;
    if (seen.has(href)) return;
    seen.add(href);
    if (url.origin !== origin) external.push(href);
    else queue.push({ url: href, kind });
  };
  for (const ref of htmlReferences(html)) add(ref.url, pageUrl, ref.kind);
  while (queue.length) {
    const { url, kind: declared } = queue.shift()!;
    const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    const body = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    const kind: AssetKind = /css/.test(type) ? 'css' : /javascript/.test(type) ? 'js' : /font/.test(type) ? 'font' : declared !== 'other' ? declared : kindByName(url);
    assets.push({ url: new URL(url).pathname, kind, status: response.status, rawBytes: body.length, gzipBytes: gz(body), wire: await wireBytes(url) });
    if (!response.ok) continue;
    if (kind === 'css') for (const ref of cssReferences(body.toString())) add(ref, url, kindByName(new URL(ref, url).href));
    if (kind === 'js') for (const ref of jsReferences(body.toString())) add(ref, url, 'js');
  }
  return { assets, external };
}

async function measure(label: string, path: string, page: { status: number; body: Buffer }, origin: string, formPage: boolean, visitor?: Visitor): Promise<PageWeight> {
  const html = page.body.toString();
  // The same page again as it crosses the wire (a GET shows the page; it changes nothing of the draft).
  const htmlWire = await wireBytes(new URL(path, origin).href, visitor?.cookieHeader() ?? '');
  const { assets, external } = await collectAssets(new URL(path, origin).href, html);
  const sum = (kind: AssetKind) => assets.filter((a) => a.kind === kind).reduce((n, a) => n + a.gzipBytes, 0);
  const htmlGzip = gz(page.body);
  const css = sum('css');
  const js = sum('js');
  const font = sum('font') + sum('other');
  const inline = inlineScripts(html);
  return {
    label,
    path,
    status: page.status,
    formPage,
    html: { rawBytes: page.body.length, gzipBytes: htmlGzip },
    inlineJsGzipBytes: inline ? gz(inline) : 0,
    gzipBytes: { html: htmlGzip, css, js, font, total: htmlGzip + css + js + font },
    assets,
    external,
    wire: {
      html: htmlWire,
      plainBytes: htmlWire.plainBytes + assets.reduce((n, a) => n + a.wire.plainBytes, 0),
      compressedBytes: htmlWire.compressedBytes + assets.reduce((n, a) => n + a.wire.compressedBytes, 0),
    },
  };
}

async function getPage(visitor: Visitor, path: string, expected: number): Promise<{ status: number; body: Buffer }> {
  const page = await visitor.request('GET', path);
  if (page.status !== expected || !page.contentType.startsWith('text/html')) {
    throw new Error(`GET ${path}: expected ${expected} text/html, got ${page.status} ${page.contentType} ${page.location ?? ''}`);
  }
  return page;
}

/**
 * Every public page, the form pages reached by filling the form in (so each renders as a resident
 * sees it). `captchaOrigin`, when given, is a portal with hCaptcha configured: its check page is
 * measured too (the widget's own script from hcaptcha.com is not fetched).
 */
export async function measurePages(origin: string, captchaOrigin?: string): Promise<PageWeight[]> {
  const pages: PageWeight[] = [];
  const visitor = new Visitor(origin);
  pages.push(await measure('/', '/', await getPage(visitor, '/', 200), origin, false, visitor));

  for (const step of STEP_POSTS) {
    pages.push(await measure(step.path, step.path, await getPage(visitor, step.path, 200), origin, true, visitor));
    await visitor.post(step.path, formBody(step.form), step.next);
  }
  pages.push(await measure(CHECK_PATH, CHECK_PATH, await getPage(visitor, CHECK_PATH, 200), origin, true, visitor));
  if (captchaOrigin) {
    const other = new Visitor(captchaOrigin);
    await other.fillDraft();
    pages.push(await measure(`${CHECK_PATH} (hCaptcha on)`, CHECK_PATH, await getPage(other, CHECK_PATH, 200), captchaOrigin, true, other));
  }
  await visitor.post(CHECK_PATH, SEND_BODY, THANKS_PATH);
  pages.push(await measure(THANKS_PATH, THANKS_PATH, await getPage(visitor, THANKS_PATH, 200), origin, false, visitor));

  // Acute danger: a fresh visitor answers "Ja" on step 1 and is sent to the 112 page.
  const acute = new Visitor(origin);
  await acute.post('/melden', formBody([['acuteDanger', 'ja']]), CALL_112_PATH);
  pages.push(await measure(CALL_112_PATH, CALL_112_PATH, await getPage(acute, CALL_112_PATH, 200), origin, false, acute));

  for (const path of ['/privacy', '/toegankelijkheid']) {
    pages.push(await measure(path, path, await getPage(visitor, path, 200), origin, false, visitor));
  }
  const missing = '/deze-pagina-bestaat-niet';
  pages.push(await measure('404', missing, await getPage(visitor, missing, 404), origin, false, visitor));
  return pages;
}
