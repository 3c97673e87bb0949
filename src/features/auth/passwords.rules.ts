/**
 * What makes a staff password acceptable: at least 12 and at most 128 characters, no composition
 * rules, not a common password, not the person's own name or e-mail address. Pure, so the account
 * schema can use it; hashing lives in passwords.server.ts.
 */

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

