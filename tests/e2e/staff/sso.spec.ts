// Single sign-on (spec §6a, security guide; testing guide "Single sign-on in tests") against a real
// local OpenID provider (tests/support/oidc-provider.ts, oidc-provider 9): the role from the provider's
// claim at every login, no role refused with the spec's message, a role taken away between two logins,
// a tampered state, logout at the portal and the provider, accounts keyed by issuer and sub, the
// admin's list, the role matrix with single sign-on accounts, and LOCAL_LOGIN=off. Audited; axe.
import { request, type Page } from '@playwright/test';
import {
  OIDC_ORIGIN,
  auditRows,
  createAccount,
  expect,
  expectNoAxeViolations,
  marker,
  postForm,
  servers,
  submit,
  test,
  withDb,
  withSession,
  type Server,
  type StaffRole,
} from '../fixtures.ts';
import { codeFor, postLogin } from './staff-utils.ts';

const sso = servers.sso;
const only = servers.ssoOnly;
const BUTTON = 'Inloggen met uw organisatie-account';
const NO_ROLE = 'Uw account heeft geen toegang tot het meldpunt. Vraag het aan bij uw functioneel beheerder.';
const FAILED = 'Inloggen met uw organisatie-account is niet gelukt. Probeer het opnieuw.';
const PROVIDER_ROLE: Record<StaffRole, string> = { kcc: 'meldpunt-kcc', boa: 'meldpunt-boa', coordinator: 'meldpunt-coordinator', admin: 'meldpunt-admin' };
const HOME: Record<StaffRole, string> = { kcc: '/intern/kcc/melding', boa: '/intern/boa/melding', coordinator: '/intern/triage', admin: '/intern/beheer' };
test.describe.configure({ timeout: 90_000 });

interface Person {
  sub: string;
  name: string;
  email: string;
}

/** Tells the provider what it says about `person` at their next login. */
async function atProvider(person: Person, roles: string[], extra: { dienstnummer?: string } = {}): Promise<void> {
  const req = await request.newContext();
  const answer = await req.post(`${OIDC_ORIGIN}/test/accounts`, { data: { ...person, roles, ...extra } });
  expect(answer.status()).toBe(204);
  await req.dispose();
}

function newPerson(prefix = 'sso'): Person {
  const id = marker(prefix);
  return { sub: id, name: `Medewerker ${id}`, email: `${id}@organisatie.example` };
}

/**
 * Clicks the single sign-on button on `srv`'s login page; at the provider, logs in as `person` when it asks
 * (it does not while its own session lasts). Ends back at the portal, on the page it shows.
 */
async function ssoLogin(page: Page, srv: Server, person: Person, path = '/intern/inloggen'): Promise<void> {
  await page.goto(`${srv.origin}${path}`);
  await page.getByRole('link', { name: BUTTON }).click();
  await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(new RegExp(`^(${OIDC_ORIGIN}/interaction/|${srv.origin}/intern/(?!inloggen$))`));
  if (page.url().startsWith(OIDC_ORIGIN)) {
    await page.locator('input[name="login"]').fill(person.sub);
    await page.locator('input[name="password"]').fill('wat dan ook');
    await page.getByRole('button', { name: 'Sign-in' }).click();
  }
  await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(new RegExp(`^${srv.origin}/intern/(?!inloggen/organisatie)`));
}

function userBySub(srv: Server, sub: string): { id: number; email: string; name: string; role: string; service_number: string | null; oidc_issuer: string; password_hash: string; totp_secret: string } | undefined {
  return withDb(srv, (db) => db.prepare('SELECT * FROM users WHERE oidc_subject = ?').get(sub) as never);
}

async function sessionCookie(page: Page): Promise<string | undefined> {
  return (await page.context().cookies()).find((c) => c.name === 'mb_sessie')?.value;
}

async function openWith(srv: Server, token: string, path: string): Promise<number> {
  const req = await request.newContext({ extraHTTPHeaders: { Cookie: `mb_sessie=${token}` } });
  try {
    return (await req.get(`${srv.origin}${path}`, { maxRedirects: 0 })).status();
  } finally {
    await req.dispose();
  }
}

test.describe('single sign-on', () => {
  test('a mapped role: one click and in, with the role, name and e-mail from the provider; audited; an account by issuer and sub', async ({ page }) => {
    const person = newPerson();
    await atProvider(person, ['Domain Users', PROVIDER_ROLE.coordinator]);
    await page.goto(`${sso.origin}/intern/inloggen`);
    // Password accounts stay on beside it here.
    await expect(page.getByLabel('Wachtwoord', { exact: true })).toBeVisible();
    await expectNoAxeViolations(page, 'login page with single sign-on');
    await ssoLogin(page, sso, person);
    await expect(page).toHaveURL(`${sso.origin}/intern/triage`);
    await expect(page.getByRole('navigation', { name: 'Menu medewerkers' })).toContainText(`${person.name} (OGGz-coördinator)`);
    // A single sign-on account changes no password here.
    await expect(page.getByRole('link', { name: 'Mijn account' })).toHaveCount(0);
    const user = userBySub(sso, person.sub)!;
    expect(user).toMatchObject({ email: person.email, name: person.name, role: 'coordinator', oidc_issuer: OIDC_ORIGIN, password_hash: '', totp_secret: '' });
    expect(auditRows(sso, { action: 'inloggen_sso', actor_id: user.id, result: 'gelukt' })).toHaveLength(1);
    // A new coordinator: the coordinators' mailbox hears of it.
    expect(auditRows(sso, { action: 'coordinatorrol_gemeld', object_id: String(user.id) })).toHaveLength(1);

    // The cookie of the login in progress is gone.
    expect((await page.context().cookies()).filter((c) => c.name === 'mb_sso')).toEqual([]);

    // A password account with the same e-mail address is another account: staff are known by issuer and sub, never by e-mail.
    const local = createAccount(sso, 'kcc');
    const twin = { sub: marker('tweeling'), name: 'Tweeling', email: local.email };
    await atProvider(twin, [PROVIDER_ROLE.boa]);
    // Another person at this computer: no portal session and no provider session left.
    await page.context().clearCookies();
    await ssoLogin(page, sso, twin);
    await expect(page).toHaveURL(`${sso.origin}/intern/boa/melding`);
    expect(userBySub(sso, twin.sub)!.id).not.toBe(local.id);
    const req = await request.newContext();
    expect((await postLogin(req, sso, { email: local.email, password: local.password, code: codeFor(local) })).status()).toBe(303);
    expect(new URL((await req.get(`${sso.origin}/intern`, { maxRedirects: 0 })).headers()['location']!, sso.origin).pathname).toBe('/intern/kcc/melding');
    await req.dispose();
  });

  test('no role: refused with the spec\'s message, audited; a role taken away between two logins ends the session and refuses', async ({ page }) => {
    const nobody = newPerson('geenrol');
    await atProvider(nobody, ['Domain Users']);
    await ssoLogin(page, sso, nobody);
    await expect(page.getByRole('alert')).toHaveText(NO_ROLE);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inloggen niet gelukt');
    expect(await sessionCookie(page)).toBeUndefined();
    expect(userBySub(sso, nobody.sub)).toBeUndefined();
    expect(auditRows(sso, { action: 'inloggen_sso', result: 'geweigerd', detail: 'geen rol voor het meldpunt' }).length).toBeGreaterThan(0);
    await expectNoAxeViolations(page, 'single sign-on refused');

    await page.context().clearCookies();
    const person = newPerson('weg');
    await atProvider(person, [PROVIDER_ROLE.kcc]);
    await ssoLogin(page, sso, person);
    await expect(page).toHaveURL(`${sso.origin}/intern/kcc/melding`);
    const first = (await sessionCookie(page))!;
    const id = userBySub(sso, person.sub)!.id;

    // At the provider the role goes; the next login (the provider does not even ask again) is refused.
    await atProvider(person, []);
    await ssoLogin(page, sso, person);
    await expect(page.getByRole('alert')).toHaveText(NO_ROLE);
    expect(await openWith(sso, first, '/intern/kcc/melding')).toBe(303);
    expect(auditRows(sso, { action: 'inloggen_sso', actor_id: id, result: 'geweigerd' })).toHaveLength(1);

    // The role back, another one: the portal follows the provider at every login.
    await atProvider(person, [PROVIDER_ROLE.boa]);
    await ssoLogin(page, sso, person);
    await expect(page).toHaveURL(`${sso.origin}/intern/boa/melding`);
    expect(userBySub(sso, person.sub)!.role).toBe('boa');
  });

  test('a tampered state is refused and audited; the login in progress is then used up; a callback without one is refused', async ({ page }) => {
    const person = newPerson('state');
    await atProvider(person, [PROVIDER_ROLE.coordinator]);
    // The browser's way through the provider, by hand, stopping where the provider sends it back.
    const req = await request.newContext();
    let next = `${sso.origin}/intern/inloggen/organisatie`;
    for (let hop = 0; hop < 10 && !next.startsWith(`${sso.origin}/intern/inloggen/oidc`); hop++) {
      let answer = await req.get(next, { maxRedirects: 0 });
      if (answer.status() === 200 && next.includes('/interaction/')) {
        // The provider's login form: any login name.
        const action = /action="([^"]+)"/.exec(await answer.text())![1]!;
        answer = await req.post(new URL(action, OIDC_ORIGIN).href, { form: { prompt: 'login', login: person.sub, password: 'wat dan ook' }, maxRedirects: 0 });
      }
      expect([302, 303], `${next}: ${answer.status()}`).toContain(answer.status());
      next = new URL(answer.headers()['location']!, next).href;
    }
    const callback = new URL(next);
    expect(callback.searchParams.get('code')).toBeTruthy();
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')}x`);

    const refused = await req.get(tampered.href, { maxRedirects: 0 });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain(FAILED);
    expect(refused.headersArray().some((h) => h.name.toLowerCase() === 'set-cookie' && h.value.startsWith('mb_sessie=') && !h.value.startsWith('mb_sessie=;'))).toBe(false);
    expect(userBySub(sso, person.sub)).toBeUndefined();
    expect(auditRows(sso, { action: 'inloggen_sso', result: 'mislukt' }).some((r) => r.detail?.startsWith('geweigerd door controle'))).toBe(true);
    // The real answer afterwards does not work either: the login in progress was used up.
    const replayed = await req.get(callback.href, { maxRedirects: 0 });
    expect(replayed.status()).toBe(400);
    expect(userBySub(sso, person.sub)).toBeUndefined();
    await req.dispose();

    // A callback in a browser with no login in progress.
    const bare = await page.goto(`${sso.origin}/intern/inloggen/oidc?code=abc&state=def&iss=${encodeURIComponent(OIDC_ORIGIN)}`);
    expect(bare!.status()).toBe(400);
    await expect(page.getByRole('alert')).toHaveText(FAILED);
    await expectNoAxeViolations(page, 'single sign-on failed');
    expect(auditRows(sso, { action: 'inloggen_sso', result: 'mislukt', detail: 'geen lopende inlogpoging' }).length).toBeGreaterThan(0);
  });

  test('logout ends the portal session and the provider\'s', async ({ page }) => {
    const person = newPerson('uit');
    await atProvider(person, [PROVIDER_ROLE.admin]);
    await ssoLogin(page, sso, person);
    await expect(page).toHaveURL(`${sso.origin}/intern/beheer`);
    const token = (await sessionCookie(page))!;
    const out = await submit(page, 'Uitloggen');
    expect(out.status()).toBe(200);
    // The portal's session has ended; the page goes on to the provider's end-session (a meta refresh, no script).
    expect(await openWith(sso, token, '/intern/beheer')).toBe(303);
    await expect(page).toHaveURL(new RegExp(`^${OIDC_ORIGIN}/session/end`));
    // The provider asks to confirm its own logout, then sends the browser back.
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expect(page).toHaveURL(`${sso.origin}/intern/inloggen?uitgelogd=1`);
    await expect(page.getByRole('status')).toHaveText('U bent uitgelogd.');
    expect(await openWith(sso, token, '/intern/beheer')).toBe(303);
    expect(auditRows(sso, { action: 'uitloggen', actor_id: userBySub(sso, person.sub)!.id })).toHaveLength(1);
    // The provider's session has ended too: it asks for the login again.
    await page.getByRole('link', { name: BUTTON }).click();
    await expect(page.locator('input[name="login"]')).toBeVisible();
  });

  test('the role matrix with single sign-on accounts; the admin\'s list shows them read-only, with the service number', async ({ browser }) => {
    const routes = ['/intern/kcc/melding', '/intern/boa/melding', '/intern/triage', '/intern/monitor', '/intern/casussen', '/intern/beheer', '/intern/beheer/logboek'];
    const may: Record<StaffRole, string[]> = {
      kcc: ['/intern/kcc/melding'],
      boa: ['/intern/boa/melding'],
      coordinator: ['/intern/kcc/melding', '/intern/boa/melding', '/intern/triage', '/intern/monitor', '/intern/casussen'],
      admin: ['/intern/beheer', '/intern/beheer/logboek'],
    };
    const people: Partial<Record<StaffRole, Person>> = {};
    let adminPage: Page | undefined;
    for (const role of ['kcc', 'boa', 'coordinator', 'admin'] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const person = newPerson(role);
      people[role] = person;
      await atProvider(person, [PROVIDER_ROLE[role]], role === 'boa' ? { dienstnummer: 'BOA-7788' } : {});
      await ssoLogin(page, only, person);
      await expect(page).toHaveURL(`${only.origin}${HOME[role]}`);
      for (const route of routes) {
        const status = (await page.request.get(`${only.origin}${route}`, { maxRedirects: 0 })).status();
        expect(status, `${role} ${route}`).toBe(may[role].includes(route) ? 200 : 403);
      }
      if (role === 'admin') adminPage = page;
      else await context.close();
    }
    expect(userBySub(only, people.boa!.sub)!.service_number).toBe('BOA-7788');

    // The admin's list: identity and role from the provider, read-only; a service number can be set.
    const page = adminPage!;
    await page.goto(`${only.origin}/intern/beheer`);
    await expect(page.getByRole('region', { name: 'Nieuw account' })).toHaveCount(0);
    await expect(page.getByText('Accounts met een wachtwoord staan uit')).toBeVisible();
    const kcc = people.kcc!;
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: kcc.email, exact: true }) });
    await expect(row.getByRole('cell')).toHaveText([kcc.name, kcc.email, 'KCC-medewerker', 'Organisatie-account', 'Actief', /Blokkeren/]);
    await expect(row.getByLabel(`Rol van ${kcc.name}`)).toHaveCount(0);
    await expect(row.getByRole('button', { name: /Tweede factor opnieuw|Wachtwoord opnieuw instellen/ })).toHaveCount(0);
    await expectNoAxeViolations(page, 'admin page with single sign-on accounts');
    // A forged role change of a single sign-on account is refused: its role is the provider's.
    const kccId = String(userBySub(only, kcc.sub)!.id);
    expect((await postForm(page.request, `${only.origin}/intern/beheer`, { intent: 'role', id: kccId, role: 'coordinator' }, { origin: only.origin })).status()).toBe(404);
    expect((await postForm(page.request, `${only.origin}/intern/beheer`, { intent: 'resetPassword', id: kccId }, { origin: only.origin })).status()).toBe(400);
    expect(userBySub(only, kcc.sub)!.role).toBe('kcc');

    const boa = people.boa!;
    const boaRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: boa.email, exact: true }) });
    await boaRow.getByLabel(`Dienstnummer van ${boa.name}`).fill('BOA-9900');
    expect((await submit(page, 'Dienstnummer opslaan', boaRow)).status()).toBe(200);
    await expect(page.getByRole('status')).toHaveText('Het dienstnummer is opgeslagen.');
    expect(userBySub(only, boa.sub)!.service_number).toBe('BOA-9900');
    await page.context().close();
  });

  test('LOCAL_LOGIN=off: no password field, its POST refused, no reset or invitation pages', async ({ page, request: req }) => {
    await page.goto(`${only.origin}/intern/inloggen`);
    await expect(page.getByRole('link', { name: BUTTON })).toBeVisible();
    await expect(page.getByLabel('Wachtwoord', { exact: true })).toHaveCount(0);
    await expect(page.locator('input[type="password"]')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Wachtwoord vergeten?' })).toHaveCount(0);
    await expectNoAxeViolations(page, 'login page, single sign-on only');

    // Even an account made at the command line with a password cannot log in with it.
    const local = createAccount(only, 'coordinator');
    const posted = await postLogin(req, only, { email: local.email, password: local.password, code: codeFor(local) });
    expect(posted.status()).toBe(404);
    expect(posted.headers()['set-cookie']).toBeUndefined();
    expect(auditRows(only, { action: 'inloggen', actor_id: local.id })).toHaveLength(0);
    for (const path of ['/intern/wachtwoord-vergeten', '/intern/wachtwoord-instellen?sleutel=x', '/intern/welkom?sleutel=x']) {
      expect((await req.get(`${only.origin}${path}`)).status(), path).toBe(404);
    }
    expect((await postForm(req, `${only.origin}/intern/wachtwoord-vergeten`, { email: local.email }, { origin: only.origin })).status()).toBe(404);
    // A session of that account (as one begun before the switch) opens nothing: back to the login page.
    await withSession(page, only, local);
    await page.goto(`${only.origin}/intern/triage`);
    await expect(page).toHaveURL(new RegExp(`^${only.origin}/intern/inloggen`));
    withDb(only, (db) => expect(db.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(local.id)).toBe(0));
  });
});
