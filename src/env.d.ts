declare namespace App {
  interface Locals {
    /** Set by a page that embeds the hCaptcha widget: the CSP then allows hCaptcha's hosts. */
    allowHcaptcha?: boolean;
    /** The logged-in staff member on /intern pages (set by the middleware). */
    staff?: import('#features/auth/login.server.ts').StaffSession;
    /** The client's address as the portal sees it (after TRUST_PROXY). */
    clientIp?: string;
    /** A refused request (src/platform/refusal.ts): the status and a same-site path to go back to. */
    refusal?: { status: import('#platform/refusal.ts').RefusalStatus; back: string | undefined };
    /** A form post the portal's server decided already (a fast lane, src/platform/lanes.ts): the page shows this outcome. */
    answered?: Promise<import('#platform/http.ts').FormOutcome<unknown>>;
  }
}

/** @astrojs/node's build settings (its Vite plugin writes them from astro.config.mjs); read by src/platform/app-handler.ts. */
declare module 'virtual:astro-node:config' {
  export const mode: 'standalone' | 'middleware';
  export const client: string;
  export const server: string;
  export const host: string | boolean;
  export const port: number;
  export const bodySizeLimit: number;
  export const experimentalDisableStreaming: boolean;
  export const staticHeaders: boolean;
}
