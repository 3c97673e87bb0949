import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageHref, pager, wantedPage } from './paging.ts';

test('wantedPage reads ?pagina= and falls back to 1 for anything else', () => {
  assert.equal(wantedPage(new URL('http://x/l?pagina=3')), 3);
  for (const bad of ['0', '-1', 'x', '1e3', '', '9999999']) assert.equal(wantedPage(new URL(`http://x/l?pagina=${bad}`)), 1, bad);
  assert.equal(wantedPage(new URL('http://x/l')), 1);
});

test('pager: the page shown is never past the last, links only where there is a page', () => {
  const href = (p: number) => `/l?pagina=${p}`;
  assert.deepEqual(pager(0, 50, 1, href), { page: 1, pages: 1, previousHref: undefined, nextHref: undefined });
  assert.deepEqual(pager(120, 50, 2, href), { page: 2, pages: 3, previousHref: '/l?pagina=1', nextHref: '/l?pagina=3' });
  assert.deepEqual(pager(120, 50, 9, href), { page: 3, pages: 3, previousHref: '/l?pagina=2', nextHref: undefined });
});

test('pageHref keeps the filters, leaves out empty ones and the first page', () => {
  assert.equal(pageHref('/intern/casussen', { fase: 'ave3', regie: '' }, 1), '/intern/casussen?fase=ave3');
  assert.equal(pageHref('/intern/casussen', { fase: '', regie: '' }, 2), '/intern/casussen?pagina=2');
  assert.equal(pageHref('/intern/casussen', { gebied: 'Leek & Co' }, 3), '/intern/casussen?gebied=Leek+%26+Co&pagina=3');
});
