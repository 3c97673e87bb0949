import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSearch } from './search.rules.ts';

describe('parseSearch: what the coordinator types', () => {
  test('a reference with or without MB-, any case, with spaces as read out', () => {
    for (const typed of ['MB-7KQ3XH2P', 'mb-7kq3xh2p', 'MB7KQ3XH2P', 'mb 7kq3 xh2p', '7KQ3XH2P', '7kq3 xh2p', ' MB-7KQ3 XH2P ', 'MB - 7KQ3 XH2P']) {
      assert.deepEqual(parseSearch(typed), { reference: 'MB-7KQ3XH2P' }, typed);
    }
  });

  test('eight letters without MB- may be a reference, a street or a name', () => {
    assert.deepEqual(parseSearch('Kerkstra'), { reference: 'MB-KERKSTRA', street: { start: 'Kerkstra', houseNumber: undefined }, name: 'Kerkstra' });
    // A letter outside the reference alphabet (L, I, O): no reference.
    assert.deepEqual(parseSearch('Molenweg'), { street: { start: 'Molenweg', houseNumber: undefined }, name: 'Molenweg' });
  });

  test('a postcode with or without house number; one that reads as a reference is looked for as both', () => {
    assert.deepEqual(parseSearch('9351 ab'), { postcode: { postcode: '9351AB', complete: true, houseNumber: undefined } });
    assert.deepEqual(parseSearch('9351AB'), { postcode: { postcode: '9351AB', complete: true, houseNumber: undefined } });
    assert.deepEqual(parseSearch('9351'), { postcode: { postcode: '9351', complete: false, houseNumber: undefined } });
    for (const typed of ['9351 AB 12', '9351ab 12a', '9351 AB, 12', '9351AB 12-2', '9351AB 120']) {
      assert.deepEqual(parseSearch(typed)?.postcode, { postcode: '9351AB', complete: true, houseNumber: typed.endsWith('120') ? '120' : '12' }, typed);
    }
    assert.deepEqual(parseSearch('9822XZ86'), { reference: 'MB-9822XZ86', postcode: { postcode: '9822XZ', complete: true, houseNumber: '86' } });
  });

  test('a street with or without house number', () => {
    assert.deepEqual(parseSearch('Kerkstraat 12'), { street: { start: 'Kerkstraat', houseNumber: '12' } });
    assert.deepEqual(parseSearch('kerkstr 12a'), { street: { start: 'kerkstr', houseNumber: '12' } });
    assert.deepEqual(parseSearch('Van  Heemstralaan, 3'), { street: { start: 'Van Heemstralaan', houseNumber: '3' } });
    assert.deepEqual(parseSearch('Kerkstraat'), { street: { start: 'Kerkstraat', houseNumber: undefined }, name: 'Kerkstraat' });
  });

  test('a police registration number, as typed or read out; never a postcode or a reference', () => {
    assert.deepEqual(parseSearch('PL0100-2026123456'), { street: { start: 'PL0100-2026123456', houseNumber: undefined }, name: 'PL0100-2026123456', registration: 'PL0100-2026123456' });
    assert.equal(parseSearch('pl0100 2026123456')?.registration, 'pl0100 2026123456');
    assert.equal(parseSearch('9351 AB 120')?.registration, undefined);
    assert.equal(parseSearch('MB-7KQ3XH2P')?.registration, undefined);
    assert.equal(parseSearch('Kerkstraat 12')?.registration, undefined);
  });

  test('a name, spaces tidied; nothing for an empty box', () => {
    assert.deepEqual(parseSearch('  Jan   de Vries '), { street: { start: 'Jan de Vries', houseNumber: undefined }, name: 'Jan de Vries' });
    assert.equal(parseSearch('   '), undefined);
  });
});
