import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RateLimiter } from './rate-limit.ts';

const HOUR = 3_600_000;
const t0 = 1_800_000_000_000;

describe('RateLimiter', () => {
  test('allows up to the limit, then refuses', () => {
    const limiter = new RateLimiter(() => 3, HOUR);
    assert.deepEqual([1, 2, 3, 4, 5].map((i) => limiter.allow('10.0.0.1', t0 + i)), [true, true, true, false, false]);
  });

  test('counts each address on its own', () => {
    const limiter = new RateLimiter(() => 2, HOUR);
    assert.ok(limiter.allow('10.0.0.1', t0));
    assert.ok(limiter.allow('10.0.0.1', t0));
    assert.ok(!limiter.allow('10.0.0.1', t0));
    assert.ok(limiter.allow('10.0.0.2', t0));
    assert.ok(limiter.allow('2001:db8::1', t0));
  });

  test('the window resets after its length, and not before', () => {
    const limiter = new RateLimiter(() => 2, HOUR);
    limiter.allow('a', t0);
    limiter.allow('a', t0 + 1000);
    assert.ok(!limiter.allow('a', t0 + 2000));
    assert.ok(!limiter.allow('a', t0 + HOUR - 1));
    assert.ok(limiter.allow('a', t0 + HOUR));
    assert.ok(limiter.allow('a', t0 + HOUR + 1));
    assert.ok(!limiter.allow('a', t0 + HOUR + 2));
    assert.ok(limiter.allow('a', t0 + 5 * HOUR));
  });

  test('reads the limit on every hit', () => {
    let limit = 1;
    const limiter = new RateLimiter(() => limit, HOUR);
    assert.ok(limiter.allow('a', t0));
    assert.ok(!limiter.allow('a', t0));
    limit = 10;
    assert.ok(limiter.allow('a', t0));
  });

  test('a large limit allows that many', () => {
    const limiter = new RateLimiter(() => 600, HOUR);
    let allowed = 0;
    for (let i = 0; i < 1000; i++) if (limiter.allow('library-pc', t0 + i)) allowed++;
    assert.equal(allowed, 600);
  });

  test('keeps working with very many addresses', () => {
    const limiter = new RateLimiter(() => 1, HOUR);
    for (let i = 0; i < 50_005; i++) limiter.allow(`k${i}`, t0);
    // Past the sweep threshold, old windows are dropped but current ones still count.
    assert.ok(!limiter.allow('k1', t0 + 10));
    assert.ok(limiter.allow('new', t0 + HOUR + 1));
    assert.ok(limiter.allow('k1', t0 + HOUR + 2));
  });
});
