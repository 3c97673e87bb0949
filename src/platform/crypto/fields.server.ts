import { blindIndex, blindIndexes, decrypt, decryptBytes, encrypt, encryptBytes, keyIdOf, keyIdOfBytes, type BlindPurpose } from './field-crypto.ts';
import { keyring } from './keyring.server.ts';

/**
 * Field encryption for a repository: the module that owns a table seals its sensitive columns on the
 * way in and opens them on the way out, with the process's keyring. Absent values stay NULL (that a
 * value is absent is no secret; counting CR/PR/BR needs it).
 */
export interface Fields {
  seal(column: string, row: string | number, value: string | null | undefined): string | null;
  open(column: string, row: string | number, stored: unknown): string | undefined;
}

export function fieldsOf(table: string): Fields {
  return {
    seal: (column, row, value) => (value === null || value === undefined ? null : encrypt(keyring(), value, { table, column, row })),
    open: (column, row, stored) =>
      stored === null || stored === undefined ? undefined : stored === '' ? '' : decrypt(keyring(), String(stored), { table, column, row }),
  };
}

/** The blind index to store for a normalised value (`null` without one). */
export function blind(purpose: BlindPurpose, normalised: string | undefined): string | null {
  return normalised ? blindIndex(keyring(), purpose, normalised) : null;
}

/** The blind indexes to look for, one per key (several only while a rotation is under way), as a JSON array for `json_each`. */
export function blindAll(purpose: BlindPurpose, normalised: string | undefined): string {
  return JSON.stringify(normalised ? blindIndexes(keyring(), purpose, normalised) : []);
}

/** Whether a stored value needs sealing again: plain (from before encryption) or under an older key. */
export function needsReseal(stored: unknown): boolean {
  return stored !== null && stored !== undefined && stored !== '' && keyIdOf(String(stored)) !== keyring().current.id;
}

/** What a batch of the encryption pass did: the last row key it saw (undefined: no rows left) and how many rows it changed. */
export interface ResealBatch<K extends number | string> {
  last: K | undefined;
  changed: number;
}

/** A stored value sealed again under the current key where it needs it (plain, or an older key); else as stored. */
export function resealed(fields: Fields, column: string, row: string | number, stored: string | null): string | null {
  return needsReseal(stored) ? fields.seal(column, row, fields.open(column, row, stored) ?? null) : stored;
}

/** A history row: its from/to values sealed when its kind names people, its reason always. */
export interface EventRow {
  id: number;
  from_value: string | null;
  to_value: string | null;
  reason: string | null;
}

/** A history row sealed again under the current key: its new values, or `undefined` when nothing changes. */
export function resealedEvent(fields: Fields, r: EventRow, sealedKind: boolean): [string | null, string | null, string | null] | undefined {
  const from = sealedKind ? resealed(fields, 'from_value', r.id, r.from_value) : r.from_value;
  const to = sealedKind ? resealed(fields, 'to_value', r.id, r.to_value) : r.to_value;
  const reason = resealed(fields, 'reason', r.id, r.reason);
  return from === r.from_value && to === r.to_value && reason === r.reason ? undefined : [from, to, reason];
}

/** Binary encryption for a repository (photos): the bytes variant of `fieldsOf`, same keys and associated data. */
export interface ByteFields {
  seal(column: string, row: string | number, value: Uint8Array): Buffer;
  open(column: string, row: string | number, stored: Uint8Array): Buffer;
}

export function byteFieldsOf(table: string): ByteFields {
  return {
    seal: (column, row, value) => encryptBytes(keyring(), value, { table, column, row }),
    open: (column, row, stored) => decryptBytes(keyring(), stored, { table, column, row }),
  };
}

/** Whether a stored binary value needs sealing again: under an older key. */
export function bytesNeedReseal(stored: Uint8Array): boolean {
  return keyIdOfBytes(stored) !== keyring().current.id;
}
