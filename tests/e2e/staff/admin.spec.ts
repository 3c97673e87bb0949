// The admin page /intern/beheer (spec §6, §6a): the admin never sees or chooses anyone's password or
// TOTP secret. A new account gets an invitation by e-mail (the colleague chooses a password and scans a
// QR code); `Tweede factor opnieuw` and `Wachtwoord opnieuw instellen` send links too; a role change to
// coordinator tells the coordinators' mailbox; disabling ends the sessions.
import type { Locator, Page } from '@playwright/test';
import {
  auditRows,
  createAccount,
  exactLabel as exact,
  expect,
  loginAs,
  marker,
  postForm,
  sentMail,
  servers,
  sessionsOf,
  submit,
  test,
  userByEmail,
  withDb,
  type StaffAccount,
} from '../fixtures.ts';
import { acceptInvitation, codeFor, linkInMail, loginWithRequest, mailsTo, postLogin } from './staff-utils.ts';
import { request } from '@playwright/test';

const staff = servers.staff;
// The invitation tests go through several pages and wait for the mail worker.
test.describe.configure({ timeout: 90_000 });

async function openAdmin(page: Page): Promise<StaffAccount> {
  const admin = await loginAs(page, staff, 'admin');
  await page.goto(`${staff.origin}/intern/beheer`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Beheer: accounts');
  return admin;
}

function newAccountForm(page: Page): Locator {
  return page.getByRole('region', { name: 'Nieuw account' });
}

async function fillNewAccount(page: Page, a: { email: string; name: string; role: string; serviceNumber?: string }): Promise<void> {
  const form = newAccountForm(page);
  await form.getByLabel(exact('E-mailadres')).fill(a.email);
  await form.getByLabel(exact('Naam')).fill(a.name);
  await form.getByRole('group', { name: exact('Rol') }).getByLabel(a.role, { exact: true }).check();
  if (a.serviceNumber !== undefined) await form.getByLabel(exact('Dienstnummer')).fill(a.serviceNumber);
}

/**
 * The row of an account in the table, on whichever page of the list it is. The list is shared with the
 * other worker's tests: an account they unblock moves up a place while this one pages on, so a row can slip
 * back onto a page already seen. One more pass finds it.
 */
async function accountRow(page: Page, email: string): Promise<Locator> {
  for (let pass = 0; pass < 3; pass++) {
    await page.goto(`${staff.origin}/intern/beheer`);
    for (;;) {
      const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: email, exact: true }) });
      if ((await row.count()) === 1) return row;
      const next = page.getByRole('link', { name: 'Volgende pagina' });
      if ((await next.count()) === 0) break;
      await next.click();
    }
  }
  throw new Error(`no row for ${email}`);
}

/** Tries to log in with these details on a fresh context; returns the status (303: in). */
async function tryLogin(account: { email: string; password: string }, code: string): Promise<number> {
  const req = await request.newContext({ baseURL: staff.origin });
  try {
    return (await postLogin(req, staff, { email: account.email, password: account.password, code })).status();
  } finally {
    await req.dispose();
  }
}

/** The outbox rows of a kind to a recipient's account (bodies as stored). */
/** The outbox rows of a kind, oldest first: what the worker renders the mail from (params; emptied once sent for a link), its state and Message-ID. */
function outboxRows(kind: string): { params: string; state: string; message_id: string }[] {
  return withDb(staff, (db) => db.prepare('SELECT params, state, message_id FROM outbox WHERE kind = ? ORDER BY id').all(kind) as never);
}

test.describe('admin page', () => {
  test('creates an account by invitation: no password or secret for the admin; the colleague scans the QR code and logs in', async ({ page, browser }) => {
    await openAdmin(page);
    const form = newAccountForm(page);
    // No field for a password: the admin never chooses one.
    await expect(form.getByLabel(/wachtwoord/i)).toHaveCount(0);
    const id = marker('nieuw');
    const account = { email: `${id}@test.example`, name: `Nieuwe BOA ${id}`, role: 'BOA', serviceNumber: 'BOA-1234' };
    await fillNewAccount(page, account);
    const response = await submit(page, 'Account aanmaken');
    expect(response.status()).toBe(200);
    await expect(page.getByRole('status')).toHaveText(`Account voor ${account.email} is aangemaakt. De uitnodiging is per e-mail verstuurd; de link is 72 uur geldig.`);
    const user = userByEmail(staff, account.email)!;
    expect(user).toMatchObject({ name: account.name, role: 'boa', service_number: 'BOA-1234', totp_secret: '', disabled_at: null });
    await expect(newAccountForm(page).getByLabel(exact('E-mailadres'))).toHaveValue('');
    expect(await page.content()).not.toContain('otpauth://');
    let row = await accountRow(page, account.email);
    await expect(row.getByRole('cell')).toHaveText([`${account.name} (BOA-1234)`, account.email, 'BOA', 'Wachtwoord', 'Uitgenodigd', /Blokkeren/]);
    expect(auditRows(staff, { action: 'uitnodiging_verstuurd', object_id: String(user.id) })).toHaveLength(1);

    // The link is a secret: stored sealed in the outbox while unsent, emptied once sent; the mail carries only the link.
    const link = await linkInMail(staff, account.email, 'welkom');
    const token = new URL(link).searchParams.get('sleutel')!;
    await expect.poll(() => outboxRows('invitation').every((r) => r.state !== 'sent' || r.params === '')).toBe(true);
    expect(JSON.stringify(withDb(staff, (db) => db.prepare('SELECT * FROM outbox').all()))).not.toContain(token);
    expect(JSON.stringify(withDb(staff, (db) => db.prepare('SELECT * FROM account_links').all()))).not.toContain(token);

    // Before enrolling, nobody can log in with the account.
    expect(await tryLogin({ email: account.email, password: '' }, '000000')).toBe(400);

    // The colleague, in a browser of their own.
    const theirs = await browser.newPage();
    const password = `mijn eigen zin ${marker('w')} voor het werk`;
    const secret = await acceptInvitation(theirs, link, password);
    expect(userByEmail(staff, account.email)!.totp_secret).toBe(secret);
    expect(auditRows(staff, { action: 'uitnodiging_gebruikt', object_id: String(user.id), result: 'gelukt' })).toHaveLength(1);
    // The link works once.
    const again = await theirs.goto(link);
    expect(again!.status()).toBe(410);
    await expect(theirs.getByText('Deze link werkt niet (meer).')).toBeVisible();
    await theirs.close();

    // The new account logs in with its own password and the app's code (the step after the enrolment's).
    const boa = { id: user.id, email: account.email, name: account.name, role: 'boa' as const, password, secret };
    const req = await request.newContext({ baseURL: staff.origin });
    await loginWithRequest(req, staff, boa, codeFor(boa, 1));
    const start = await req.get(`${staff.origin}/intern/boa/melding`, { maxRedirects: 0 });
    expect(start.status()).toBe(200);
    expect(await start.text()).toContain('dienstnummer BOA-1234');
    await req.dispose();

    row = await accountRow(page, account.email);
    await expect(row.getByRole('cell').nth(4)).toHaveText('Actief');
    expect(await page.content()).not.toContain(secret);
  });

  test('a new account: Dutch messages at the fields, answers kept; a taken address is refused', async ({ page }) => {
    const admin = await openAdmin(page);
    const id = marker('regels');
    await fillNewAccount(page, { email: 'geen adres', name: `Regels ${id}`, role: 'KCC-medewerker' });
    const bad = await submit(page, 'Account aanmaken');
    expect(bad.status()).toBe(400);
    await expect(page.getByText('Fout: Vul een e-mailadres in zoals naam@gemeente.nl', { exact: true })).toBeVisible();
    await expect(newAccountForm(page).getByLabel(exact('Naam'))).toHaveValue(`Regels ${id}`);
    await fillNewAccount(page, { email: admin.email, name: `Regels ${id}`, role: 'KCC-medewerker' });
    expect((await submit(page, 'Account aanmaken')).status()).toBe(400);
    await expect(page.getByText('Fout: Er is al een account met dit e-mailadres', { exact: true })).toBeVisible();
  });

  test('role to coordinator (a notice to the coordinators), Tweede factor opnieuw and Wachtwoord opnieuw instellen by link, disable: each ends the sessions', async ({ page, staffClient, browser }) => {
    const admin = await openAdmin(page);
    const target = createAccount(staff, 'kcc', { name: `Aanpassen ${marker('')}` });
    const targetId = userByEmail(staff, target.email)!.id;
    let session = await staffClient(staff, target);
    const stillIn = async () => (await session.get(`${staff.origin}/intern`, { maxRedirects: 0 })).headers()['location'];
    const notices = outboxRows('role_notice').length;

    // Role: KCC-medewerker → OGGz-coördinator; the coordinators' mailbox hears of it, without a name.
    let row = await accountRow(page, target.email);
    await row.getByLabel(`Rol van ${target.name}`).selectOption({ label: 'OGGz-coördinator' });
    expect((await submit(page, 'Rol wijzigen', row)).status()).toBe(200);
    await expect(page.getByRole('status')).toHaveText('De rol is gewijzigd.');
    expect(userByEmail(staff, target.email)!.role).toBe('coordinator');
    expect(sessionsOf(staff, targetId)).toBe(0);
    expect(await stillIn()).toMatch(/\/intern\/inloggen/);
    const roleNotices = outboxRows('role_notice');
    expect(roleNotices).toHaveLength(notices + 1);
    // As the worker renders and sends it.
    const notice = await sentMail(staff, roleNotices.at(-1)!.message_id);
    expect(notice.subject).toBe('Een account heeft de rol OGGz-coördinator gekregen');
    for (const stored of [JSON.stringify(roleNotices.at(-1)), notice.subject, notice.text, notice.html]) {
      expect(stored).not.toContain(target.name);
      expect(stored).not.toContain(target.email);
    }
    expect(auditRows(staff, { action: 'coordinatorrol_gemeld', object_id: String(targetId), actor_id: userByEmail(staff, admin.email)!.id })).toHaveLength(1);

    // Second factor: the page shows no secret; the old app stops working; a link lets the person enrol a new one.
    const coordinator = { ...target, role: 'coordinator' as const };
    session = await staffClient(staff, coordinator);
    const before = (await mailsTo(staff, target.email)).length;
    const reset = await submit(page, `Tweede factor opnieuw voor ${target.name}`);
    expect(reset.status()).toBe(200);
    await expect(page.getByRole('status')).toHaveText('De oude tweede factor werkt niet meer. De medewerker krijgt een e-mail met een link om een wachtwoord te kiezen en de app opnieuw in te stellen (72 uur geldig).');
    expect(await page.content()).not.toMatch(/otpauth:|secret=/);
    expect(userByEmail(staff, target.email)!.totp_secret).toBe('');
    expect(sessionsOf(staff, targetId)).toBe(0);
    expect(await tryLogin(target, codeFor(target))).toBe(400);
    const theirs = await browser.newPage();
    const password = `een nieuwe zin ${marker('w')} na het verlies`;
    const secret = await acceptInvitation(theirs, await linkInMail(staff, target.email, 'welkom', before), password);
    await theirs.close();
    const renewed = { ...target, password, secret };
    expect(await tryLogin(renewed, codeFor(renewed, 1))).toBe(303);
    expect(secret).not.toBe(target.secret);

    // Wachtwoord opnieuw instellen: a link by e-mail, the sessions end, nothing secret on the page.
    session = await staffClient(staff, coordinator);
    const mailsBefore = (await mailsTo(staff, target.email)).length;
    row = await accountRow(page, target.email);
    expect((await submit(page, `Wachtwoord opnieuw instellen voor ${target.name}`)).status()).toBe(200);
    await expect(page.getByRole('status')).toHaveText('Er is een e-mail met een link om een nieuw wachtwoord te kiezen verstuurd. De link is 1 uur geldig. Het account is op alle apparaten uitgelogd.');
    expect(sessionsOf(staff, targetId)).toBe(0);
    expect(await stillIn()).toMatch(/\/intern\/inloggen/);
    const resetLink = await linkInMail(staff, target.email, 'wachtwoord-instellen', mailsBefore);
    expect(await page.content()).not.toContain(new URL(resetLink).searchParams.get('sleutel')!);
    expect(auditRows(staff, { action: 'wachtwoord_herstel_gevraagd', object_id: String(targetId), detail: 'door beheerder' })).toHaveLength(1);

    // Disable: the running session ends, the list says so, logging in fails.
    session = await staffClient(staff, coordinator);
    await accountRow(page, target.email);
    const disable = await submit(page, `Blokkeren ${target.name}`);
    expect(disable.status()).toBe(200);
    await expect(page.getByRole('status')).toHaveText('Het account is geblokkeerd.');
    expect(userByEmail(staff, target.email)!.disabled_at).not.toBeNull();
    expect(sessionsOf(staff, targetId)).toBe(0);
    expect(await stillIn()).toMatch(/\/intern\/inloggen/);
    row = await accountRow(page, target.email);
    await expect(row.getByRole('cell').nth(4)).toHaveText('Geblokkeerd');
    await expect(row.getByRole('button', { name: `Deblokkeren ${target.name}` })).toBeVisible();
    expect(await tryLogin(renewed, codeFor(renewed, 2))).toBe(400);
    // The reset link of a disabled account no longer works.
    expect((await page.request.get(resetLink)).status()).toBe(410);

    // The admin's own row offers no actions; a forged post is refused.
    const own = await accountRow(page, admin.email);
    await expect(own.getByRole('button')).toHaveCount(0);
    const adminId = userByEmail(staff, admin.email)!.id;
    const self = await postForm(page.request, `${staff.origin}/intern/beheer`, { intent: 'disable', id: String(adminId) }, { origin: staff.origin });
    expect(self.status()).toBe(400);
    expect(await self.text()).toContain('U kunt uw eigen account niet blokkeren.');
    expect(userByEmail(staff, admin.email)!.disabled_at).toBeNull();
  });
});
