import type { LookupResult } from './address.schema.ts';
import { lookupKey, lookupUrl, readAnswer } from './pdok.rules.ts';

/**
 * PDOK Locatieserver, asked from the server (the reporter's address never leaves the portal with
 * anything else attached: no cookie, no IP, no other answer). A 3-second timeout; a small in-memory
 * cache, so that a reporter who goes back and forth asks once. The URL is configuration
 * (`PDOK_LOCATIESERVER_URL`), so tests point it at a local stand-in.
 */

export interface LookupSettings {
  /** The service's base URL; `/free` is appended. */
  url: string;
  timeoutMs: number;
}


const CACHE_SIZE = 500;
const CACHE_MS = 24 * 3_600_000;
const cache = new Map<string, { at: number; result: LookupResult }>();

function remember(key: string, result: LookupResult, at: number): LookupResult {
  // Only answers are kept; an outage is asked again next time.
  if (result.kind === 'unavailable') return result;
  cache.delete(key);
  cache.set(key, { at, result });
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return result;
}

/** Empties the cache (tests). */
export function forgetLookups(): void {
  cache.clear();
}

/** Looks up the addresses at a postcode and house number. Never throws. */
export async function lookupAddresses(settings: LookupSettings | undefined, postcode: string, houseNumber: string, now: Date): Promise<LookupResult> {
  if (!settings) return { kind: 'unavailable' };
  const q = lookupKey(postcode, houseNumber);
  const key = `${settings.url}|${q.postcode}|${q.houseNumber}`;
  const cached = cache.get(key);
  if (cached && now.getTime() - cached.at < CACHE_MS) return cached.result;
  try {
    const response = await fetch(lookupUrl(settings.url, q.postcode, q.houseNumber), {
      headers: { Accept: 'application/json' },
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { kind: 'unavailable' };
    }
    const addresses = readAnswer(await response.json());
    if (!addresses) return { kind: 'unavailable' };
    // Only addresses at the asked postcode and number count (a service that ignores a filter).
    const here = addresses.filter((a) => a.postcode === q.postcode && a.houseNumber === q.houseNumber);
    return remember(key, here.length ? { kind: 'found', addresses: here } : { kind: 'none' }, now.getTime());
  } catch {
    // Timeout, refused or reset connection, a body that is not JSON.
    return { kind: 'unavailable' };
  }
}
