// The login and account forms, from posted form data to the schemas, without a server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStep, readFields } from '#lib/forms.ts';
import { accountFields, accountSchema, EMAIL_TAKEN, passwordAccountSchema } from './accounts.schema.ts';
import { LOGIN_FAILED, loginFields, loginSchema } from './login.schema.ts';
import { secretInGroups } from './credentials.schema.ts';

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};

test('login: e-mail and password filled in; the e-mail as typed, cut at 254 characters; the password untouched', () => {
  assert.deepEqual(loginFields.map((f) => f.label), ['E-mailadres', 'Wachtwoord', 'Code']);
  const ok = parseStep(loginSchema, readFields(form({ email: ' Kcc@Gemeente.nl ', password: ' lange zin ', code: '123 456' }), loginFields));
  assert.deepEqual(ok, { ok: true, data: { email: ' Kcc@Gemeente.nl ', password: ' lange zin ', code: '123456' } });
  const long = parseStep(loginSchema, { email: 'a'.repeat(300), password: 'x' });
  assert.equal(long.ok && long.data.email.length, 254);
  for (const raw of [{ email: '', password: 'x' }, { email: 'a@b.nl', password: '' }, {}]) {
    const refused = parseStep(loginSchema, raw);
    assert.equal(refused.ok, false);
    // One message whatever is missing: the page shows LOGIN_FAILED only.
    if (!refused.ok) for (const message of Object.values(refused.errors)) assert.equal(message, LOGIN_FAILED);
  }
});

test('login: what cannot be a code is not refused by the form but counted as a wrong code', () => {
  for (const code of ['', '12345', '1234567', '12345a', '１２３４５６']) {
    assert.deepEqual(parseStep(loginSchema, { email: 'a@b.nl', password: 'x', code }), { ok: true, data: { email: 'a@b.nl', password: 'x', code: undefined } }, code);
  }
});

test('the secret in groups of four, for typing', () => {
  assert.equal(secretInGroups('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), 'ABCD EFGH IJKL MNOP QRST UVWX YZ23 4567');
  assert.equal(secretInGroups('ABCDEF'), 'ABCD EF');
});

test('new account: exact labels (no password: the admin invites), Dutch messages per field', () => {
  assert.deepEqual(accountFields.map((f) => f.label), ['E-mailadres', 'Naam', 'Rol', 'Dienstnummer']);
  const refused = parseStep(accountSchema, { email: 'geen adres', name: '', role: 'baas', serviceNumber: 'x'.repeat(51), password: '' });
  assert.deepEqual(refused, {
    ok: false,
    errors: {
      email: 'Vul een e-mailadres in zoals naam@gemeente.nl',
      name: 'Vul de naam in',
      role: 'Kies een rol',
      serviceNumber: 'Gebruik maximaal 50 tekens',
    },
  });
  // user:add: the password is checked once the other fields are right.
  assert.deepEqual(parseStep(passwordAccountSchema, { email: 'p.jansen@gemeente.nl', name: 'P. Jansen', role: 'boa', serviceNumber: '', password: 'kort' }), {
    ok: false,
    errors: { password: 'Gebruik een wachtwoord van minstens 12 tekens' },
  });
  assert.deepEqual(parseStep(passwordAccountSchema, { email: 'p.jansen@gemeente.nl', name: 'P. Jansen', role: 'boa', serviceNumber: '', password: 'wachtwoord1234' }), {
    ok: false,
    errors: { password: 'Dit wachtwoord wordt te vaak gebruikt. Kies een ander wachtwoord' },
  });
  const ok = parseStep(passwordAccountSchema, { email: ' P.Jansen@Gemeente.nl ', name: ' P. Jansen ', role: 'boa', serviceNumber: ' B-12 ', password: 'een lange eigen zin' });
  assert.deepEqual(ok, { ok: true, data: { email: 'p.jansen@gemeente.nl', name: 'P. Jansen', role: 'boa', serviceNumber: 'B-12', password: 'een lange eigen zin' } });
  assert.equal(EMAIL_TAKEN, 'Er is al een account met dit e-mailadres');
});
