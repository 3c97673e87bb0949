import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRoleMap, DEFAULT_OIDC_ROLE_MAP } from '#platform/config.ts';
import { roleFromClaim, textClaim } from './oidc.rules.ts';

const map = parseRoleMap(DEFAULT_OIDC_ROLE_MAP);

test('the role comes from the mapped claim values; none mapped is no role', () => {
  assert.equal(roleFromClaim(['meldpunt-coordinator'], map), 'coordinator');
  assert.equal(roleFromClaim('meldpunt-kcc', map), 'kcc');
  assert.equal(roleFromClaim(['Domain Users', 'meldpunt-boa'], map), 'boa');
  assert.equal(roleFromClaim(['Domain Users'], map), undefined);
  assert.equal(roleFromClaim([], map), undefined);
  assert.equal(roleFromClaim(undefined, map), undefined);
  assert.equal(roleFromClaim([{ role: 'meldpunt-admin' }], map), undefined);
  // Several mapped values: the order of OIDC_ROLE_MAP decides.
  assert.equal(roleFromClaim(['meldpunt-admin', 'meldpunt-kcc'], map), 'kcc');
  assert.equal(roleFromClaim(['meldpunt-admin', 'meldpunt-kcc'], parseRoleMap('meldpunt-admin=admin,meldpunt-kcc=kcc')), 'admin');
});

test('text claims are trimmed and cut', () => {
  assert.equal(textClaim('  Karin  ', 200), 'Karin');
  assert.equal(textClaim(4711, 50), '4711');
  assert.equal(textClaim('', 50), undefined);
  assert.equal(textClaim(['x'], 50), undefined);
  assert.equal(textClaim('x'.repeat(300), 200)?.length, 200);
});
