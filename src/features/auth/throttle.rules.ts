/**
 * Login throttling that nobody can use to keep someone else out (security guide, "Sessions and login").
 *
 * Failures are counted per (account, address) pair. A pair gets a few free tries; after that each
 * failure makes it wait longer before the next try (1, 2, 4, 8 minutes, at most 15). A pair is
 * forgotten an hour after its last failure, and a successful login clears it. So the right
 * password and code from an address that has not failed on that account always get through, and no
 * wait lasts longer than 15 minutes: no permanent lock-out, and no lock-out of a third party.
 *
 * Two brakes make the free tries fewer, never the door closed: an address with very many failures on
 * any accounts (a script behind one address), and a portal-wide number of failures (an attack from
 * many addresses). Under a brake a pair waits after its first failure. Pure: the caller passes the
 * time from the server's clock.
 */

export const FREE_FAILURES = 3;
/** Under a brake: a pair waits after its first failure. */
export const BRAKED_FREE_FAILURES = 1;
export const FIRST_DELAY_MS = 60_000;
export const MAX_DELAY_MS = 15 * 60_000;
/** How long a pair's failures are remembered after the last one (the waits never exceed MAX_DELAY_MS). */
export const PAIR_MEMORY_MS = 60 * 60_000;
/** The brakes count failures of the last 15 minutes. */
export const BRAKE_WINDOW_MS = 15 * 60_000;
/** Failures from one address (any accounts) within BRAKE_WINDOW_MS that brake that address's pairs. */
export const ADDRESS_BRAKE = 100;
/** Failures portal-wide within BRAKE_WINDOW_MS that brake every pair. */
export const GLOBAL_BRAKE = 1000;

/** The wait after `failures` failures with `free` free ones: 0, then 1, 2, 4, 8, 15, 15 … minutes. */
export function delayAfter(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - free), MAX_DELAY_MS);
}

interface Counter {
  failures: number;
  last: number;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

export class LoginThrottle {
  private readonly pairs = new Map<string, Counter>();
  private readonly addresses = new Map<string, Counter>();
  /** Times of recent failures portal-wide (only their number within BRAKE_WINDOW_MS matters). */
  private global: number[] = [];

  /** May this account be tried from this address at `now`? Counts nothing. */
  check(account: string, address: string, now: number): ThrottleVerdict {
    const pair = this.live(this.pairs, pairKey(account, address), now, PAIR_MEMORY_MS);
    if (!pair) return { allowed: true };
    const wait = pair.last + delayAfter(pair.failures, this.freeFor(address, now)) - now;
    return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
  }

  /** Counts a failed attempt of this account from this address. */
  fail(account: string, address: string, now: number): void {
    this.bump(this.pairs, pairKey(account, address), now, PAIR_MEMORY_MS);
    this.bump(this.addresses, address, now, BRAKE_WINDOW_MS);
    this.global = this.global.filter((t) => now - t < BRAKE_WINDOW_MS);
    if (this.global.length < GLOBAL_BRAKE * 2) this.global.push(now);
    if (this.pairs.size + this.addresses.size > 100_000) this.sweep(now);
  }

  /** A successful login: the pair starts afresh. */
  succeed(account: string, address: string): void {
    this.pairs.delete(pairKey(account, address));
  }

  /** Whether the portal-wide brake is on. */
  globalBrake(now: number): boolean {
    return this.global.filter((t) => now - t < BRAKE_WINDOW_MS).length >= GLOBAL_BRAKE;
  }

  private freeFor(address: string, now: number): number {
    const fromAddress = this.live(this.addresses, address, now, BRAKE_WINDOW_MS)?.failures ?? 0;
    return fromAddress >= ADDRESS_BRAKE || this.globalBrake(now) ? BRAKED_FREE_FAILURES : FREE_FAILURES;
  }

  private live(map: Map<string, Counter>, key: string, now: number, memoryMs: number): Counter | undefined {
    const entry = map.get(key);
    if (entry && now - entry.last >= memoryMs) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  private bump(map: Map<string, Counter>, key: string, now: number, memoryMs: number): void {
    const entry = this.live(map, key, now, memoryMs);
    if (entry) {
      entry.failures++;
      entry.last = now;
    } else map.set(key, { failures: 1, last: now });
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.pairs) if (now - entry.last >= PAIR_MEMORY_MS) this.pairs.delete(key);
    for (const [key, entry] of this.addresses) if (now - entry.last >= BRAKE_WINDOW_MS) this.addresses.delete(key);
  }
}

const pairKey = (account: string, address: string): string => `${account.trim().toLowerCase()}\n${address}`;
