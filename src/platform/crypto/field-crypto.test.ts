import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { blindIndex, blindIndexes, decrypt, decryptBytes, DecryptionError, encrypt, encryptBytes, isEncrypted, keyIdOf, keyIdOfBytes, keyringOf } from './field-crypto.ts';
import { addressKey, normaliseName, personKey, streetKey, streetNumberKey } from '#features/reports/repeat-keys.rules.ts';

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);
const ring = keyringOf([keyA]);
const place = { table: 'reports', column: 'description', row: 'MB-ABCD2345' };

describe('field encryption (AES-256-GCM)', () => {
  test('round trip, a fresh IV per value, version and key id in the value', () => {
    const text = 'Hij praat over een einde maken aan zijn leven. 😟 Ĳsselmeer';
    const a = encrypt(ring, text, place);
    const b = encrypt(ring, text, place);
    assert.notEqual(a, b, 'a fresh IV per value');
    assert.ok(isEncrypted(a));
    assert.equal(a.split('.')[0], 'v1');
    assert.equal(keyIdOf(a), ring.current.id);
    assert.equal(decrypt(ring, a, place), text);
    assert.equal(decrypt(ring, encrypt(ring, '', place), place), '');
    assert.ok(!a.includes('einde'));
  });

  test('IVs from the pool are never repeated, across refills, in text and binary values', () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const value = encrypt(ring, `waarde ${i}`, place);
      ivs.add(value.split('.')[2]!);
      assert.equal(decrypt(ring, value, place), `waarde ${i}`);
      ivs.add(encryptBytes(ring, Buffer.from([i % 256]), place).subarray(5, 17).toString('base64url'));
    }
    assert.equal(ivs.size, 4000, 'a fresh IV per value');
  });

  test('another row, column or table as associated data fails', () => {
    const sealed = encrypt(ring, 'Jan de Vries', place);
    assert.throws(() => decrypt(ring, sealed, { ...place, row: 'MB-ABCD2346' }), DecryptionError);
    assert.throws(() => decrypt(ring, sealed, { ...place, column: 'person_name' }), DecryptionError);
    assert.throws(() => decrypt(ring, sealed, { ...place, table: 'report_notes' }), DecryptionError);
  });

  test('a changed byte anywhere fails: ciphertext, tag, IV', () => {
    const sealed = encrypt(ring, 'Jan de Vries', place);
    const parts = sealed.split('.');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const i of [2, 3, 4]) {
      const tampered = parts.map((p, j) => (j === i ? flip(p) : p)).join('.');
      assert.throws(() => decrypt(ring, tampered, place), DecryptionError, `part ${i}`);
    }
  });

  test('an unknown key id fails; a value that is not in the format is read as it is (before the upgrade pass)', () => {
    const other = keyringOf([keyB]);
    assert.throws(() => decrypt(other, encrypt(ring, 'x', place), place), /No data key/);
    assert.equal(decrypt(ring, 'Hoofdstraat', place), 'Hoofdstraat');
    assert.equal(keyIdOf('Hoofdstraat'), undefined);
  });

  test('rotation: two keys, new values under the newest, old values still decrypt', () => {
    const old = encrypt(ring, 'oud', place);
    const rotated = keyringOf([keyA, keyB]);
    assert.notEqual(rotated.current.id, ring.current.id);
    assert.equal(decrypt(rotated, old, place), 'oud');
    const fresh = encrypt(rotated, 'nieuw', place);
    assert.equal(keyIdOf(fresh), rotated.current.id);
    assert.throws(() => decrypt(ring, fresh, place), /No data key/, 'the old ring alone cannot read the new value');
  });
});

describe('blind indexes (HMAC-SHA-256, a key per purpose)', () => {
  test('the same normalised value gives the same index; another purpose or key another', () => {
    const a = blindIndex(ring, 'street', 'hoofdstraat');
    assert.equal(a, blindIndex(ring, 'street', 'hoofdstraat'));
    assert.match(a, /^[\w-]{22}$/);
    assert.notEqual(a, blindIndex(ring, 'name', 'hoofdstraat'), 'per purpose');
    assert.notEqual(a, blindIndex(keyringOf([keyB]), 'street', 'hoofdstraat'), 'per key');
    // While a rotation runs, lookups try every key, newest first.
    const both = blindIndexes(keyringOf([keyA, keyB]), 'street', 'hoofdstraat');
    assert.deepEqual(both, [blindIndex(keyringOf([keyB]), 'street', 'hoofdstraat'), a]);
  });

  test('normalisation: spaces, case, accents, titles, leading zeros', () => {
    const idx = (purpose: 'address' | 'street' | 'name' | 'person' | 'street_number', v: string | undefined) => blindIndex(ring, purpose, v!);
    assert.equal(idx('address', addressKey('9351 ab', '012', ' a')), idx('address', addressKey('9351AB', '12', 'A')));
    assert.notEqual(idx('address', addressKey('9351AB', '12', 'B')), idx('address', addressKey('9351AB', '12', 'A')));
    assert.equal(idx('street', streetKey('  Hoofdstraat ')), idx('street', streetKey('HOOFDSTRAAT')));
    assert.equal(idx('street', streetKey("Kerkstraat-Oost")), idx('street', streetKey('kerkstraat oost')));
    assert.equal(idx('street_number', streetNumberKey('Kerkstraat', '07')), idx('street_number', streetNumberKey('kerkstraat', '7')));
    assert.equal(idx('name', normaliseName('Dhr. José  Müller')), idx('name', normaliseName('jose muller')));
    assert.equal(idx('name', normaliseName('Mevr. Ĳsbrand')), idx('name', normaliseName('ijsbrand')));
    assert.equal(idx('person', personKey('P. de Vries', 'Leek', undefined)), idx('person', personKey('p de vries', 'LEEK', undefined)));
    assert.notEqual(idx('name', normaliseName('Jan de Vries')), idx('name', normaliseName('Jan de Vries-Bakker')), 'exact match only');
  });
});

describe('binary encryption (photos)', () => {
  const photo = { table: 'report_photos', column: 'image', row: 'q7Yx3kR9' };
  const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('Exif marker-ABC'), Buffer.alloc(1000, 7)]);

  test('round trip: a fresh IV, version byte and key id in the value, nothing of the plain bytes', () => {
    const a = encryptBytes(ring, bytes, photo);
    const b = encryptBytes(ring, bytes, photo);
    assert.ok(!a.equals(b), 'a fresh IV per value');
    assert.equal(a[0], 1);
    assert.equal(keyIdOfBytes(a), ring.current.id);
    assert.equal(a.length, bytes.length + 33);
    assert.ok(decryptBytes(ring, a, photo).equals(bytes));
    assert.ok(!a.includes(Buffer.from('marker-ABC')));
    assert.equal(decryptBytes(ring, encryptBytes(ring, Buffer.alloc(0), photo), photo).length, 0);
  });

  test('another row, column or table fails', () => {
    const sealed = encryptBytes(ring, bytes, photo);
    assert.throws(() => decryptBytes(ring, sealed, { ...photo, row: 'q7Yx3kR8' }), DecryptionError);
    assert.throws(() => decryptBytes(ring, sealed, { ...photo, column: 'thumbnail' }), DecryptionError);
    assert.throws(() => decryptBytes(ring, sealed, { ...photo, table: 'reports' }), DecryptionError);
  });

  test('a changed byte anywhere fails: IV, tag, ciphertext; plain bytes are no encrypted value', () => {
    const sealed = encryptBytes(ring, bytes, photo);
    for (const i of [6, 20, 40, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[i]! ^= 1;
      assert.throws(() => decryptBytes(ring, tampered, photo), DecryptionError, `byte ${i}`);
    }
    assert.throws(() => decryptBytes(ring, bytes, photo), DecryptionError);
    assert.equal(keyIdOfBytes(bytes), undefined);
  });

  test('rotation: new values under the newest key, old ones still decrypt, an unknown key fails', () => {
    const old = encryptBytes(ring, bytes, photo);
    const rotated = keyringOf([keyA, keyB]);
    const fresh = encryptBytes(rotated, bytes, photo);
    assert.equal(keyIdOfBytes(fresh), rotated.current.id);
    assert.notEqual(keyIdOfBytes(old), keyIdOfBytes(fresh));
    assert.ok(decryptBytes(rotated, old, photo).equals(bytes));
    assert.throws(() => decryptBytes(keyringOf([keyB]), old, photo), DecryptionError);
  });
});
