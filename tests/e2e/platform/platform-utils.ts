// What every answer of the portal must look like, whatever was asked: the security headers, no
// cookie for reading, and a usable Dutch page when a request is refused.
import type { APIResponse } from '@playwright/test';
import { expect } from '../fixtures.ts';

export const PUBLIC_PAGES = ['/', '/privacy', '/toegankelijkheid', '/melden', '/melden/bel-112'];

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

export function expectSecurityHeaders(response: APIResponse, what: string, { hcaptcha = false } = {}): void {
  const h = response.headers();
  const csp = h['content-security-policy'];
  expect(csp, `${what}: CSP`).toBeTruthy();
  expect(csp, what).not.toContain('unsafe-inline');
  expect(csp, what).not.toContain('unsafe-eval');
  const d = directives(csp!);
  expect(d.get('script-src'), what).toContain("'self'");
  expect(d.get('object-src'), what).toEqual(["'none'"]);
  expect(d.get('base-uri'), what).toEqual(["'none'"]);
  expect(d.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(d.get('form-action'), what).toEqual(["'self'"]);
  if (hcaptcha) expect(d.get('script-src'), what).toContain('https://hcaptcha.com');
  else expect(csp, what).not.toContain('hcaptcha');
  expect(h['x-content-type-options'], what).toBe('nosniff');
  expect(h['referrer-policy'], what).toBe('same-origin');
}

export function setCookies(response: APIResponse): string[] {
  return response.headersArray().filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
}

/** A Dutch page with the form again: the resident can carry on. */
export async function expectUsableDutchPage(response: APIResponse, message: string | RegExp): Promise<string> {
  expect(response.headers()['content-type']).toMatch(/^text\/html/);
  const html = await response.text();
  expect(html).toContain('<html lang="nl">');
  expect(html).toMatch(/<title>Fout: /);
  expect(html).toContain('Er is een probleem');
  if (typeof message === 'string') expect(html).toContain(message);
  else expect(html).toMatch(message);
  expect(html).toContain('<form method="post"');
  expect(html).not.toMatch(/at \S+\.(ts|js|mjs):\d+|SqliteError|node_modules|\/work\//);
  return html;
}

/**
 * A request refused before any page (src/platform/refusal.ts): the status, a Dutch page with the
 * security headers, the message, and a link back; never a stack trace or bare text.
 */
export async function expectDutchRefusal(response: APIResponse, status: number, message: string, back = '/'): Promise<string> {
  const what = `${response.url()} (${status})`;
  expect(response.status(), what).toBe(status);
  expect(response.headers()['content-type'], what).toMatch(/^text\/html/);
  expectSecurityHeaders(response, what);
  expect(response.headers()['cache-control'], what).toBe('no-store');
  const html = await response.text();
  expect(html, what).toContain('<html lang="nl">');
  expect(html, what).toMatch(/<title>Fout: /);
  expect(html, what).toContain(message);
  expect(html, what).toContain(`href="${back}"`);
  expect(html, what).not.toMatch(/forbidden|Bad request|Internal Server Error|at \S+\.(ts|js|mjs):\d+|node_modules|\/work\//i);
  return html;
}
