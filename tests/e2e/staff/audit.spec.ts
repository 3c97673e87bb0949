// The audit log (spec §8, security guide "Privacy"): append-only, enforced by the database; one
// complete row per audited action (actor, role, action, object, UTC time, result), on whose behalf
// for KCC, and never report text.
import { request } from '@playwright/test';
import Database from 'better-sqlite3';
import { dhrK, kccForm } from '../../fixtures/cases.ts';
import { auditRows, createAccount, expect, locationPath, marker, postForm, servers, test, userByEmail, type AuditRow } from '../fixtures.ts';
import { codeFor, postLogin, requestLoggedInByCode, wrongCode } from './staff-utils.ts';

const staff = servers.staff;

/** A row is complete: who (id where known), role, action, object, UTC time of now, result, address. */
function expectComplete(row: AuditRow, what: string): void {
  expect(row.at, what).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  expect(Math.abs(Date.parse(row.at) - Date.now()), `${what}: time`).toBeLessThan(5 * 60_000);
  expect(row.actor_role, what).toMatch(/^(kcc|boa|coordinator|admin|systeem|onbekend)$/);
  expect(row.action, what).not.toBe('');
  expect(row.object_type, what).not.toBeNull();
  expect(row.result, what).toMatch(/^(gelukt|mislukt|geweigerd)$/);
}

function one(where: Parameters<typeof auditRows>[1], what: string): AuditRow {
  const rows = auditRows(staff, where);
  expect(rows, what).toHaveLength(1);
  expectComplete(rows[0]!, what);
  return rows[0]!;
}

test.describe('audit log', () => {
  test('the database refuses UPDATE and DELETE on audit_log', async () => {
    const account = createAccount(staff, 'boa');
    const id = userByEmail(staff, account.email)!.id;
    const row = one({ action: 'account_aangemaakt', object_id: String(id) }, 'account created by user:add');
    expect(row).toMatchObject({ actor_id: null, actor_role: 'systeem', object_type: 'account', result: 'gelukt' });

    const db = new Database(staff.dbPath, { fileMustExist: true, timeout: 10_000 });
    try {
      const before = db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
      expect(() => db.prepare("UPDATE audit_log SET result = 'mislukt' WHERE id = ?").run(row.id)).toThrow(/audit_log is append-only/);
      expect(() => db.prepare('UPDATE audit_log SET detail = NULL').run()).toThrow(/audit_log is append-only/);
      expect(() => db.prepare('DELETE FROM audit_log WHERE id = ?').run(row.id)).toThrow(/audit_log is append-only/);
      expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/audit_log is append-only/);
      const after = db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
      expect(after.n).toBeGreaterThanOrEqual(before.n);
    } finally {
      db.close();
    }
    expect(auditRows(staff, { id: row.id })).toEqual([row]);
  });

  test('one complete row per action: login, failed logins, account created and disabled, report created for a caller, logout; no report text', async () => {
    const admin = createAccount(staff, 'admin');
    const adminId = userByEmail(staff, admin.email)!.id;
    const kcc = createAccount(staff, 'kcc');
    const kccId = userByEmail(staff, kcc.email)!.id;
    const tag = marker('audit');

    // Login success.
    const adminClient = await requestLoggedInByCode(staff, admin);
    expect(one({ action: 'inloggen', actor_id: adminId }, 'login')).toMatchObject({ actor_role: 'admin', object_type: 'sessie', result: 'gelukt', on_behalf_of: null });

    // Login failures: a wrong password, then a wrong code.
    const kccClient = await request.newContext({ baseURL: staff.origin });
    const wrongPassword = `${kcc.password} ${tag}`;
    const refused = await postLogin(kccClient, staff, { email: kcc.email, password: wrongPassword, code: codeFor(kcc) });
    expect(refused.status()).toBe(400);
    expect(one({ action: 'inloggen_wachtwoord', actor_id: kccId }, 'wrong password')).toMatchObject({ actor_role: 'kcc', object_type: 'sessie', result: 'mislukt' });
    const badCode = await postLogin(kccClient, staff, { email: kcc.email, password: kcc.password, code: wrongCode(kcc) });
    expect(badCode.status()).toBe(400);
    expect(one({ action: 'inloggen_code', actor_id: kccId }, 'wrong code')).toMatchObject({ actor_role: 'kcc', result: 'mislukt' });
    const code = await postLogin(kccClient, staff, { email: kcc.email, password: kcc.password, code: codeFor(kcc) });
    expect(code.status()).toBe(303);
    one({ action: 'inloggen', actor_id: kccId }, 'kcc login');

    // Account created and disabled on the admin page.
    const id = marker('nieuw');
    const email = `${id}@test.example`;
    const created = await postForm(adminClient, `${staff.origin}/intern/beheer`, {
      intent: 'create', email, name: `Nieuwe collega ${id}`, role: 'boa', serviceNumber: '',
    }, { origin: staff.origin });
    expect(created.status()).toBe(200);
    const newId = userByEmail(staff, email)!.id;
    expect(one({ action: 'account_aangemaakt', object_id: String(newId) }, 'account created')).toMatchObject({
      actor_id: adminId, actor_role: 'admin', object_type: 'account', result: 'gelukt',
    });
    const disabled = await postForm(adminClient, `${staff.origin}/intern/beheer`, { intent: 'disable', id: String(newId) }, { origin: staff.origin });
    expect(disabled.status()).toBe(200);
    expect(one({ action: 'account_geblokkeerd', object_id: String(newId) }, 'account disabled')).toMatchObject({
      actor_id: adminId, actor_role: 'admin', object_type: 'account', result: 'gelukt',
    });

    // A report on a caller's behalf (Dhr. K.'s daughter), with the marker in the description, the names and the address.
    const kase = dhrK(tag);
    const saved = await postForm(kccClient, `${staff.origin}/intern/kcc/melding`, kccForm(kase, { street: `Brandstraat${tag}` }), { origin: staff.origin });
    expect(saved.status()).toBe(303);
    const reference = /MB-[A-Z2-9]{8}$/.exec(locationPath(saved))![0];
    expect(one({ action: 'melding_aangemaakt', object_id: reference }, 'report created')).toMatchObject({
      actor_id: kccId, actor_role: 'kcc', object_type: 'melding', result: 'gelukt', on_behalf_of: 'beller',
    });

    // Logout.
    const out = await postForm(kccClient, `${staff.origin}/intern/uitloggen`, {}, { origin: staff.origin });
    expect(out.status()).toBe(303);
    expect(one({ action: 'uitloggen', actor_id: kccId }, 'logout')).toMatchObject({ actor_role: 'kcc', object_type: 'sessie', result: 'gelukt' });

    await adminClient.dispose();
    await kccClient.dispose();

    // Neither the report's text, the names, nor the wrong password is anywhere in the log.
    const mine = [...auditRows(staff, { actor_id: kccId }), ...auditRows(staff, { actor_id: adminId })];
    expect(mine.length).toBeGreaterThanOrEqual(7);
    const all = auditRows(staff, {});
    const text = all.map((r) => Object.values(r).join('|')).join('\n');
    expect(text).not.toContain(tag);
    expect(text).not.toContain('kleinkinderen');
    expect(text).not.toContain(kase.reporter.phone!);
  });
});
