// The audit log's filters: what does not fit is left out, never refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditFilterFields, readAuditQuery } from './logboek.schema.ts';

test('filters from the query string: known codes, a reference or account number, dates, a page', () => {
  const q = readAuditQuery(new URLSearchParams('rol=kcc&resultaat=geweigerd&actie=toegang&object=MB-ABCDEFGH&van=2026-01-01&tot=2026-01-31&pagina=3'));
  assert.deepEqual(q, {
    filter: { role: 'kcc', result: 'geweigerd', action: 'toegang', objectId: 'MB-ABCDEFGH', from: '2026-01-01', to: '2026-01-31' },
    page: 3,
  });
});

test('what does not fit is left out: unknown codes, odd objects and dates, page numbers below 1', () => {
  const q = readAuditQuery(new URLSearchParams('rol=baas&resultaat=&object=a%20b&van=1-1-2026&tot=2026-01-32x&pagina=-2'));
  assert.deepEqual(q, { filter: { role: undefined, result: undefined, action: undefined, objectId: undefined, from: undefined, to: undefined }, page: 1 });
  assert.equal(readAuditQuery(new URLSearchParams('pagina=abc')).page, 1);
  // The first value counts, as URLSearchParams.get gives it.
  assert.equal(readAuditQuery(new URLSearchParams('rol=admin&rol=kcc')).filter.role, 'admin');
});

test('exact labels of the filter fields', () => {
  assert.deepEqual(auditFilterFields.map((f) => f.label), ['Rol', 'Resultaat', 'Handeling', 'Object (referentienummer of account)', 'Vanaf datum', 'Tot en met datum']);
});
