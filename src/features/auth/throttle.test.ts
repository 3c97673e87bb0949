import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ADDRESS_BRAKE, delayAfter, FREE_FAILURES, GLOBAL_BRAKE, LoginThrottle, MAX_DELAY_MS } from './throttle.rules.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 2, 9, 0);

describe('delayAfter', () => {
  test('free tries, then 1, 2, 4, 8 minutes, never more than 15', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => delayAfter(n, 3) / MINUTE), [0, 0, 1, 2, 4, 8, 15, 15, 15]);
    assert.equal(delayAfter(1, 1), MINUTE);
    assert.equal(delayAfter(1000, 1), MAX_DELAY_MS);
  });
});

describe('LoginThrottle', () => {
  test('a pair gets its free tries, then waits longer after every failure', () => {
    const t = new LoginThrottle();
    let at = T0;
    for (let n = 1; n < FREE_FAILURES; n++) {
      t.fail('coordinator@gemeente.nl', '198.51.100.7', at);
      assert.deepEqual(t.check('coordinator@gemeente.nl', '198.51.100.7', at), { allowed: true }, `after ${n} failures`);
    }
    const waits: number[] = [];
    for (let n = 0; n < 6; n++) {
      t.fail('coordinator@gemeente.nl', '198.51.100.7', at);
      const verdict = t.check('coordinator@gemeente.nl', '198.51.100.7', at);
      assert.equal(verdict.allowed, false);
      const wait = verdict.allowed ? 0 : verdict.retryAfterMs;
      waits.push(wait / MINUTE);
      // One millisecond before the wait is over: still refused; at its end: allowed.
      assert.equal(t.check('coordinator@gemeente.nl', '198.51.100.7', at + wait - 1).allowed, false);
      at += wait;
      assert.deepEqual(t.check('coordinator@gemeente.nl', '198.51.100.7', at), { allowed: true });
    }
    assert.deepEqual(waits, [1, 2, 4, 8, 15, 15]);
  });

  test('an attacker on one address never keeps the account out of another address', () => {
    const t = new LoginThrottle();
    for (let n = 0; n < 500; n++) t.fail('coordinator@gemeente.nl', '203.0.113.66', T0 + n);
    assert.equal(t.check('coordinator@gemeente.nl', '203.0.113.66', T0 + 500).allowed, false);
    assert.deepEqual(t.check('coordinator@gemeente.nl', '198.51.100.7', T0 + 500), { allowed: true });
    // The e-mail address as typed does not matter.
    assert.equal(t.check(' Coordinator@Gemeente.NL', '203.0.113.66', T0 + 500).allowed, false);
  });

  test('failures on one account from an address (a town hall behind NAT) keep no other account out', () => {
    const t = new LoginThrottle();
    for (let n = 0; n < ADDRESS_BRAKE * 2; n++) t.fail(`user${n % 7}@gemeente.nl`, '192.0.2.1', T0);
    assert.deepEqual(t.check('coordinator@gemeente.nl', '192.0.2.1', T0), { allowed: true });
  });

  test('the address brake: a busy address waits after its first failure on an account, still not before', () => {
    const t = new LoginThrottle();
    for (let n = 0; n < ADDRESS_BRAKE; n++) t.fail(`user${n}@gemeente.nl`, '192.0.2.1', T0);
    assert.deepEqual(t.check('kcc@gemeente.nl', '192.0.2.1', T0), { allowed: true });
    t.fail('kcc@gemeente.nl', '192.0.2.1', T0);
    assert.deepEqual(t.check('kcc@gemeente.nl', '192.0.2.1', T0), { allowed: false, retryAfterMs: MINUTE });
    // Without the brake the same single failure is free.
    const calm = new LoginThrottle();
    calm.fail('kcc@gemeente.nl', '192.0.2.1', T0);
    assert.deepEqual(calm.check('kcc@gemeente.nl', '192.0.2.1', T0), { allowed: true });
  });

  test('the global brake: many failures portal-wide make every failing pair wait after one failure', () => {
    const t = new LoginThrottle();
    for (let n = 0; n < GLOBAL_BRAKE; n++) t.fail('coordinator@gemeente.nl', `10.0.${n >> 8}.${n & 255}`, T0);
    assert.equal(t.globalBrake(T0), true);
    // A fresh address that failed once waits; one that never failed gets through.
    assert.equal(t.check('coordinator@gemeente.nl', '10.0.0.1', T0).allowed, false);
    assert.deepEqual(t.check('coordinator@gemeente.nl', '198.51.100.7', T0), { allowed: true });
    // The brake lifts when the failures are older than 15 minutes.
    assert.equal(t.globalBrake(T0 + 15 * MINUTE), false);
  });

  test('nothing lasts: no wait is longer than 15 minutes; an hour after the last failure the pair is forgotten; a success clears it', () => {
    const t = new LoginThrottle();
    for (let n = 0; n < 50; n++) t.fail('boa@gemeente.nl', '198.51.100.7', T0);
    assert.equal(t.check('boa@gemeente.nl', '198.51.100.7', T0 + 15 * MINUTE - 1).allowed, false);
    assert.deepEqual(t.check('boa@gemeente.nl', '198.51.100.7', T0 + 15 * MINUTE), { allowed: true });
    // Remembered for an hour: one more failure waits the longest time again.
    t.fail('boa@gemeente.nl', '198.51.100.7', T0 + 15 * MINUTE);
    assert.deepEqual(t.check('boa@gemeente.nl', '198.51.100.7', T0 + 15 * MINUTE), { allowed: false, retryAfterMs: 15 * MINUTE });
    // An hour after the last failure: forgotten, the next failure is a free one again.
    const later = T0 + 75 * MINUTE;
    t.fail('boa@gemeente.nl', '198.51.100.7', later);
    assert.deepEqual(t.check('boa@gemeente.nl', '198.51.100.7', later), { allowed: true });

    for (let n = 0; n < 10; n++) t.fail('kcc@gemeente.nl', '198.51.100.8', T0);
    t.succeed('kcc@gemeente.nl', '198.51.100.8');
    assert.deepEqual(t.check('kcc@gemeente.nl', '198.51.100.8', T0), { allowed: true });
  });
});
