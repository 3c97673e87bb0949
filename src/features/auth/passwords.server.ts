import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { MAX_LENGTH } from './passwords.rules.ts';

/** Staff passwords are stored as argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane). */

const PARAMS = { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 } as const;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    argon2('argon2id', { message: password, nonce: salt, ...PARAMS }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `argon2id$m=…,t=…,p=…$salt$hash`, base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt);
  return `argon2id$m=${PARAMS.memory},t=${PARAMS.passes},p=${PARAMS.parallelism}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, , salt, hash] = stored.split('$');
  if (kind !== 'argon2id' || !salt || !hash || password.length > MAX_LENGTH) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash to verify against when the e-mail is unknown, so both cases take as long. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
