/**
 * A fixed-window counter per client address, in memory. Generous: a library computer shared by many
 * residents must still work; a script posting hundreds of reports must not. The caller passes the
 * time (`now().getTime()` from #platform/clock.ts), so the windows follow the one clock.
 */
export class RateLimiter {
  private readonly hits = new Map<string, { windowStart: number; count: number }>();

  private readonly limit: () => number;
  private readonly windowMs: number;

  constructor(limit: () => number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  /** Counts one hit; false when the address is over its limit for the current window. */
  allow(key: string, now: number): boolean {
    const entry = this.hits.get(key);
    if (!entry || now - entry.windowStart >= this.windowMs) {
      if (this.hits.size > 50_000) this.sweep(now);
      this.hits.set(key, { windowStart: now, count: 1 });
      return this.limit() >= 1;
    }
    entry.count++;
    return entry.count <= this.limit();
  }

  /** True when the key has used up its limit in the current window (counts nothing). */
  exhausted(key: string, now: number): boolean {
    const entry = this.hits.get(key);
    return entry !== undefined && now - entry.windowStart < this.windowMs && entry.count >= this.limit();
  }

  /** Forgets a key (a successful login clears its failures). */
  reset(key: string): void {
    this.hits.delete(key);
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.hits) if (now - entry.windowStart >= this.windowMs) this.hits.delete(key);
  }
}
