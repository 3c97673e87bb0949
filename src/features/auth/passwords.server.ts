import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Staff passwords: at least 12 and at most 128 characters, no composition rules, not a common
 * password; stored as argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane).
 */

const PARAMS = { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 } as const;
export const MIN_LENGTH = 12;
export const MAX_LENGTH = 128;

// The most used passwords of 12+ characters (international and Dutch), lowercased.
const COMMON = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '1234567891011', 'qwertyuiopas',
  'qwertyuiop12', 'qwertyuiop123', 'qwerty123456', '123456qwerty', 'asdfghjkl123', '1q2w3e4r5t6y',
  '1qaz2wsx3edc', 'zaq12wsxcde3', 'passwordpassword', 'password1234', 'password12345', 'password123456',
  'passw0rd1234', 'p@ssw0rd1234', 'iloveyou1234', 'welcome12345', 'welkom123456', 'welkom2024!!',
  'wachtwoord12', 'wachtwoord123', 'wachtwoord1234', 'wachtwoord!!', 'wachtwoordje', 'geheim123456',
  'abcdefghijkl', 'abcdefgh1234', 'abc123456789', 'aaaaaaaaaaaa', '111111111111', '000000000000',
  '123123123123', '987654321000', '098765432109', 'letmein12345', 'administrator', 'administrator1',
  'changeme1234', 'football1234', 'baseball1234', 'superman1234', 'princess1234', 'sunshine1234',
  'trustno11234', 'monkey123456', 'dragon123456', 'master123456', 'starwars1234', 'computer1234',
  'gemeente1234', 'gemeente2024', 'gemeente2025', 'gemeente2026', 'zomer2024!!!', 'winter2025!!',
  'voorjaar2026', 'najaar2026!!', 'qwertyqwerty', 'azertyuiopqs', 'westerkwartier', 'meldpuntbezorgd',
]);

/** A Dutch message when the password is not acceptable, else `undefined`. */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | undefined {
  if (password.length < MIN_LENGTH) return `Gebruik een wachtwoord van minstens ${MIN_LENGTH} tekens`;
  if (password.length > MAX_LENGTH) return `Gebruik een wachtwoord van hoogstens ${MAX_LENGTH} tekens`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return 'Dit wachtwoord wordt te vaak gebruikt. Kies een ander wachtwoord';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if ((local && local.length >= 4 && lower.includes(local)) || (context.name && lower === context.name.toLowerCase())) {
    return 'Gebruik niet uw naam of e-mailadres als wachtwoord';
  }
  return undefined;
}

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
