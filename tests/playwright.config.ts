import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { OIDC_CLIENT } from './support/oidc-client.ts';
import { JS_ON_SPECS } from './e2e/scripted-pages.ts';

/** The repository root: the servers run from there (a webServer's cwd defaults to this file's folder). */
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * End-to-end tests against the built server (run `npm run build` first), in Chromium: every spec with
 * JavaScript off, and with JavaScript on the specs of the pages that carry a script, the accessibility
 * scans and the resident's journey (tests/e2e/scripted-pages.ts says which, and why). The specs live in tests/e2e/<area>/ (resident,
 * platform, staff, triage), each area with its <area>-utils.ts; tests/e2e/fixtures.ts is shared.
 * Playwright cannot download a browser here, so it uses the system's Chromium (CHROMIUM_PATH, else
 * /usr/bin/chromium when present).
 */
const executablePath = process.env['CHROMIUM_PATH'] || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/**
 * Ports of the servers the tests use; see `servers` in tests/e2e/fixtures.ts. E2E_PORT_BASE moves
 * them all (and their data folders), so that two runs on one machine do not collide.
 */
const BASE = Number(process.env['E2E_PORT_BASE'] || 4391);
export const PORTS = { main: BASE, captcha: BASE + 1, captchaDown: BASE + 2, limits: BASE + 3, staff: BASE + 4, sso: BASE + 5, ssoOnly: BASE + 6, oidc: BASE + 7, stub: BASE + 8, pdok: BASE + 9 } as const;
/** The data folder of a test server under data/test/. */
export const dataName = (name: string): string => (process.env['E2E_PORT_BASE'] ? `${name}-${BASE}` : name);

/** Every portal asks the local stand-in of the national address service (tests/support/pdok-stub.ts). */
const PDOK_URL = `http://127.0.0.1:${PORTS.pdok}/bzk/locatieserver/search/v3_1`;

/** The local OpenID provider (tests/support/oidc-provider.ts) the single sign-on portals use. */
const OIDC = [`OIDC_ISSUER=http://127.0.0.1:${PORTS.oidc}`, `OIDC_CLIENT_ID=${OIDC_CLIENT.id}`, `OIDC_CLIENT_SECRET=${OIDC_CLIENT.secret}`, 'OIDC_SERVICE_NUMBER_CLAIM=dienstnummer'];

const serve = (name: string, port: number, ...settings: string[]) => ({
  command: `node tests/support/serve.ts ${dataName(name)} ${port} PDOK_LOCATIESERVER_URL=${PDOK_URL} PDOK_TIMEOUT_MS=1500 ${settings.join(' ')}`,
  cwd: root,
  url: `http://localhost:${port}/health`,
  reuseExistingServer: false,
  timeout: 30_000,
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
});

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  outputDir: process.env['E2E_PORT_BASE'] ? `../test-results/${BASE}` : '../test-results',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  // Generous for a busy 2-core machine (a browser, seven portals and their stand-ins share it); a passing
  // test takes no longer for it.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: !!process.env['CI'],
  reporter: process.env['CI'] ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${PORTS.main}`,
    locale: 'nl-NL',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'js-on', use: { javaScriptEnabled: true }, testMatch: JS_ON_SPECS.map((spec) => `**/${spec}`) },
    { name: 'js-off', use: { javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: `node tests/support/hcaptcha-stub.ts ${PORTS.stub}`,
      cwd: root,
      url: `http://127.0.0.1:${PORTS.stub}/health`,
      reuseExistingServer: false,
    },
    {
      command: `node tests/support/pdok-stub.ts ${PORTS.pdok}`,
      cwd: root,
      url: `http://127.0.0.1:${PORTS.pdok}/health`,
      reuseExistingServer: false,
    },
    {
      command: `node tests/support/oidc-provider.ts ${PORTS.oidc} http://localhost:${PORTS.sso} http://localhost:${PORTS.ssoOnly}`,
      cwd: root,
      url: `http://127.0.0.1:${PORTS.oidc}/health`,
      reuseExistingServer: false,
      stdout: 'ignore' as const,
      stderr: 'ignore' as const,
    },
    serve('main', PORTS.main, 'REPORTS_PER_HOUR_PER_IP=100000'),
    serve('captcha', PORTS.captcha, 'HCAPTCHA_SITEKEY=test-sitekey', 'HCAPTCHA_SECRET=test-secret',
      `HCAPTCHA_VERIFY_URL=http://127.0.0.1:${PORTS.stub}/siteverify`, 'HCAPTCHA_TIMEOUT_MS=1500', 'REPORTS_PER_HOUR_PER_IP=100000'),
    // hCaptcha configured but nothing listens at its URL: a refused connection.
    serve('captcha-down', PORTS.captchaDown, 'HCAPTCHA_SITEKEY=test-sitekey', 'HCAPTCHA_SECRET=test-secret',
      'HCAPTCHA_VERIFY_URL=http://127.0.0.1:9/siteverify', 'REPORTS_PER_HOUR_PER_IP=100000'),
    // Low limits, with the client address taken from X-Forwarded-For so each test can be its own "computer".
    serve('limits', PORTS.limits, 'REPORTS_PER_HOUR_PER_IP=2', 'TRUST_PROXY=1'),
    // Staff: a clock the tests can move forward (idle and absolute session time-outs), and the client
    // address from X-Forwarded-For (loopback is a trusted proxy) so a login test can be several computers.
    serve('staff', PORTS.staff, `TEST_CLOCK_FILE=data/test/${dataName('staff')}-clock.txt`, 'REPORTS_PER_HOUR_PER_IP=100000', 'TRUST_PROXY=1'),
    // Single sign-on against the local provider, password accounts too; and single sign-on only (LOCAL_LOGIN=off).
    serve('sso', PORTS.sso, ...OIDC, 'REPORTS_PER_HOUR_PER_IP=100000'),
    serve('sso-only', PORTS.ssoOnly, ...OIDC, 'LOCAL_LOGIN=off', 'REPORTS_PER_HOUR_PER_IP=100000'),
  ],
});
