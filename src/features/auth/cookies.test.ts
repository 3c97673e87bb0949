// The staff session cookie: in production __Host- prefixed, Secure, HttpOnly, SameSite=Strict, Path=/;
// on http://localhost the same without the prefix and without Secure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearSessionCookie, sessionCookieName, sessionToken, setSessionCookie } from './cookies.server.ts';

type Cookies = Parameters<typeof setSessionCookie>[0];
interface Call {
  name: string;
  value: string;
  options: Record<string, unknown>;
}

function recorder(stored: Record<string, string> = {}): { cookies: Cookies; calls: Call[] } {
  const calls: Call[] = [];
  const cookies = {
    set: (name: string, value: string, options: Record<string, unknown>) => calls.push({ name, value, options }),
    delete: (name: string, options: Record<string, unknown>) => calls.push({ name, value: '', options }),
    get: (name: string) => (name in stored ? { value: stored[name] } : undefined),
  } as unknown as Cookies;
  return { cookies, calls };
}

const attributes = (call: Call) => ({
  path: call.options['path'],
  secure: call.options['secure'],
  httpOnly: call.options['httpOnly'],
  sameSite: call.options['sameSite'],
  domain: call.options['domain'],
});

test('production session cookie: __Host- prefix, Secure, HttpOnly, SameSite=Strict, Path=/', () => {
  const { cookies, calls } = recorder();
  assert.equal(sessionCookieName(true), '__Host-mb_sessie');
  setSessionCookie(cookies, 'token', true);
  clearSessionCookie(cookies, true);
  assert.equal(calls.length, 2);
  assert.equal(calls[0]!.value, 'token');
  for (const call of calls) {
    assert.equal(call.name, '__Host-mb_sessie');
    assert.deepEqual(attributes(call), { path: '/', secure: true, httpOnly: true, sameSite: 'strict', domain: undefined });
  }
});

test('outside production: mb_sessie, not Secure (http://localhost), otherwise the same', () => {
  const { cookies, calls } = recorder();
  assert.equal(sessionCookieName(false), 'mb_sessie');
  setSessionCookie(cookies, 'token', false);
  clearSessionCookie(cookies, false);
  assert.equal(calls.length, 2);
  for (const call of calls) {
    assert.equal(call.name, 'mb_sessie');
    assert.deepEqual(attributes(call), { path: '/', secure: false, httpOnly: true, sameSite: 'strict', domain: undefined });
  }
});

test('the token is read from the cookie of the mode the server runs in', () => {
  const { cookies } = recorder({ '__Host-mb_sessie': 'secure-token', mb_sessie: 'plain-token' });
  assert.equal(sessionToken(cookies, true), 'secure-token');
  assert.equal(sessionToken(cookies, false), 'plain-token');
  assert.equal(sessionToken(recorder().cookies, true), undefined);
});
