import { createHash } from 'node:crypto';

const HCAPTCHA_SOURCES = 'https://hcaptcha.com https://*.hcaptcha.com';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Hashes of the inline <script> and <style> blocks Astro writes (the island loader), for the CSP. */
export function inlineHashes(html: string): { scripts: string[]; styles: string[] } {
  const scripts = new Set<string>();
  const styles = new Set<string>();
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) if (m[1]) scripts.add(sha256(m[1]));
  for (const m of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) if (m[1]) styles.add(sha256(m[1]));
  return { scripts: [...scripts], styles: [...styles] };
}

/**
 * The Content-Security-Policy of a page: nothing inline but what the page itself shipped (by hash),
 * no plugins, no framing, no <base>, forms only to this site. hCaptcha's hosts only where the
 * widget is.
 */
export function contentSecurityPolicy(html: string, allowHcaptcha: boolean): string {
  const { scripts, styles } = inlineHashes(html);
  const extra = allowHcaptcha ? ` ${HCAPTCHA_SOURCES}` : '';
  return [
    "default-src 'self'",
    `script-src 'self'${extra}${scripts.map((h) => ` ${h}`).join('')}`,
    `style-src 'self'${extra}${styles.map((h) => ` ${h}`).join('')}`,
    "img-src 'self' data:",
    `frame-src ${allowHcaptcha ? HCAPTCHA_SOURCES : "'none'"}`,
    `connect-src 'self'${extra}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers every answer carries, pages and static files alike. */
export function baseSecurityHeaders(production: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    // same-origin, not no-referrer: with no-referrer Chromium sends Origin: null and form posts fail.
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    ...(production ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/**
 * Static files (/_astro/*, favicon.svg), served by the portal's HTTP server (server.ts) without the
 * middleware: the same headers, a CSP of their own (an SVG opened by itself is a document: no script,
 * no plugins, no framing) and no use by other sites.
 */
export function staticSecurityHeaders(production: boolean): Record<string, string> {
  return {
    ...baseSecurityHeaders(production),
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** Headers every dynamic response carries: pages may hold report data, so never cached. */
export function dynamicSecurityHeaders(production: boolean): Record<string, string> {
  return { ...baseSecurityHeaders(production), 'Cache-Control': 'no-store' };
}

/** Headers every dynamic response carries, on Astro's response; a route may choose its own caching (the theme stylesheet). */
export function applySecurityHeaders(headers: Headers, production: boolean): void {
  for (const [name, value] of Object.entries(dynamicSecurityHeaders(production))) if (name !== 'Cache-Control' || !headers.has(name)) headers.set(name, value);
}
