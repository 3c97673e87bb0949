import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldAddition, lookupUrl, matchAddition, readAnswer } from './pdok.rules.ts';
import { PDOK_ADDRESSES } from '#tests/support/pdok-stub.ts';

/** Reading PDOK Locatieserver's answers and asking it the right question, without I/O. */

const envelope = (docs: unknown[]) => ({ response: { numFound: docs.length, start: 0, maxScore: 1, numFoundExact: true, docs } });

test('the question: postcode and house number as filter queries, only the fields needed', () => {
  const url = new URL(lookupUrl('https://api.pdok.nl/bzk/locatieserver/search/v3_1/', '9801ZZ', '12'));
  assert.equal(url.pathname, '/bzk/locatieserver/search/v3_1/free');
  assert.deepEqual(url.searchParams.getAll('fq'), ['type:adres', 'postcode:9801ZZ', 'huisnummer:12']);
  assert.match(url.searchParams.get('fl')!, /^type weergavenaam straatnaam .*nummeraanduiding_id adresseerbaarobject_id$/);
  assert.doesNotMatch(url.searchParams.get('fl')!, /centroide|provincie/);
});

test('an answer: letters and additions joined, codes without GM, documents of another type or incomplete left out', () => {
  const docs = PDOK_ADDRESSES['9351XY|14']!;
  const read = readAnswer(envelope([...docs, { type: 'postcode', weergavenaam: '9351XY' }, { ...docs[0], nummeraanduiding_id: undefined }]))!;
  assert.deepEqual(read.map((a) => [a.addition, a.nummeraanduidingId]), [['', '1969200000035014'], ['1', '1969200000035017'], ['A', '1969200000035015'], ['B', '1969200000035016']]);
  assert.equal(readAnswer(envelope([{ ...docs[0], gemeentecode: 'GM1969', huisnummer: '14', huisletter: 'C', huisnummertoevoeging: '2' }]))![0]!.addition, 'C-2');
  assert.equal(readAnswer(envelope([{ ...docs[0], gemeentecode: 'GM1969' }]))![0]!.municipalityCode, '1969');
  assert.deepEqual(readAnswer(envelope([])), []);
});

test('not an answer: undefined (the service counts as unreachable)', () => {
  for (const bad of [null, 'oops', {}, { response: {} }, { response: { numFound: 1, docs: 'x' } }]) assert.equal(readAnswer(bad), undefined, JSON.stringify(bad));
});

test('the typed addition picks one address only when exactly one matches', () => {
  const all = readAnswer(envelope(PDOK_ADDRESSES['9351XY|14']!))!;
  assert.equal(matchAddition(all, 'b')?.addition, 'B');
  assert.equal(matchAddition(all, ' 1 ')?.addition, '1');
  assert.equal(matchAddition(all, ''), undefined);
  assert.equal(matchAddition(all, 'C'), undefined);
  assert.equal(matchAddition(all.slice(0, 1), 'Z')?.addition, '', 'a single address is the address, whatever was typed');
  assert.equal(foldAddition('A-2'), foldAddition('a 2'));
});
