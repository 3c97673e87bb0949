/**
 * Amsterdam wall-clock time and UTC instants: the one home of the portal's date helpers. Pure: no I/O,
 * no clock (callers pass the instant, from `now()` in #platform/clock.ts).
 */

/** Amsterdam wall-clock "YYYY-MM-DDTHH:mm" → UTC instant. */
export function amsterdamToUtc(local: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  if (mo < 1 || mo > 12 || new Date(guess).getUTCDate() !== d || h > 23 || mi > 59) return undefined;
  // Amsterdam is UTC+1 or UTC+2: take the offset the city has at that moment.
  for (const offset of [1, 2]) {
    const candidate = new Date(guess - offset * 3_600_000);
    if (utcToAmsterdam(candidate) === local) return candidate;
  }
  return new Date(guess - 3_600_000);
}

// Made once: building a formatter costs far more than using it (it was a tenth of a step post's CPU).
const WALL_CLOCK = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** UTC instant → Amsterdam wall-clock "YYYY-MM-DDTHH:mm". */
export function utcToAmsterdam(at: Date): string {
  const parts = WALL_CLOCK.formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

/** Midnight in Amsterdam of the day `at` falls on, as a UTC instant. */
export function startOfAmsterdamDay(at: Date): Date {
  return amsterdamToUtc(`${utcToAmsterdam(at).slice(0, 10)}T00:00`) ?? at;
}
