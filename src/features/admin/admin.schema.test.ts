// The admin pages' small forms, from posted form data to the schemas, without a server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStep, readFields } from '#lib/forms.ts';
import { accountActionFields, accountTargetSchema, ADMIN_MESSAGES, intentSchema, mailRetryFields, mailRetrySchema, roleChangeSchema } from './admin.schema.ts';

const posted = (fields: Record<string, string>, names = accountActionFields) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return readFields(data, names);
};

test('intent: one of the five forms, else "Onbekende actie."', () => {
  for (const intent of ['create', 'disable', 'enable', 'reset2fa', 'role']) assert.equal(parseStep(intentSchema, posted({ intent })).ok, true, intent);
  assert.deepEqual(parseStep(intentSchema, posted({ intent: 'drop' })), { ok: false, errors: { intent: 'Onbekende actie.' } });
  assert.deepEqual(parseStep(intentSchema, posted({})), { ok: false, errors: { intent: 'Onbekende actie.' } });
});

test('account id: a number (a missing one is 0, which names no account); not a number: "Dit account bestaat niet."', () => {
  assert.deepEqual(parseStep(accountTargetSchema, posted({ id: '12' })), { ok: true, data: { id: 12 } });
  assert.deepEqual(parseStep(accountTargetSchema, posted({})), { ok: true, data: { id: 0 } });
  assert.deepEqual(parseStep(accountTargetSchema, posted({ id: 'abc' })), { ok: false, errors: { id: ADMIN_MESSAGES.notFound } });
});

test('role change: an existing role ("Kies een bestaande rol."), then the account', () => {
  assert.deepEqual(parseStep(roleChangeSchema, posted({ id: '3', role: 'coordinator' })), { ok: true, data: { id: 3, role: 'coordinator' } });
  assert.deepEqual(parseStep(roleChangeSchema, posted({ id: '3', role: 'baas' })), { ok: false, errors: { role: 'Kies een bestaande rol.' } });
  // A second value is ignored, as a browser sends one.
  const twice = new FormData();
  twice.append('role', 'kcc');
  twice.append('role', 'admin');
  twice.append('id', '3');
  assert.deepEqual(parseStep(roleChangeSchema, readFields(twice, accountActionFields)), { ok: true, data: { id: 3, role: 'kcc' } });
});

test('mail retry: a whole number, else the dead letter is not there', () => {
  assert.deepEqual(parseStep(mailRetrySchema, posted({ id: '7' }, mailRetryFields)), { ok: true, data: { id: 7 } });
  for (const id of ['1.5', 'x', 'Infinity']) {
    assert.deepEqual(parseStep(mailRetrySchema, posted({ id }, mailRetryFields)), { ok: false, errors: { id: 'Deze e-mail staat niet (meer) bij de onbezorgde e-mails.' } }, id);
  }
});

test('new account: an e-mail address over 254 characters gets a Dutch message', async () => {
  const { accountSchema } = await import('#features/auth/accounts.schema.ts');
  const email = `${'a'.repeat(250)}@gemeente.nl`;
  const parsed = parseStep(accountSchema, { email, name: 'Karin Jansen', role: 'kcc', serviceNumber: '', password: 'lang genoeg wachtwoord 77' });
  assert.equal(parsed.ok, false);
  assert.equal(!parsed.ok && parsed.errors['email'], 'Gebruik maximaal 254 tekens');
});
