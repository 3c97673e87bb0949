import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { applySecurityHeaders, contentSecurityPolicy, inlineHashes } from './security-headers.ts';

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const inlineScript = 'window.__astro_island = 1; /* café */';
const inlineModule = 'import "/_astro/client.js";';
const inlineStyle = 'astro-island,astro-slot{display:contents}';
const page = `<!doctype html><html><head>
<style>${inlineStyle}</style>
<link rel="stylesheet" href="/_astro/app.css">
<script type="module" src="/_astro/page.js"></script>
<script>${inlineScript}</script>
</head><body>
<script type="module">${inlineModule}</script>
<script>${inlineScript}</script>
</body></html>`;

/** The CSP as directive → sources. */
function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

describe('inlineHashes', () => {
  test('hashes inline scripts and styles once each, never scripts with src', () => {
    const { scripts, styles } = inlineHashes(page);
    assert.deepEqual(scripts.sort(), [hash(inlineScript), hash(inlineModule)].sort());
    assert.deepEqual(styles, [hash(inlineStyle)]);
  });

  test('a page without inline code has no hashes', () => {
    assert.deepEqual(inlineHashes('<p>Hallo</p><script src="/a.js"></script>'), { scripts: [], styles: [] });
  });
});

describe('contentSecurityPolicy', () => {
  test('allows exactly the inline scripts and styles of the page, by hash', () => {
    const csp = directives(contentSecurityPolicy(page, false));
    const scriptSrc = csp.get('script-src') ?? [];
    const styleSrc = csp.get('style-src') ?? [];
    assert.ok(scriptSrc.includes(hash(inlineScript)));
    assert.ok(scriptSrc.includes(hash(inlineModule)));
    assert.ok(styleSrc.includes(hash(inlineStyle)));
    assert.ok(!scriptSrc.includes(hash('something else')));
    assert.deepEqual(scriptSrc.filter((s) => s.startsWith("'sha256-")).length, 2);
  });

  test("never 'unsafe-inline' or 'unsafe-eval'", () => {
    for (const allow of [false, true]) {
      const csp = contentSecurityPolicy(page, allow);
      assert.ok(!csp.includes('unsafe-inline'), csp);
      assert.ok(!csp.includes('unsafe-eval'), csp);
    }
  });

  test('locks the rest down', () => {
    const csp = directives(contentSecurityPolicy(page, false));
    assert.deepEqual(csp.get('default-src'), ["'self'"]);
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
    assert.deepEqual(csp.get('form-action'), ["'self'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(csp.get('frame-src'), ["'none'"]);
    assert.deepEqual(csp.get('connect-src'), ["'self'"]);
  });

  test('no hCaptcha hosts when hCaptcha is not allowed', () => {
    const csp = contentSecurityPolicy(page, false);
    assert.ok(!csp.includes('hcaptcha'), csp);
  });

  test('hCaptcha hosts in script, style, frame and connect when allowed', () => {
    const csp = directives(contentSecurityPolicy(page, true));
    for (const name of ['script-src', 'style-src', 'frame-src', 'connect-src']) {
      const sources = csp.get(name) ?? [];
      assert.ok(sources.includes('https://hcaptcha.com'), name);
      assert.ok(sources.includes('https://*.hcaptcha.com'), name);
    }
    assert.deepEqual(csp.get('default-src'), ["'self'"]);
    assert.ok(!(csp.get('frame-src') ?? []).includes("'none'"));
  });
});

describe('applySecurityHeaders', () => {
  test('sets nosniff, a same-origin referrer policy, no framing and no-store', () => {
    const headers = new Headers({ 'Content-Type': 'text/html' });
    applySecurityHeaders(headers, false);
    assert.equal(headers.get('X-Content-Type-Options'), 'nosniff');
    assert.equal(headers.get('Referrer-Policy'), 'same-origin');
    assert.equal(headers.get('X-Frame-Options'), 'DENY');
    assert.equal(headers.get('Cache-Control'), 'no-store');
    assert.equal(headers.get('Content-Type'), 'text/html');
    assert.match(headers.get('Permissions-Policy') ?? '', /camera=\(\)/);
  });

  test('never no-referrer (Chromium would send Origin: null and form posts fail)', () => {
    const headers = new Headers();
    applySecurityHeaders(headers, true);
    assert.notEqual(headers.get('Referrer-Policy'), 'no-referrer');
  });

  test('keeps a Cache-Control the route chose', () => {
    const headers = new Headers({ 'Cache-Control': 'public, max-age=3600' });
    applySecurityHeaders(headers, false);
    assert.equal(headers.get('Cache-Control'), 'public, max-age=3600');
  });

  test('HSTS only in production', () => {
    const dev = new Headers();
    applySecurityHeaders(dev, false);
    assert.equal(dev.get('Strict-Transport-Security'), null);
    const prod = new Headers();
    applySecurityHeaders(prod, true);
    assert.match(prod.get('Strict-Transport-Security') ?? '', /max-age=\d{7,}/);
  });
});
