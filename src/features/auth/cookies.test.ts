// In production the staff session cookie is __Host- prefixed, Secure, HttpOnly, SameSite=Strict, Path=/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir, useTempDatabase } from '#tests/support/unit-db.ts';

useTempDatabase('cookies-production');
const dir = tempDir('municipality');
const municipality = JSON.parse(readFileSync('src/platform/westerkwartier.json', 'utf8')) as Record<string, unknown>;
const file = path.join(dir, 'gemeente.json');
writeFileSync(file, JSON.stringify({ ...municipality, privacyEmail: 'privacy@gemeente.nl', coordinatorEmail: 'oggz@gemeente.nl', mailFrom: 'Meldpunt <noreply@gemeente.nl>' }));
process.env['NODE_ENV'] = 'production';
process.env['PUBLIC_URL'] = 'https://meldpunt.gemeente.nl';
process.env['MUNICIPALITY_CONFIG'] = file;

const { sessionCookieName, setSessionCookie, clearSessionCookie } = await import('./cookies.server.ts');

test('production session cookie: __Host- prefix, Secure, HttpOnly, SameSite=Strict, Path=/', () => {
  const calls: { name: string; value: string; options: Record<string, unknown> }[] = [];
  const cookies = {
    set: (name: string, value: string, options: Record<string, unknown>) => calls.push({ name, value, options }),
    delete: (name: string, options: Record<string, unknown>) => calls.push({ name, value: '', options }),
  } as unknown as Parameters<typeof setSessionCookie>[0];
  assert.equal(sessionCookieName(), '__Host-mb_sessie');
  setSessionCookie(cookies, 'token');
  clearSessionCookie(cookies);
  for (const call of calls) {
    assert.equal(call.name, '__Host-mb_sessie');
    assert.deepEqual(
      { path: call.options['path'], secure: call.options['secure'], httpOnly: call.options['httpOnly'], sameSite: call.options['sameSite'], domain: call.options['domain'] },
      { path: '/', secure: true, httpOnly: true, sameSite: 'strict', domain: undefined },
    );
  }
});
