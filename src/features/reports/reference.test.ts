import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newReference, REFERENCE_ALPHABET, REFERENCE_PATTERN, spokenReference } from './reference.rules.ts';

const SPEC_PATTERN = /^MB-[A-HJKMNP-Z2-9]{8}$/;

describe('reference numbers', () => {
  test('the alphabet has 31 distinct characters and no look-alikes (0/O, 1/I/L)', () => {
    assert.equal(REFERENCE_ALPHABET.length, 31);
    assert.equal(new Set(REFERENCE_ALPHABET).size, 31);
    for (const c of '0O1IL') assert.ok(!REFERENCE_ALPHABET.includes(c), c);
    for (const c of REFERENCE_ALPHABET) assert.match(c, /^[A-HJKMNP-Z2-9]$/);
  });

  test("the exported pattern is the spec's", () => {
    assert.equal(REFERENCE_PATTERN.source, SPEC_PATTERN.source);
  });

  test('many samples match the spec format and use only alphabet characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const reference = newReference();
      assert.match(reference, SPEC_PATTERN);
      assert.doesNotMatch(reference.slice(3), /[0O1IL]/);
      for (const c of reference.slice(3)) seen.add(c);
    }
    // Random over the whole alphabet: every character turns up in 160,000 draws.
    assert.deepEqual([...seen].sort(), [...REFERENCE_ALPHABET].sort());
  });

  test('100,000 draws are unique and evenly spread over every position', () => {
    const draws = 100_000;
    const references = new Set<string>();
    const counts = Array.from({ length: 8 }, () => new Map<string, number>());
    for (let i = 0; i < draws; i++) {
      const reference = newReference();
      references.add(reference);
      [...reference.slice(3)].forEach((c, position) => {
        const map = counts[position];
        assert.ok(map);
        map.set(c, (map.get(c) ?? 0) + 1);
      });
    }
    // 31^8 ≈ 8.5·10^11 codes: a collision among 10^5 draws has a chance of about 0.6%, two or more
    // about 2·10^-5, so allow at most one and stay deterministic enough for CI.
    assert.ok(draws - references.size <= 1, `${draws - references.size} duplicate references`);
    const expected = draws / REFERENCE_ALPHABET.length; // ≈ 3226, standard deviation ≈ 56
    for (const [position, map] of counts.entries()) {
      assert.equal(map.size, 31, `position ${position}`);
      for (const [c, n] of map) {
        assert.ok(Math.abs(n - expected) < expected * 0.15, `position ${position}, ${c}: ${n} times, expected about ${expected}`);
      }
    }
  });

  test('spokenReference groups the code in two blocks of four', () => {
    assert.equal(spokenReference('MB-7KQ3XH2P'), 'MB-7KQ3 XH2P');
    const reference = newReference();
    const spoken = spokenReference(reference);
    assert.match(spoken, /^MB-[A-HJKMNP-Z2-9]{4} [A-HJKMNP-Z2-9]{4}$/);
    assert.equal(spoken.replace(' ', ''), reference);
  });
});
