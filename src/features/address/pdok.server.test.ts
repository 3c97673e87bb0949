import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startPdokStub } from '#tests/support/pdok-stub.ts';
import { forgetLookups, lookupAddresses } from './pdok.server.ts';
import { checkAddress, fillFromRegister } from './address.server.ts';
import { addressNotice } from './address.rules.ts';
import { ADDRESS_MESSAGES, ADDRESS_MESSAGES_STAFF } from './address.schema.ts';
import { loadConfig } from '#platform/config.ts';

/** The address lookup against the local stand-in of PDOK Locatieserver (tests/support/pdok-stub.ts). */

let stub: Server;
let url = '';
const now = new Date('2026-11-29T10:00:00Z');
const settings = (timeoutMs = 3000) => ({ url, timeoutMs });

before(async () => {
  stub = await startPdokStub(0);
  url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/bzk/locatieserver/search/v3_1`;
});
after(() => stub.close());

describe('lookupAddresses', () => {
  test('one match: the register\'s address with its BAG identifiers and areas', async () => {
    forgetLookups();
    const result = await lookupAddresses(settings(), '9801 zz', '012', now);
    assert.equal(result.kind, 'found');
    assert.deepEqual(result.kind === 'found' && result.addresses, [
      {
        nummeraanduidingId: '1969200000081012',
        adresseerbaarobjectId: '1969010000081012',
        label: 'Hoofdstraat 12, 9801ZZ Zuidhorn',
        street: 'Hoofdstraat',
        houseNumber: '12',
        addition: '',
        postcode: '9801ZZ',
        place: 'Zuidhorn',
        municipalityCode: '1969',
        municipalityName: 'Westerkwartier',
        wijkCode: 'WK196902',
        wijkName: 'Wijk 02 Zuidhorn',
        buurtCode: 'BU19690200',
        buurtName: 'Zuidhorn Centrum',
      },
    ]);
  });

  test('several (house letters and additions), in order; none', async () => {
    const several = await lookupAddresses(settings(), '9351XY', '14', now);
    assert.deepEqual(several.kind === 'found' && several.addresses.map((a) => a.addition), ['', '1', 'A', 'B']);
    assert.deepEqual(await lookupAddresses(settings(), '9351XY', '15', now), { kind: 'none' });
  });

  test('a 500, a timeout, a reset and a refused connection: unavailable, within the timeout', async () => {
    for (const number of ['9999', '9997']) assert.deepEqual(await lookupAddresses(settings(), '9801ZZ', number, now), { kind: 'unavailable' }, number);
    const started = Date.now();
    assert.deepEqual(await lookupAddresses(settings(300), '9801ZZ', '9998', now), { kind: 'unavailable' });
    assert.ok(Date.now() - started < 2000, 'the timeout holds');
    assert.deepEqual(await lookupAddresses({ url: 'http://127.0.0.1:9/free', timeoutMs: 1000 }, '9801ZZ', '12', now), { kind: 'unavailable' });
    assert.deepEqual(await lookupAddresses(undefined, '9801ZZ', '12', now), { kind: 'unavailable' });
  });

  test('asks only for the address, with parameters the service knows (it refuses others with 400)', async () => {
    forgetLookups();
    await lookupAddresses(settings(), '9711AA', '1', now);
    const requests = (await (await fetch(url.replace(/\/bzk.*$/, '/_requests'))).json()) as { query: string; headers: string[] }[];
    const last = new URLSearchParams(requests.at(-1)!.query);
    assert.deepEqual([...new Set(last.keys())].sort(), ['fl', 'fq', 'q', 'rows']);
    assert.deepEqual(last.getAll('fq'), ['type:adres', 'postcode:9711AA', 'huisnummer:1']);
    assert.ok(!requests.at(-1)!.headers.includes('cookie'));
    // The stub's strictness is real: an unknown parameter gets 400.
    assert.equal((await fetch(`${url}/free?q=*:*&fq=type:adres&foo=1`)).status, 400);
  });

  test('answers are cached; outages are not', async () => {
    forgetLookups();
    const count = async () => ((await (await fetch(url.replace(/\/bzk.*$/, '/_requests'))).json()) as unknown[]).length;
    const before = await count();
    await lookupAddresses(settings(), '9801ZZ', '12', now);
    await lookupAddresses(settings(), '9801 ZZ', '12', now);
    assert.equal(await count(), before + 1);
    await lookupAddresses(settings(), '9801ZZ', '9999', now);
    await lookupAddresses(settings(), '9801ZZ', '9999', now);
    assert.equal(await count(), before + 3);
  });
});

describe('checkAddress: what the lookup means for the report', () => {
  const cfg = () => ({ ...loadConfig({}), addressLookup: settings() });

  test('one match in the own municipality; another municipality by its code', async () => {
    const own = await checkAddress(cfg(), { postcode: '9801ZZ', houseNumber: '12', addition: undefined, choice: undefined }, now);
    assert.equal(own.kind === 'checked' && own.check.status, 'gevonden');
    assert.equal(own.kind === 'checked' && own.check.otherMunicipality, undefined);
    assert.equal(own.kind === 'checked' && own.check.checkedOn, '2026-11-29');
    const groningen = await checkAddress(cfg(), { postcode: '9711AA', houseNumber: '1', addition: undefined, choice: undefined }, now);
    assert.equal(groningen.kind === 'checked' && groningen.check.otherMunicipality, 'Groningen');
  });

  test('several: ask, unless the typed addition picks one; a choice is taken; "ander" is a different address', async () => {
    const ask = await checkAddress(cfg(), { postcode: '9351XY', houseNumber: '14', addition: undefined, choice: undefined }, now);
    assert.equal(ask.kind, 'choose');
    for (const typed of ['a', ' A', 'a ']) {
      const picked = await checkAddress(cfg(), { postcode: '9351XY', houseNumber: '14', addition: typed, choice: undefined }, now);
      assert.equal(picked.kind === 'checked' && picked.check.match?.nummeraanduidingId, '1969200000035015', typed);
    }
    const chosen = await checkAddress(cfg(), { postcode: '9351XY', houseNumber: '14', addition: undefined, choice: '1969200000035017' }, now);
    assert.equal(chosen.kind === 'checked' && chosen.check.match?.addition, '1');
    const other = await checkAddress(cfg(), { postcode: '9351XY', houseNumber: '14', addition: undefined, choice: 'ander' }, now);
    assert.deepEqual(other.kind === 'checked' && [other.check.status, other.check.match], ['ander_adres', undefined]);
  });

  test('not found; not reachable: the postcode list decides whether it lies elsewhere', async () => {
    const none = await checkAddress(cfg(), { postcode: '9351XY', houseNumber: '99', addition: undefined, choice: undefined }, now);
    assert.deepEqual(none.kind === 'checked' && [none.check.status, none.check.otherMunicipality], ['niet_gevonden', undefined]);
    // The register answered: the reporter reads the not-found text (spec §2), also for a postcode outside the
    // municipality's list; the postcode still flags it for the coordinator.
    const noneElsewhere = await checkAddress(cfg(), { postcode: '1234AB', houseNumber: '9', addition: undefined, choice: undefined }, now);
    assert.deepEqual(noneElsewhere.kind === 'checked' && [noneElsewhere.check.status, noneElsewhere.check.otherMunicipality], ['niet_gevonden', '']);
    assert.equal(noneElsewhere.kind === 'checked' && addressNotice(noneElsewhere.check, 'Westerkwartier'), ADDRESS_MESSAGES.notFound);
    assert.equal(noneElsewhere.kind === 'checked' && addressNotice(noneElsewhere.check, 'Westerkwartier', 'medewerker'), ADDRESS_MESSAGES_STAFF.notFound);
    const down = await checkAddress(cfg(), { postcode: '9999ZZ', houseNumber: '9999', addition: undefined, choice: undefined }, now);
    assert.deepEqual(down.kind === 'checked' && [down.check.status, down.check.otherMunicipality], ['niet_gecontroleerd', '']);
    const downOwn = await checkAddress({ ...cfg(), addressLookup: undefined }, { postcode: '9801ZZ', houseNumber: '12', addition: undefined, choice: undefined }, now);
    assert.deepEqual(downOwn.kind === 'checked' && [downOwn.check.status, downOwn.check.otherMunicipality], ['niet_gecontroleerd', undefined]);
  });
});

test('street and place: filled in where empty, typed ones stand, and those an earlier lookup filled in follow a changed address', () => {
  const at = (street: string, place: string, status: 'gevonden' | 'niet_gevonden' | 'niet_gecontroleerd' = 'gevonden') => ({
    status,
    match: status === 'gevonden' ? { nummeraanduidingId: '1', adresseerbaarobjectId: '2', label: `${street}, ${place}`, street, houseNumber: '12', addition: '', postcode: '9801ZZ', place, municipalityCode: '1969', municipalityName: 'Westerkwartier', wijkCode: undefined, wijkName: undefined, buurtCode: undefined, buurtName: undefined } : undefined,
    checkedOn: '2026-11-29',
    otherMunicipality: undefined,
  });
  const first = at('Hoofdstraat', 'Zuidhorn');
  assert.deepEqual(fillFromRegister({ street: '', place: '' }, first), { street: 'Hoofdstraat', place: 'Zuidhorn' });
  assert.deepEqual(fillFromRegister({ street: 'Achterom', place: '' }, first), { street: 'Achterom', place: 'Zuidhorn' }, 'typed stands');
  // Step 2 again with another postcode and number: the street and place the first lookup filled in go.
  const second = at('Kerkstraat', 'Leek');
  assert.deepEqual(fillFromRegister({ street: 'Hoofdstraat', place: 'Zuidhorn' }, second, first), { street: 'Kerkstraat', place: 'Leek' });
  assert.deepEqual(fillFromRegister({ street: 'Achterom', place: 'Zuidhorn' }, second, first), { street: 'Achterom', place: 'Leek' }, 'typed since stands');
  assert.deepEqual(fillFromRegister({ street: 'Hoofdstraat', place: 'Zuidhorn' }, at('', '', 'niet_gevonden'), first), { street: '', place: '' }, 'not found: not the old address');
  assert.deepEqual(fillFromRegister({ street: 'Hoofdstraat', place: 'Zuidhorn' }, at('', '', 'niet_gecontroleerd'), first), { street: 'Hoofdstraat', place: 'Zuidhorn' }, 'not asked: they stay');
});
