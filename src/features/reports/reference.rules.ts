import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another when read out: no 0/O, 1/I/L. */
export const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const REFERENCE_PATTERN = /^MB-[A-HJKMNP-Z2-9]{8}$/;

/** A new random reference such as `MB-7KQ3XH2P` (31^8 ≈ 8.5·10^11 possibilities). */
export function newReference(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `MB-${code}`;
}

/** Groups a reference for reading aloud: `MB-7KQ3 XH2P`. */
export function spokenReference(reference: string): string {
  return `${reference.slice(0, 7)} ${reference.slice(7)}`;
}
