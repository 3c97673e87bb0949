// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import preact from '@astrojs/preact';
import { fileURLToPath } from 'node:url';
import { precompressStaticFiles } from './src/platform/compression.ts';

/**
 * Largest request body the adapter reads: the BOA form with five photos of 15 MB (PHOTO_FORM_LIMIT_BYTES in
 * src/features/photos/photos.schema.ts). Every other route is held to 1 MB by the portal's HTTP server
 * (bodyLimitFor in src/platform/refusal.ts); the biggest form without photos is a few dozen kilobytes.
 */
const BODY_LIMIT_BYTES = 5 * 15 * 1024 * 1024 + 1024 * 1024;

/**
 * @astrojs/node in standalone mode, with the portal's own server entry (src/platform/entry.ts): it
 * checks the configuration before listening, however the built server is started, and serves through
 * the portal's HTTP server (src/platform/server.ts: static files from the build folder read once at
 * start, refusals in Dutch, graceful shutdown).
 * @param {import('astro').AstroIntegration} integration
 * @returns {import('astro').AstroIntegration}
 */
function withPortalEntry(integration) {
  const done = integration.hooks['astro:config:done'];
  if (!done) throw new Error('@astrojs/node has no astro:config:done hook: check src/platform/entry.ts still fits');
  return {
    ...integration,
    hooks: {
      ...integration.hooks,
      'astro:config:done': (params) =>
        done({
          ...params,
          setAdapter: (adapter) =>
            params.setAdapter({ ...adapter, serverEntrypoint: new URL('./src/platform/entry.ts', import.meta.url) }),
        }),
    },
  };
}

/**
 * Static files compressed once at build: `name.br` and `name.gz` beside every text file of the client
 * output, which the portal's HTTP server sends to a browser that accepts them (src/platform/compression.ts).
 * @returns {import('astro').AstroIntegration}
 */
function precompress() {
  /** @type {URL | undefined} */
  let client;
  return {
    name: 'meldpunt-precompress',
    hooks: {
      'astro:config:done': ({ config }) => {
        client = config.build.client;
      },
      'astro:build:done': async ({ logger }) => {
        if (!client) return;
        const { files, rawBytes, brotliBytes } = await precompressStaticFiles(fileURLToPath(client));
        logger.info(`${files} static files compressed: ${rawBytes} bytes, ${brotliBytes} with brotli`);
      },
    },
  };
}

export default defineConfig({
  output: 'server',
  adapter: withPortalEntry(node({ mode: 'standalone', bodySizeLimit: BODY_LIMIT_BYTES })),
  integrations: [preact(), precompress()],
  // No inline <style>: the CSP allows stylesheets from 'self' only.
  build: { inlineStylesheets: 'never' },
  // Cross-origin and Origin: null form posts are refused (403) by src/middleware.ts, with a Dutch page
  // and the security headers (Astro's own check answers in English plain text).
  security: { checkOrigin: false },
  // A resident's page must not announce itself to other sites or tools.
  devToolbar: { enabled: false },
  vite: { build: { assetsInlineLimit: 0 } },
});
