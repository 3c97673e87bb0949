// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import preact from '@astrojs/preact';

/** Largest request body the server reads. The biggest legitimate form is a few dozen kilobytes. */
const BODY_LIMIT_BYTES = 1024 * 1024;

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone', bodySizeLimit: BODY_LIMIT_BYTES }),
  integrations: [preact()],
  // No inline <style>: the CSP allows stylesheets from 'self' only.
  build: { inlineStylesheets: 'never' },
  // Cross-origin and Origin: null form posts are refused (403); keep it on.
  security: { checkOrigin: true },
  // A resident's page must not announce itself to other sites or tools.
  devToolbar: { enabled: false },
  vite: { build: { assetsInlineLimit: 0 } },
});
