/** Working days: Monday to Friday, minus the configured holidays (YYYY-MM-DD). */

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const AMSTERDAM = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' });

/** The calendar date (YYYY-MM-DD) in Amsterdam at an instant. */
export function amsterdamDate(at: Date): string {
  return AMSTERDAM.format(at);
}

export function isWorkingDay(date: Date, holidays: ReadonlySet<string>): boolean {
  const day = date.getUTCDay();
  return day !== 0 && day !== 6 && !holidays.has(isoDate(date));
}

/**
 * The date `days` working days after `from` (counted from its Amsterdam date), as YYYY-MM-DD. Zero days means the
 * same day when that is a working day, else the next working day.
 */
export function addWorkingDays(from: Date, days: number, holidays: readonly string[]): string {
  const set = new Set(holidays);
  // The municipality works on Amsterdam days: a report at 00:30 local time belongs to that day.
  const local = amsterdamDate(from);
  const d = new Date(`${local}T00:00:00Z`);
  while (!isWorkingDay(d, set)) d.setUTCDate(d.getUTCDate() + 1);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isWorkingDay(d, set)) left--;
  }
  return isoDate(d);
}
