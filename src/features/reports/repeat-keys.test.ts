import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressKey, normaliseName, personKey } from './repeat-keys.rules.ts';

describe('addressKey: one key per address, whatever the spelling', () => {
  test('postcode spacing and case do not matter', () => {
    const key = addressKey('9351AB', '12', undefined);
    assert.equal(key, '9351AB|12|');
    for (const pc of ['9351 AB', '9351ab', '9351 ab', ' 9351  aB ', '9351\tAB', '9351\u00a0AB']) {
      assert.equal(addressKey(pc, '12', undefined), key, JSON.stringify(pc));
    }
  });

  test('leading zeros of the house number do not matter', () => {
    assert.equal(addressKey('9351AB', '012', ''), addressKey('9351AB', '12', ''));
    assert.equal(addressKey('9351AB', '00012', ''), '9351AB|12|');
  });

  test('the addition: case, spaces, dashes and accents do not matter', () => {
    const key = addressKey('9351AB', '12', 'B');
    assert.equal(key, '9351AB|12|b');
    for (const addition of ['b', ' B', 'B ', '-B', '-b', '/b', '(b)', 'B.']) {
      assert.equal(addressKey('9351 ab', '12', addition), key, JSON.stringify(addition));
    }
    assert.equal(addressKey('9351AB', '12', 'bis 1'), addressKey('9351AB', '12', 'BIS-1'));
    assert.equal(addressKey('9351AB', '12', 'é'), addressKey('9351AB', '12', 'E'));
    // No addition, an empty one and one of only punctuation are the same address.
    assert.equal(addressKey('9351AB', '12', ''), addressKey('9351AB', '12', undefined));
    assert.equal(addressKey('9351AB', '12', ' - '), addressKey('9351AB', '12', undefined));
  });

  test('different addresses get different keys', () => {
    const keys = [
      addressKey('9351AB', '12', undefined),
      addressKey('9351AB', '12', 'A'),
      addressKey('9351AB', '12', 'B'),
      addressKey('9351AB', '120', undefined),
      addressKey('9351AB', '1', '2'),
      addressKey('9351AC', '12', undefined),
      addressKey('9352AB', '12', undefined),
    ];
    assert.equal(new Set(keys).size, keys.length, keys.join(' '));
  });

  test('no key without a postcode or a house number', () => {
    assert.equal(addressKey(undefined, '12', 'A'), undefined);
    assert.equal(addressKey('9351AB', undefined, 'A'), undefined);
    assert.equal(addressKey('', '12', undefined), undefined);
    assert.equal(addressKey('9351AB', '', undefined), undefined);
  });
});

describe('normaliseName: titles, accents, punctuation and case', () => {
  test('titles in front are dropped', () => {
    const cases: [string, string][] = [
      ['Dhr. P. de Vries', 'p de vries'],
      ['dhr P de Vries', 'p de vries'],
      ['DHR.P.DE VRIES', 'p de vries'],
      ['De heer P. de Vries', 'p de vries'],
      ['Heer de Vries', 'de vries'],
      ['Meneer de Vries', 'de vries'],
      ['Mr. de Vries', 'de vries'],
      ['Mevr. Bakker', 'bakker'],
      ['Mevrouw Bakker', 'bakker'],
      ['mw. Bakker', 'bakker'],
      ['Mej. Bakker', 'bakker'],
      ['Juffrouw Bakker', 'bakker'],
      // A title repeated or combined.
      ['Dhr. dhr. Smit', 'smit'],
      ['Mr. dhr. Smit', 'smit'],
    ];
    for (const [name, expected] of cases) assert.equal(normaliseName(name), expected, name);
  });

  test('accents and special letters fold to plain letters', () => {
    assert.equal(normaliseName('Mevr. Müller-Lüdenscheidt'), 'muller ludenscheidt');
    assert.equal(normaliseName('José Ñúñez'), 'jose nunez');
    assert.equal(normaliseName('Dhr. Çelik'), 'celik');
    assert.equal(normaliseName('Zoë van Dijk'), normaliseName('Zoe van Dijk'));
    assert.equal(normaliseName("Dhr. 't Hart"), normaliseName('dhr t hart'));
    // Letters that Unicode does not decompose, common in names here (Turkish, Polish, Scandinavian, the Dutch ĳ).
    assert.equal(normaliseName('Mevr. Yıldız'), 'yildiz');
    assert.equal(normaliseName('Dhr. Wałęsa'), 'walesa');
    assert.equal(normaliseName('Bjørn Ødegård'), 'bjorn odegard');
    assert.equal(normaliseName('Dhr. Strauß'), 'strauss');
    assert.equal(normaliseName('Æsa Lærke'), 'aesa laerke');
    assert.equal(normaliseName('Dhr. \u0133sselmuiden'), 'ijsselmuiden');
    assert.equal(normaliseName('İlhan Şahin'), 'ilhan sahin');
    // Composed and decomposed forms of é are one name.
    assert.equal(normaliseName('Ren\u00e9'), normaliseName('Rene\u0301'));
  });

  test('a word that merely starts like a title is kept', () => {
    assert.equal(normaliseName('Heeren Jansen'), 'heeren jansen');
    assert.equal(normaliseName('Mrs Brown'), 'mrs brown');
    assert.equal(normaliseName('Mevrouwtje'), 'mevrouwtje');
    assert.equal(normaliseName('Dhruv Patel'), 'dhruv patel');
  });

  test('nothing left is no name', () => {
    for (const name of [undefined, '', '   ', 'Dhr.', 'Mevr', '...', 'dhr. mevr.']) assert.equal(normaliseName(name), undefined, String(name));
  });
});

describe('personKey: name and place', () => {
  test('the same person spelled differently has one key', () => {
    const key = personKey('Dhr. P.', 'Leek', '9351AB');
    assert.equal(key, 'p|leek');
    assert.equal(personKey('dhr p', 'LEEK', undefined), key);
    assert.equal(personKey('De heer P', ' Leek ', '9999ZZ'), key);
  });

  test('without a place the postcode area stands in, spacing and case free', () => {
    const key = personKey('Mevr. Bakker', undefined, '9351 ab');
    assert.equal(key, 'bakker|9351');
    assert.equal(personKey('mevrouw bakker', '', '9351AB'), key);
    assert.equal(personKey('Bakker', undefined, ' 9351XZ'), key);
  });

  test('accents in the place fold too', () => {
    assert.equal(personKey('Smit', "'s-Hertogenbosch", undefined), personKey('smit', 's Hertogenbosch', undefined));
    assert.equal(personKey('Smit', 'Zuidhörn', undefined), personKey('Smit', 'Zuidhorn', undefined));
  });

  test('different people or places get different keys', () => {
    assert.notEqual(personKey('P. de Vries', 'Leek', undefined), personKey('P. de Vries', 'Marum', undefined));
    assert.notEqual(personKey('P. de Vries', 'Leek', undefined), personKey('K. de Vries', 'Leek', undefined));
  });

  test('no key without a name or without a place or postcode', () => {
    assert.equal(personKey(undefined, 'Leek', '9351AB'), undefined);
    assert.equal(personKey('Dhr.', 'Leek', '9351AB'), undefined);
    assert.equal(personKey('P. de Vries', undefined, undefined), undefined);
    assert.equal(personKey('P. de Vries', '', ''), undefined);
  });
});
