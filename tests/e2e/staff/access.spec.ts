// Role × route matrix (spec §6, src/features/auth/access.rules.ts): every /intern page and every POST
// handler, for anonymous and each role, with encoded path variants. Each answer is the redirect to
// the login page (303), the Dutch "geen toegang" page (403), the page (200) or 404 — never a 200
// for a role that may not.
import { request, type APIRequestContext, type APIResponse } from '@playwright/test';
import type { Role } from '#features/auth/roles.schema.ts';
import { amsterdamLocal, boaForm, dhrE, dhrK, kccForm, mevrB, policeForm, type FormFields, type PoliceFacts } from '../../fixtures/cases.ts';
import {
  HOME,
  auditRows,
  createAccount,
  expect,
  locationPath,
  marker,
  postForm,
  reportsContaining,
  servers,
  sharedAccount,
  test as base,
  type StaffAccount,
} from '../fixtures.ts';

const staff = servers.staff;
const ROLES: Role[] = ['kcc', 'boa', 'coordinator', 'admin'];
type Who = Role | 'anonymous';
const WHO: Who[] = ['anonymous', ...ROLES];
const FORBIDDEN_TEXT = 'U heeft geen toegang tot deze pagina';

type Expected = { status: 200 } | { status: 303; to: string | RegExp } | { status: 400 } | { status: 403 } | { status: 404 };

interface World {
  accounts: Record<Role, StaffAccount>;
  ids: Record<Role, number>;
  clients: Record<Who, APIRequestContext>;
  kccRef: string;
  boaRef: string;
  policeRef: string;
}

/** The police's facts of an E33 report (spec §4a), with `tag` in the officer's name. */
const policeFacts = (tag: string): PoliceFacts => ({
  policeReference: 'PL0100-2026000001', incidentAt: amsterdamLocal(new Date(Date.now() - 3_600_000)), incidentPlace: 'Stationsplein',
  policeRequest: '', policeFeedback: 'nee', policeOfficer: `Agent ${tag}`, policeTeam: '', policePhone: '0900 8844', policeEmail: '',
});

/**
 * Each test's world: every role's (shared) account logged in by session row in a request context of
 * its own, an anonymous one, and a KCC and a BOA report to open. The contexts are disposed after.
 */
const test = base.extend<{ world: World }>({
  world: async ({ staffClient }, use) => {
    const accounts = Object.fromEntries(ROLES.map((r) => [r, sharedAccount(staff, r)])) as Record<Role, StaffAccount>;
    const ids = Object.fromEntries(ROLES.map((r) => [r, accounts[r].id])) as Record<Role, number>;
    const anonymous = await request.newContext({ baseURL: staff.origin });
    const clients = { anonymous } as Record<Who, APIRequestContext>;
    for (const role of ROLES) clients[role] = await staffClient(staff, accounts[role]);
    const saved = async (who: Role, path: string, body: FormFields) => {
      const response = await postForm(clients[who], `${staff.origin}${path}`, body, { origin: staff.origin });
      expect(response.status(), `${who} saves ${path}`).toBe(303);
      return /MB-[A-Z2-9]{8}$/.exec(locationPath(response))![0];
    };
    const kccRef = await saved('kcc', '/intern/kcc/melding', kccForm(dhrK(marker())));
    const boaRef = await saved('boa', '/intern/boa/melding', boaForm(mevrB(marker())));
    const policeRef = await saved('kcc', '/intern/politie/melding', policeForm(dhrE(marker()), policeFacts(marker())));
    await use({ accounts, ids, clients, kccRef, boaRef, policeRef });
    await anonymous.dispose();
  },
});

/** The same path, written as an attacker might: an encoded letter, a doubled slash, an encoded slash. */
function variants(path: string): { path: string; same: boolean }[] {
  const list = [
    { path, same: true },
    { path: `/%69ntern${path.slice('/intern'.length)}`, same: true },
    { path: `/${path}`, same: true },
  ];
  if (path.startsWith('/intern/')) list.push({ path: path.replace('/intern/', '/intern%2F'), same: false });
  return list;
}

async function expectAnswer(response: APIResponse, expected: Expected, what: string): Promise<void> {
  const body = await response.text();
  expect(response.status(), `${what}: ${body.slice(0, 200)}`).toBe(expected.status);
  if (expected.status === 303) {
    if (typeof expected.to === 'string') expect(locationPath(response), what).toBe(expected.to);
    else expect(locationPath(response), what).toMatch(expected.to);
  }
  // Staff pages hold report data or secrets: never cached.
  expect(response.headers()['cache-control'], what).toBe('no-store');
  if (expected.status === 403) {
    expect(body, what).toContain(FORBIDDEN_TEXT);
    expect(body, what).toContain('<title>Geen toegang');
  } else {
    expect(body, what).not.toContain(FORBIDDEN_TEXT);
  }
}

/** What a GET of a page must answer. */
function getRule(path: string, may: Role[] | 'home' | 'logout', who: Who): Expected {
  if (who === 'anonymous') {
    return { status: 303, to: may === 'logout' ? '/intern/inloggen' : `/intern/inloggen?terug=${encodeURIComponent(path)}` };
  }
  if (may === 'home') return { status: 303, to: HOME[who] };
  if (may === 'logout') return { status: 303, to: '/intern' };
  return may.includes(who) ? { status: 200 } : { status: 403 };
}

test.describe('role × route matrix', () => {
  test('GET: every /intern page for anonymous and each role, also encoded', async ({ world }) => {
    const { kccRef, boaRef, policeRef } = world;
    const routes: [string, Role[] | 'home' | 'logout'][] = [
      ['/intern', 'home'],
      ['/intern/kcc/melding', ['kcc', 'coordinator']],
      ['/intern/kcc/opzoeken', ['kcc', 'coordinator']],
      ['/intern/politie/melding', ['kcc', 'coordinator']],
      [`/intern/politie/opgeslagen/${policeRef}`, ['kcc', 'coordinator']],
      [`/intern/kcc/opgeslagen/${kccRef}`, ['kcc', 'coordinator']],
      ['/intern/boa/melding', ['boa', 'coordinator']],
      [`/intern/boa/opgeslagen/${boaRef}`, ['boa', 'coordinator']],
      ['/intern/triage', ['coordinator']],
      [`/intern/triage/${kccRef}`, ['coordinator']],
      [`/intern/triage/${boaRef}`, ['coordinator']],
      ['/intern/beheer', ['admin']],
      ['/intern/beheer/logboek', ['admin']],
      ['/intern/beheer/mail', ['admin']],
      ['/intern/account', ['kcc', 'boa', 'coordinator', 'admin']],
      ['/intern/uitloggen', 'logout'],
    ];
    for (const [path, may] of routes) {
      for (const who of WHO) {
        const expected = getRule(path, may, who);
        for (const variant of variants(path)) {
          const response = await world.clients[who].get(`${staff.origin}${variant.path}`, { maxRedirects: 0, failOnStatusCode: false });
          await expectAnswer(response, variant.same ? expected : { status: 404 }, `${who} GET ${variant.path}`);
        }
      }
    }
    // The login pages are open to all; a saved report is only its author's (and the coordinator's).
    for (const who of WHO) {
      const login = await world.clients[who].get(`${staff.origin}/intern/inloggen`, { maxRedirects: 0 });
      expect(login.status(), `${who} /intern/inloggen`).toBe(200);
    }
    const notMine: [Role, string][] = [
      ['kcc', `/intern/kcc/opgeslagen/${boaRef}`],
      ['boa', `/intern/boa/opgeslagen/${kccRef}`],
      ['boa', `/intern/boa/opgeslagen/${policeRef}`],
      ['kcc', '/intern/kcc/opgeslagen/MB-AAAAAAAA'],
      ['coordinator', '/intern/triage/MB-AAAAAAAA'],
    ];
    for (const [who, path] of notMine) {
      const response = await world.clients[who].get(`${staff.origin}${path}`, { maxRedirects: 0, failOnStatusCode: false });
      await expectAnswer(response, { status: 404 }, `${who} GET ${path}`);
      expect(await response.text()).not.toMatch(/MB-[A-Z2-9]{8}<\/p>/);
    }
    // Refusals are logged, without content.
    expect(auditRows(staff, { actor_id: world.ids.kcc, action: 'toegang', result: 'geweigerd' }).length).toBeGreaterThanOrEqual(8 * 3);
  });

  test('POST: every handler, called directly with the server origin, for anonymous and each role', async ({ world }) => {
    const { kccRef, boaRef, policeRef, ids } = world;
    const targetId = createAccount(staff, 'kcc').id;
    const tags = Object.fromEntries(WHO.map((w) => [w, marker(`post-${w}`)])) as Record<Who, string>;
    const noMail = String(900_000_000 + Math.floor(Math.random() * 90_000_000));
    const saves = (channel: 'kcc' | 'boa' | 'politie') => ({ status: 303 as const, to: new RegExp(`^/intern/${channel}/opgeslagen/MB-[A-Z2-9]{8}$`) });
    const routes: { path: string; body: (who: Who) => FormFields; may: Role[] | 'home'; ok?: Expected }[] = [
      { path: '/intern', body: () => ({}), may: 'home' },
      { path: '/intern/kcc/melding', body: (w) => kccForm(dhrK(tags[w])), may: ['kcc', 'coordinator'], ok: saves('kcc') },
      { path: `/intern/kcc/opgeslagen/${kccRef}`, body: () => ({}), may: ['kcc', 'coordinator'] },
      { path: '/intern/boa/melding', body: (w) => boaForm(mevrB(`${tags[w]}b`)), may: ['boa', 'coordinator'], ok: saves('boa') },
      { path: `/intern/boa/opgeslagen/${boaRef}`, body: () => ({}), may: ['boa', 'coordinator'] },
      { path: '/intern/politie/melding', body: (w) => policeForm(dhrE(`${tags[w]}p`), policeFacts(`${tags[w]}p`)), may: ['kcc', 'coordinator'], ok: saves('politie') },
      // A lookup for a caller: status only (200).
      { path: '/intern/kcc/opzoeken', body: () => ({ intent: 'opzoeken', reference: policeRef.toLowerCase() }), may: ['kcc', 'coordinator'] },
      { path: '/intern/triage', body: () => ({ zoek: kccRef }), may: ['coordinator'] },
      { path: `/intern/triage/${kccRef}`, body: () => ({ intent: 'reveal' }), may: ['coordinator'] },
      { path: '/intern/beheer', body: () => ({ intent: 'disable', id: String(targetId) }), may: ['admin'] },
      { path: '/intern/beheer/logboek', body: () => ({}), may: ['admin'] },
      // No such dead letter: the admin gets the handler's 404, everyone else is stopped before it.
      { path: '/intern/beheer/mail', body: () => ({ id: noMail }), may: ['admin'], ok: { status: 404 } },
      // An empty password change: every role's own page refuses it with the field messages.
      { path: '/intern/account', body: () => ({}), may: ['kcc', 'boa', 'coordinator', 'admin'], ok: { status: 400 } },
    ];
    for (const route of routes) {
      for (const who of WHO) {
        for (const variant of variants(route.path)) {
          let expected: Expected;
          if (!variant.same) expected = { status: 404 };
          else if (who === 'anonymous') expected = { status: 303, to: '/intern/inloggen' };
          else if (route.may === 'home') expected = { status: 303, to: HOME[who] };
          else expected = route.may.includes(who) ? (route.ok ?? { status: 200 }) : { status: 403 };
          const response = await postForm(world.clients[who], `${staff.origin}${variant.path}`, route.body(who), { origin: staff.origin });
          await expectAnswer(response, expected, `${who} POST ${variant.path}`);
        }
      }
    }
    // What got through is exactly what was allowed: reports from the allowed roles only…
    for (const who of WHO) {
      const rows = reportsContaining(staff, tags[who]);
      const count = (channel: string) => rows.filter((r) => r.channel === channel).length;
      // Three ways of writing the path reached the handler: three reports each.
      expect(count('kcc'), `${who}: KCC reports`).toBe(who === 'kcc' || who === 'coordinator' ? 3 : 0);
      expect(count('boa'), `${who}: BOA reports`).toBe(who === 'boa' || who === 'coordinator' ? 3 : 0);
      expect(count('politie'), `${who}: police reports`).toBe(who === 'kcc' || who === 'coordinator' ? 3 : 0);
      if (who !== 'anonymous') expect(rows.every((r) => r.entered_by === ids[who])).toBe(true);
    }
    // …the reporter revealed by the coordinator only, the account disabled by the admin only.
    expect(new Set(auditRows(staff, { action: 'melder_getoond', object_id: kccRef }).map((r) => r.actor_id))).toEqual(new Set([ids.coordinator]));
    expect(new Set(auditRows(staff, { action: 'account_geblokkeerd', object_id: String(targetId) }).map((r) => r.actor_id))).toEqual(new Set([ids.admin]));
    expect(new Set(auditRows(staff, { action: 'mail_opnieuw', object_id: noMail }).map((r) => r.actor_id))).toEqual(new Set([ids.admin]));

    // A form post from another site is refused, whoever is logged in.
    const foreign = await postForm(world.clients.coordinator, `${staff.origin}/intern/kcc/melding`, kccForm(dhrK(`${tags.coordinator}x`)), { origin: 'https://evil.example' });
    expect(foreign.status()).toBe(403);
    expect(reportsContaining(staff, `${tags.coordinator}x`)).toEqual([]);

    // Logging out: a POST that ends the session, for every role.
    for (const who of WHO) {
      const out = await postForm(world.clients[who], `${staff.origin}/intern/uitloggen`, {}, { origin: staff.origin });
      await expectAnswer(out, { status: 303, to: who === 'anonymous' ? '/intern/inloggen' : '/intern/inloggen?uitgelogd=1' }, `${who} POST /intern/uitloggen`);
      const after = await world.clients[who].get(`${staff.origin}/intern`, { maxRedirects: 0 });
      expect(locationPath(after), `${who} after logout`).toBe('/intern/inloggen?terug=%2Fintern');
    }
  });

  test('Astro actions: /_actions/... answers 404 to everyone', async ({ world }) => {
    for (const who of WHO) {
      for (const path of ['/_actions/anything', '/_actions/anything/', '/_actions/triage.update', '/%5Factions/anything']) {
        const get = await world.clients[who].get(`${staff.origin}${path}`, { maxRedirects: 0, failOnStatusCode: false });
        expect(get.status(), `${who} GET ${path}`).toBe(404);
        const post = await world.clients[who].post(`${staff.origin}${path}`, {
          data: JSON.stringify({ reference: world.kccRef }),
          headers: { 'Content-Type': 'application/json', Origin: staff.origin },
          maxRedirects: 0,
          failOnStatusCode: false,
        });
        expect(post.status(), `${who} POST ${path}`).toBe(404);
      }
    }
  });

  test('a KCC account opens its form and its own saved reports, nothing else under /intern', async ({ world }) => {
    const { kccRef, boaRef } = world;
    const kcc = world.clients.kcc;
    const pages = [
      '/intern/kcc/melding', `/intern/kcc/opgeslagen/${kccRef}`, '/intern/boa/melding', `/intern/boa/opgeslagen/${boaRef}`,
      `/intern/boa/opgeslagen/${kccRef}`, '/intern/triage', `/intern/triage/${kccRef}`, '/intern/beheer', '/intern/beheer/logboek',
      '/intern/beheer/mail', '/intern/monitor', '/intern/beheer/accounts', '/intern/kcc', '/intern/triage/export',
    ];
    const opened: string[] = [];
    for (const path of pages) {
      const response = await kcc.get(`${staff.origin}${path}`, { maxRedirects: 0, failOnStatusCode: false });
      expect([200, 403, 404], path).toContain(response.status());
      if (response.status() === 200) opened.push(path);
      else if (response.status() === 403) expect(await response.text()).toContain(FORBIDDEN_TEXT);
    }
    expect(opened).toEqual(['/intern/kcc/melding', `/intern/kcc/opgeslagen/${kccRef}`]);
  });
});
