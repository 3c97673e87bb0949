// The TOTP code against the test vectors of RFC 6238 Appendix B (SHA-1), never against itself.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { base32Decode, base32Encode, matchingStep, STEP_SECONDS, timeStep, totpCode } from './totp.server.ts';

// The RFC's SHA-1 key is the ASCII string "12345678901234567890"; this is its base32 form, as an
// authenticator app would be given it.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

// Appendix B, SHA-1: time (seconds since the epoch) and the 8-digit TOTP. HOTP truncation is
// "mod 10^digits", so the portal's 6-digit code is the last six digits of each.
const VECTORS: [seconds: number, eightDigits: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('base32 (RFC 4648)', () => {
  test('the RFC 6238 key encodes to the base32 secret used below, and back', () => {
    assert.equal(base32Encode(Buffer.from('12345678901234567890', 'ascii')), RFC_SECRET);
    assert.equal(base32Decode(RFC_SECRET).toString('ascii'), '12345678901234567890');
  });

  test('RFC 4648 §10 vectors (without padding)', () => {
    for (const [plain, encoded] of [['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']] as const) {
      assert.equal(base32Encode(Buffer.from(plain)), encoded, plain);
      assert.equal(base32Decode(`${encoded}======`.slice(0, 8 * Math.ceil(encoded.length / 8))).toString(), plain, plain);
    }
  });
});

describe('totpCode (RFC 6238 Appendix B, SHA-1, 30 s steps)', () => {
  for (const [seconds, eight] of VECTORS) {
    test(`T = ${seconds}: ${eight.slice(-6)}`, () => {
      const step = Math.floor(seconds / 30);
      assert.equal(timeStep(new Date(seconds * 1000)), step);
      assert.equal(totpCode(RFC_SECRET, step), eight.slice(-6));
    });
  }
});

describe('matchingStep', () => {
  for (const [seconds, eight] of VECTORS) {
    const code = eight.slice(-6);
    const step = Math.floor(seconds / STEP_SECONDS);
    test(`T = ${seconds}: the vector's code belongs to its time step, one step of drift either way`, () => {
      assert.equal(matchingStep(RFC_SECRET, code, new Date(seconds * 1000)), step);
      // The server's clock one step ahead or behind the phone's still accepts it…
      assert.equal(matchingStep(RFC_SECRET, code, new Date((seconds + STEP_SECONDS) * 1000)), step);
      // (Not for T = 59: one step behind is step 0, whose neighbour −1 lies before 1970.)
      if (step >= 2) assert.equal(matchingStep(RFC_SECRET, code, new Date((seconds - STEP_SECONDS) * 1000)), step);
      // …two steps away does not.
      assert.equal(matchingStep(RFC_SECRET, code, new Date((seconds + 3 * STEP_SECONDS) * 1000)), null);
      // As apps show it, with a space in the middle.
      assert.equal(matchingStep(RFC_SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, new Date(seconds * 1000)), step);
    });
  }

  test('the 8-digit vector, a wrong code and non-digits are refused', () => {
    const at = new Date(59 * 1000);
    assert.equal(matchingStep(RFC_SECRET, '94287082', at), null);
    assert.equal(matchingStep(RFC_SECRET, '287083', at), null);
    assert.equal(matchingStep(RFC_SECRET, '28708a', at), null);
    assert.equal(matchingStep(RFC_SECRET, '', at), null);
  });
});
