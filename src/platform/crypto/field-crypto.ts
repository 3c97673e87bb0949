import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

/**
 * Field encryption and blind indexes (spec §8, guides/security.md "Privacy"). Pure: the keys come in as
 * a Keyring (keyring.server.ts loads them).
 *
 * A stored value is `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts): AES-256-GCM with a fresh
 * 12-byte IV, and the table, column and row as associated data, so a value copied to another row or
 * column does not decrypt. Every master key yields, through HKDF, one key for encryption and one per
 * blind-index purpose (the pattern of CipherSweet and Rails' Active Record Encryption). A blind index is
 * HMAC-SHA-256 of a normalised value under its purpose's key, truncated to 128 bits: it finds equal
 * values and leaks nothing else.
 */

export const BLIND_PURPOSES = ['address', 'address_number', 'bag', 'street', 'street_number', 'name', 'person', 'registration'] as const;
export type BlindPurpose = (typeof BLIND_PURPOSES)[number];

export interface DataKey {
  /** 8 hex characters, derived from the key (never the key itself). */
  id: string;
  /** Key objects, made once: a cipher or HMAC made from one skips importing raw key bytes every time. */
  encryption: KeyObject;
  blind: Record<BlindPurpose, KeyObject>;
}

export interface Keyring {
  /** New values are written under this key. */
  current: DataKey;
  /** Every key that still decrypts, current included, oldest first. */
  keys: DataKey[];
}

const VERSION = 'v1';
/** v1.<8 hex>.<16 chars: 12-byte IV>.<22 chars: 16-byte tag>.<ciphertext> */
const FORMAT = /^v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]*)$/;

const derive = (master: Buffer, info: string): Buffer => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `meldpunt-bezorgd ${info}`, 32));

/** The derived keys of one 256-bit master key. */
export function dataKey(master: Buffer): DataKey {
  if (master.length !== 32) throw new Error('A data key is 32 bytes (256 bits).');
  const blind = Object.fromEntries(BLIND_PURPOSES.map((p) => [p, createSecretKey(derive(master, `blind-index ${p}`))])) as Record<BlindPurpose, KeyObject>;
  return { id: derive(master, 'key-id').toString('hex').slice(0, 8), encryption: createSecretKey(derive(master, 'field-encryption')), blind };
}

/**
 * A fresh 12-byte IV: a slice of a pool of random bytes from the system's generator, refilled 4 KB at a
 * time (as Node's randomUUID draws its entropy), so a report's dozen sealed values cost one call to the
 * generator in about thirty reports instead of one each. No two values share a byte of it: every refill is
 * a new buffer, and each IV is a slice of its own.
 */
const IV_POOL_BYTES = 12 * 341;
let ivPool = Buffer.alloc(0);
let ivAt = 0;
function freshIv(): Buffer {
  if (ivAt + 12 > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + 12);
  ivAt += 12;
  return iv;
}

/** A keyring of master keys, oldest first; the last one is current. */
export function keyringOf(masters: readonly Buffer[]): Keyring {
  if (masters.length === 0) throw new Error('A keyring needs at least one key.');
  const keys = masters.map(dataKey);
  return { current: keys[keys.length - 1]!, keys };
}

/** Where a value belongs: it decrypts only there. */
export interface Place {
  table: string;
  column: string;
  row: string | number;
}

const aad = (p: Place): Buffer => Buffer.from(`${p.table}\u0000${p.column}\u0000${p.row}`, 'utf8');

export function encrypt(ring: Keyring, plain: string, place: Place): string {
  const key = ring.current;
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key.encryption, iv);
  cipher.setAAD(aad(place));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, key.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** Whether a stored value is in the encrypted format (anything else is a value from before encryption). */
export function isEncrypted(stored: string): boolean {
  return FORMAT.test(stored);
}

/** The id of the key a stored value is encrypted under, or `undefined` for a plain (legacy) value. */
export function keyIdOf(stored: string): string | undefined {
  return FORMAT.exec(stored)?.[1];
}

export class DecryptionError extends Error {}

/**
 * Decrypts a stored value for its place. A value from before encryption (not in the format) is returned
 * as it is: the upgrade encrypts those in batches (rekey), and until then they must stay readable.
 * Throws DecryptionError for an unknown key, another place, or a changed byte.
 */
export function decrypt(ring: Keyring, stored: string, place: Place): string {
  const m = FORMAT.exec(stored);
  if (!m) return stored;
  const key = ring.keys.find((k) => k.id === m[1]);
  if (!key) throw new DecryptionError(`No data key ${m[1]} in the keyring`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.encryption, Buffer.from(m[2]!, 'base64url'));
    decipher.setAAD(aad(place));
    decipher.setAuthTag(Buffer.from(m[3]!, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(m[4]!, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError(`A value of ${place.table}.${place.column} does not decrypt for its row`);
  }
}

/** The blind index of a normalised value under one key. */
export function blindIndexWith(key: DataKey, purpose: BlindPurpose, normalised: string): string {
  return createHmac('sha256', key.blind[purpose]).update(normalised, 'utf8').digest().subarray(0, 16).toString('base64url');
}

/** The blind index to store: under the current key. */
export function blindIndex(ring: Keyring, purpose: BlindPurpose, normalised: string): string {
  return blindIndexWith(ring.current, purpose, normalised);
}

/** The blind indexes to look for: one per key, so rows not yet re-keyed after a rotation are found too. */
export function blindIndexes(ring: Keyring, purpose: BlindPurpose, normalised: string): string[] {
  return [...ring.keys].reverse().map((k) => blindIndexWith(k, purpose, normalised));
}

// ---------------------------------------------------------------------------------------------
// Binary values (photos). The same idea as the text format, as a BLOB:
//   byte 0: version (1) · bytes 1–4: key id (the 8 hex characters as 4 bytes) · bytes 5–16: IV (12)
//   · bytes 17–32: GCM tag (16) · the rest: ciphertext.
// AES-256-GCM under the same derived encryption key, with the same associated data (table, column,
// row), so a photo copied to another row or column does not decrypt either.

const BYTES_VERSION = 1;
const BYTES_HEADER = 1 + 4 + 12 + 16;

export function encryptBytes(ring: Keyring, plain: Uint8Array, place: Place): Buffer {
  const key = ring.current;
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key.encryption, iv);
  cipher.setAAD(aad(place));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.of(BYTES_VERSION), Buffer.from(key.id, 'hex'), iv, cipher.getAuthTag(), body]);
}

/** The id of the key a stored binary value is encrypted under, or `undefined` when it is not in the format. */
export function keyIdOfBytes(stored: Uint8Array): string | undefined {
  return stored.length >= BYTES_HEADER && stored[0] === BYTES_VERSION ? Buffer.from(stored.subarray(1, 5)).toString('hex') : undefined;
}

/** Decrypts a stored binary value for its place. Unlike text there is no plain legacy form: anything else throws DecryptionError. */
export function decryptBytes(ring: Keyring, stored: Uint8Array, place: Place): Buffer {
  const id = keyIdOfBytes(stored);
  if (!id) throw new DecryptionError(`A value of ${place.table}.${place.column} is not an encrypted binary value`);
  const key = ring.keys.find((k) => k.id === id);
  if (!key) throw new DecryptionError(`No data key ${id} in the keyring`);
  const buffer = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.encryption, buffer.subarray(5, 17));
    decipher.setAAD(aad(place));
    decipher.setAuthTag(buffer.subarray(17, BYTES_HEADER));
    return Buffer.concat([decipher.update(buffer.subarray(BYTES_HEADER)), decipher.final()]);
  } catch {
    throw new DecryptionError(`A value of ${place.table}.${place.column} does not decrypt for its row`);
  }
}
